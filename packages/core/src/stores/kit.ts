/**
 * `@rampart/core/store-kit`: what a {@link RampartStore} implementation outside core needs to
 * behave like the memory store — the same argument checks with the same messages, and the same
 * timeout bound — so every store fails the same way on the same bad input.
 * @module
 */
export {
  assertCost,
  assertDistinctKeys,
  assertLimit,
  assertPositive,
  assertWindowPolicy,
  MAX_TTL_MS,
  ttlMs,
} from './arguments.js'
export { unrefTimer, withTimeout } from './timeout.js'
