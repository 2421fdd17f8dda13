/**
 * `@rampart/express`: run Rampart guards as Express 5 middleware.
 * @packageDocumentation
 */
export {
  type ExpressRampartOptions,
  getRequestId,
  getState,
  rampart,
  rampartErrors,
} from './middleware.js'
export { captureRawBody } from './raw-body.js'
export { WARN_RAW_BODY_UNAVAILABLE } from './source.js'
