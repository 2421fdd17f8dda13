/**
 * What the limiter tells the handler (and the programmatic API's callers) about a decision.
 * @module
 */
import { stateKey } from '@rampart/core'

/** One policy's standing for a client after a decision. */
export interface RateLimitPolicyState {
  /** The policy's name, as in the `RateLimit` headers. */
  readonly name: string
  /** The limit applied to this request (a dynamic limit as computed for it). */
  readonly limit: number
  /** Whole units still available (rounded down; token buckets may hold more than `limit` when `burst` is larger). */
  readonly remaining: number
  /** When everything spent so far is available again (ms since the epoch, the store's clock). */
  readonly resetAt: number
  /** The policy's window in ms. */
  readonly window: number
}

/** The outcome of one limiter for one request or one programmatic call. */
export interface RateLimitInfo {
  /** Whether the request was admitted (and spent). */
  readonly allowed: boolean
  /** Whether the client is blocked (escalation or `block()`); `allowed` is then `false`. */
  readonly blocked: boolean
  /**
   * 0 when allowed; otherwise ms until the same request would be admitted if nothing else is
   * spent meanwhile (`Infinity` when its cost exceeds a limit). Headers round it up to seconds.
   */
  readonly retryAfter: number
  /** One entry per policy, in the limiter's order. */
  readonly policies: readonly RateLimitPolicyState[]
}

/**
 * The request's rate-limit outcome, set by `rateLimit()` on admitted requests (and on refusals,
 * for later guards' response phases). Read it with your adapter's accessor:
 * `getState(req, rateLimitInfo)` (Express), `getState(ctx, rateLimitInfo)` (Koa),
 * `getState(c, rateLimitInfo)` (Hono). With several limiters on one request, the last one to run wins.
 */
export const rateLimitInfo = stateKey<RateLimitInfo>('rateLimitInfo')
