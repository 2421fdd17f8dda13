/**
 * `@rampart/hono`: run Rampart guards as Hono 4 middleware, on Node and edge runtimes.
 * @packageDocumentation
 */
export {
  getRequestId,
  getState,
  type HonoRampartOptions,
  rampart,
  rampartErrors,
} from './middleware.js'
export { type ClientAddressResolver, nodeServerAddress } from './source.js'
