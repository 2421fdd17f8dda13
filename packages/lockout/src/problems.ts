/**
 * The answers the guard gives. The refusal is the same whatever tripped (pair, IP or account
 * counter) and whether or not the account exists, so it reveals nothing an attacker did not know.
 * @module
 */
import { type Problem, problem } from '@rampart/core'

/** Seconds for `Retry-After` (at least 1). */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1_000))
}

/** 429: too many attempts, retry in `Retry-After` seconds. */
export function tooManyAttempts(retryAfterMs: number): Problem {
  const seconds = retryAfterSeconds(retryAfterMs)
  return problem(429, 'too-many-attempts', 'Too Many Requests', {
    detail: `Too many attempts; retry in ${seconds} seconds.`,
    extensions: { retryAfter: seconds },
    headers: { 'Retry-After': String(seconds) },
  })
}

/** Seconds a client is told to wait while the store is down. */
export const UNAVAILABLE_RETRY_SECONDS = 5

/** 503: the store is down and the lockout fails closed. */
export const lockoutUnavailable: Problem = Object.freeze(
  problem(503, 'lockout-unavailable', 'Service Unavailable', {
    detail: 'Sign-in is temporarily unavailable; try again shortly.',
    headers: { 'Retry-After': String(UNAVAILABLE_RETRY_SECONDS) },
  }),
)
