/**
 * `@rampart/hono`: run Rampart guards as Hono 4 middleware, on Node and edge runtimes.
 * @packageDocumentation
 */
export { getRequestId, getState, rampart, type HonoRampartOptions } from './middleware.js'
export { nodeServerAddress, type ClientAddressResolver } from './source.js'
