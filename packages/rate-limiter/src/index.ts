/**
 * `@rampart/rate-limiter`: rate limits for Express, Koa and Hono — four algorithms, several
 * policies per limiter, IETF RateLimit headers, escalating blocks, memory or Redis stores.
 * @packageDocumentation
 */
export type { ExceededPolicy } from './events.js'
export {
  ALGORITHMS,
  type BlockOptions,
  type DynamicLimit,
  MAX_POLICIES,
  MAX_WINDOW,
  type MultiPolicyOptions,
  RATE_LIMIT_CONFIG_CODE,
  type RateLimitAlgorithm,
  type RateLimitCommonOptions,
  type RateLimitOptions,
  type RateLimitPolicyOptions,
  type SinglePolicyOptions,
} from './options.js'
export type { RateLimitPolicy } from './policies.js'
export type { ViolatedPolicy } from './problems.js'
export {
  type ConsumeOptions,
  type RateLimitCallOptions,
  type RateLimiter,
  rateLimit,
  WARN_MEMORY_MULTI_INSTANCE,
  WARN_NO_KEY,
  WARN_SHARED_PREFIX,
  WARN_STORE_DEGRADED,
} from './rate-limit.js'
export { type RateLimitInfo, type RateLimitPolicyState, rateLimitInfo } from './state.js'
