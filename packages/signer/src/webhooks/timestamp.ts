/**
 * Signed timestamps: strict parsing and the tolerance window, shared by Standard Webhooks and
 * Stripe. Both sign the timestamp *text*, so only the canonical form of an integer is accepted:
 * anything `parseInt` or `Number` would quietly reinterpret (`+1`, `1e9`, `0x10`, ` 1`, `1.0`,
 * `01`) is refused instead of being verified against a different string than was signed.
 * @module
 */

import type { WebhookFailure } from './result.js'

/** Tolerance applied when none is configured: five minutes either way, as both specs advise. */
export const DEFAULT_TOLERANCE_MS = 5 * 60 * 1000

/** Digits allowed in a timestamp: 12 reach the year 33658, and keep `seconds * 1000` exact. */
const MAX_DIGITS = 12

/**
 * Unix seconds from `text` when it is a canonical non-negative integer: ASCII digits only, at
 * most 12 of them, no sign, no leading zero (but `0` itself). `undefined` otherwise.
 */
export function parseUnixSeconds(text: string): number | undefined {
  const length = text.length
  if (length === 0 || length > MAX_DIGITS) return undefined
  if (length > 1 && text.charCodeAt(0) === 48 /* 0 */) return undefined
  let value = 0
  for (let i = 0; i < length; i++) {
    const digit = text.charCodeAt(i) - 48
    if (digit < 0 || digit > 9) return undefined
    value = value * 10 + digit
  }
  return value
}

/** Whether `seconds` can be sent as a timestamp (what `parseUnixSeconds` would accept back). */
export function isUnixSeconds(seconds: number): boolean {
  return Number.isSafeInteger(seconds) && seconds >= 0 && seconds < 10 ** MAX_DIGITS
}

/** The clock options every timestamped verifier takes. */
export interface ToleranceOptions {
  /**
   * How far (milliseconds) the signed timestamp may be from `now()`, in either direction; the
   * boundary itself is accepted. Default 5 minutes.
   */
  readonly tolerance?: number
  /** The current time in milliseconds since the epoch. Default `Date.now`. */
  readonly now?: () => number
}

/** A validated tolerance and the clock to compare against. */
export interface Clock {
  readonly tolerance: number
  readonly now: () => number
}

/**
 * Validates the clock options up front, so a misconfiguration throws on the first call whatever
 * the request. Throws a `TypeError` for a negative or non-finite tolerance.
 */
export function clockOf(options: ToleranceOptions): Clock {
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE_MS
  if (!Number.isFinite(tolerance) || tolerance < 0) {
    throw new TypeError('webhook tolerance must be a finite number of milliseconds, at least 0')
  }
  return { tolerance, now: options.now ?? Date.now }
}

/**
 * `too-old` or `created-in-future` when `seconds` lies outside `now() ± tolerance`, compared in
 * milliseconds (a timestamp exactly `tolerance` away passes). Throws a `TypeError` when the
 * clock returns a non-finite time: a configuration bug, never request input.
 */
export function checkTolerance(seconds: number, clock: Clock): WebhookFailure | undefined {
  const now = clock.now()
  if (!Number.isFinite(now)) throw new TypeError('webhook clock returned a non-finite time')
  const age = now - seconds * 1000
  if (age > clock.tolerance) return 'too-old'
  if (-age > clock.tolerance) return 'created-in-future'
  return undefined
}
