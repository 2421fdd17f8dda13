/**
 * Stores: the atomic primitives shared state goes through, the embedded memory store and the
 * fallback wrapper.
 * @module
 */
export { isStoreUnavailableError, StoreTimeoutError, StoreUnavailableError } from './errors.js'
export {
  type FallbackStore,
  type FallbackStoreOptions,
  fallbackStore,
  type StoreFailureMode,
} from './fallback.js'
export {
  type MemoryStore,
  type MemoryStoreOptions,
  memoryStore,
  WARN_MEMORY_STORE_FULL,
  WARN_MEMORY_STORE_PINNED_EVICTED,
} from './memory.js'
export { isRampartStore, storeSchema } from './store-schema.js'
export type {
  BlockGate,
  ConsumeRequest,
  ConsumeResult,
  GcraOptions,
  HitOptions,
  RampartStore,
  RateResult,
  SlidingHitOptions,
  StoreKind,
  TakeOptions,
  TokenBucketOptions,
} from './types.js'
