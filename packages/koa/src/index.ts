/**
 * `@rampart/koa`: run Rampart guards as Koa 3 middleware.
 * @packageDocumentation
 */
export {
  getRequestId,
  getState,
  type KoaRampartOptions,
  rampart,
  rampartErrors,
} from './middleware.js'
export { WARN_PROXY_UNBOUNDED } from './source.js'
