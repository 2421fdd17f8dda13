/**
 * The problems `rateLimit()` answers with (RFC 9457). They never name the client key or IP.
 * @module
 */
import { type JsonValue, type Problem, problem, problems } from '@rampart/core'

/** A violated policy as the 429 problem lists it (times in whole seconds). */
export interface ViolatedPolicy {
  readonly name: string
  readonly limit: number
  /** Window in seconds. */
  readonly window: number
  /** Seconds until this policy would admit the request; `null` when it never can (cost above the limit). */
  readonly retryAfter: number | null
}

/** Whole seconds of a wait in ms, rounded up and at least 1; `null` for `Infinity`. */
export function retryAfterSeconds(ms: number): number | null {
  if (!Number.isFinite(ms)) return null
  return Math.max(1, Math.ceil(ms / 1_000))
}

/**
 * 429 `urn:rampart:problem:rate-limited`: `Retry-After` in whole seconds (at least 1), the
 * violated policies, whether a block refused the request.
 */
export function rateLimited(
  retryAfterMs: number,
  blocked: boolean,
  policies: readonly ViolatedPolicy[],
): Problem {
  const seconds = retryAfterSeconds(retryAfterMs)
  const detail = blocked
    ? `This client is blocked after repeated rate-limit violations; retry in ${seconds} seconds.`
    : seconds === null
      ? 'This request costs more than the rate limit allows; it cannot be admitted.'
      : `Rate limit exceeded; retry in ${seconds} seconds.`
  return problem(429, 'rate-limited', 'Too Many Requests', {
    detail,
    extensions: {
      retryAfter: seconds,
      blocked,
      policies: policies as unknown as JsonValue,
    },
    headers: seconds === null ? undefined : { 'Retry-After': String(seconds) },
  })
}

/** Seconds a client is told to wait while a fail-closed store is down (the fallback's probe interval). */
export const UNAVAILABLE_RETRY_SECONDS = 5

/** 503 `urn:rampart:problem:rate-limit-unavailable`: the shared store is down and `onStoreFailure` is `'closed'`. */
export const storeUnavailable: Problem = Object.freeze(
  problem(503, 'rate-limit-unavailable', 'Service Unavailable', {
    detail: 'Rate limiting is temporarily unavailable; try again shortly.',
    headers: { 'Retry-After': String(UNAVAILABLE_RETRY_SECONDS) },
  }),
)

/**
 * 403 `urn:rampart:problem:unidentified-client`: the request has no client key (no IP, or the key
 * function returned nothing) and `onMissingKey` is `'deny'`. 403 rather than 429 (waiting will
 * not help) or 400 (the client sent nothing malformed): the server refuses requests it cannot
 * attribute, as `ipFilter` does for an unknown address.
 */
export const unidentifiedClient: Problem = Object.freeze(
  problem(403, 'unidentified-client', 'Forbidden', {
    detail: 'The request could not be attributed to a client, so it cannot be rate limited.',
  }),
)

/** 403 `urn:rampart:problem:ip-denied`: the client address is on `deny`. */
export const ipDenied: Problem = Object.freeze(problems.ipDenied())
