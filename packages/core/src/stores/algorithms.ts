/**
 * The reference arithmetic of each rate primitive, as pure functions over plain numbers: the
 * memory store runs them directly and the Redis store's Lua scripts mirror them line by line.
 * Each function reads the stored state, decides, and writes the decision and the state to store
 * into an {@link Outcome} it is given, so the hot path allocates nothing.
 *
 * Fractional rates make binary floating point noisy (1 − 0.99 = 0.010000000000000009): every
 * comparison allows {@link EPSILON} of slack and waits are rounded up with {@link ceilMs}, so a
 * client that waits exactly the `retryAfter` it was given is admitted.
 * @module
 */

/** Slack for floating-point noise in token and time comparisons; far below one unit or ms. */
export const EPSILON = 1e-9

/** Rounds a wait up to whole milliseconds, ignoring floating-point noise. */
export function ceilMs(ms: number): number {
  return Math.ceil(ms - EPSILON)
}

/** Mutable scratch an algorithm writes into: the decision, then the state to store. */
export class Outcome {
  /** Whether the policy admits the request. */
  allowed = false
  /** See `RateResult.count`. */
  count = 0
  /** See `RateResult.remaining`. */
  remaining = 0
  /** See `RateResult.resetAt`. */
  resetAt = 0
  /** See `RateResult.retryAfter`. */
  retryAfter = 0
  /** Whether the state below must be stored (something was spent or refunded). */
  write = false
  /** First state number (per algorithm: count, window start, tokens, TAT). */
  a = 0
  /** Second state number (current count, refill time). */
  b = 0
  /** Third state number (previous count). */
  c = 0
  /** When the stored state expires (ms epoch); at or before now the key is deleted instead. */
  expiresAt = 0
}

/**
 * Fixed window anchored at a key's first hit. State: `a` = count, expiry = window end.
 * @param present whether a live state exists; `count` and `resetAt` are ignored otherwise.
 */
export function fixedWindow(
  out: Outcome,
  now: number,
  present: boolean,
  count: number,
  resetAt: number,
  window: number,
  limit: number,
  cost: number,
): void {
  if (!present) {
    count = 0
    resetAt = now + window
  }
  out.resetAt = resetAt
  out.expiresAt = resetAt
  if (cost > 0 && count + cost - limit > EPSILON) {
    out.allowed = false
    out.count = count
    out.remaining = limit > count ? limit - count : 0
    out.retryAfter = cost > limit ? Number.POSITIVE_INFINITY : resetAt - now
    out.write = false
    return
  }
  const next = cost >= 0 ? count + cost : Math.max(0, count + cost)
  out.allowed = true
  out.count = next
  out.remaining = limit > next ? limit - next : 0
  out.retryAfter = 0
  out.write = cost > 0 || (cost < 0 && present)
  out.a = next
}

/**
 * Sliding window over epoch-aligned windows: estimate = previous × (share of the previous window
 * still inside the sliding window) + current. State: `a` = current window start, `b` = current
 * count, `c` = previous count; it expires once both windows have slid out.
 * @param present whether a live state exists; the state numbers are ignored otherwise.
 */
export function slidingWindow(
  out: Outcome,
  now: number,
  present: boolean,
  start: number,
  current: number,
  previous: number,
  window: number,
  limit: number,
  cost: number,
): void {
  const windowStart = now - (now % window)
  if (!present || windowStart >= start + 2 * window) {
    current = 0
    previous = 0
  } else if (windowStart > start) {
    previous = current
    current = 0
  }
  const weight = (window - (now - windowStart)) / window
  const estimate = previous * weight + current
  if (cost > 0 && estimate + cost - limit > EPSILON) {
    out.allowed = false
    out.count = estimate
    out.remaining = limit > estimate ? limit - estimate : 0
    out.retryAfter = slidingRetryAfter(now, windowStart, current, previous, window, limit, cost)
    out.resetAt = slidingResetAt(now, windowStart, current, previous, window)
    out.write = false
    return
  }
  const next = cost >= 0 ? current + cost : Math.max(0, current + cost)
  const count = previous * weight + next
  out.allowed = true
  out.count = count
  out.remaining = limit > count ? limit - count : 0
  out.retryAfter = 0
  out.resetAt = slidingResetAt(now, windowStart, next, previous, window)
  out.write = cost > 0 || (cost < 0 && present)
  out.a = windowStart
  out.b = next
  out.c = previous
  out.expiresAt = out.resetAt
}

/** When every counted unit has slid out: the previous window's weight or the current's. */
function slidingResetAt(
  now: number,
  windowStart: number,
  current: number,
  previous: number,
  window: number,
): number {
  if (current > 0) return windowStart + 2 * window
  return previous > 0 ? windowStart + window : now
}

/** Solves estimate + cost ≤ limit for the earliest time, assuming nothing else is spent. */
function slidingRetryAfter(
  now: number,
  windowStart: number,
  current: number,
  previous: number,
  window: number,
  limit: number,
  cost: number,
): number {
  if (cost > limit) return Number.POSITIVE_INFINITY
  // Still this window: wait for the previous window's weight to fall enough.
  if (current + cost <= limit) {
    const elapsed = window * (1 - (limit - current - cost) / previous)
    return Math.max(1, ceilMs(windowStart + elapsed - now))
  }
  // Next window: today's count becomes the decaying previous one.
  const elapsed = window * (1 - (limit - cost) / current)
  return Math.max(1, ceilMs(windowStart + window + elapsed - now))
}

/**
 * Token bucket refilled continuously; absent means full. State: `a` = tokens, `b` = time of
 * that count; it expires when the bucket is full again.
 * @param present whether a live state exists; the state numbers are ignored otherwise.
 */
export function tokenBucket(
  out: Outcome,
  now: number,
  present: boolean,
  tokens: number,
  updatedAt: number,
  capacity: number,
  refillPerMs: number,
  cost: number,
): void {
  tokens = present
    ? Math.min(capacity, tokens + Math.max(0, now - updatedAt) * refillPerMs)
    : capacity
  if (cost > 0 && cost - tokens > EPSILON) {
    out.allowed = false
    out.count = capacity - tokens
    out.remaining = tokens
    out.retryAfter =
      cost > capacity
        ? Number.POSITIVE_INFINITY
        : Math.max(1, ceilMs((cost - tokens) / refillPerMs))
    out.resetAt = now + ceilMs((capacity - tokens) / refillPerMs)
    out.write = false
    return
  }
  const next = cost >= 0 ? Math.max(0, tokens - cost) : Math.min(capacity, tokens - cost)
  out.allowed = true
  out.count = capacity - next
  out.remaining = next
  out.retryAfter = 0
  out.resetAt = now + ceilMs((capacity - next) / refillPerMs)
  out.write = cost > 0 || (cost < 0 && present)
  out.a = next
  out.b = now
  out.expiresAt = out.resetAt
}

/**
 * GCRA: one number, the theoretical arrival time (TAT); a request of `cost` is admitted when
 * TAT + cost × interval − burst × interval ≤ now. State: `a` = TAT, expiring at TAT (full).
 * @param present whether a live state exists; `tat` is ignored otherwise.
 */
export function gcra(
  out: Outcome,
  now: number,
  present: boolean,
  tat: number,
  burst: number,
  interval: number,
  cost: number,
): void {
  tat = present && tat > now ? tat : now
  const tolerance = burst * interval
  if (cost > 0 && tat + cost * interval - tolerance - now > EPSILON) {
    const remaining = (tolerance - (tat - now)) / interval
    out.allowed = false
    out.count = burst - remaining
    out.remaining = remaining
    out.retryAfter =
      cost > burst
        ? Number.POSITIVE_INFINITY
        : Math.max(1, ceilMs(tat + cost * interval - tolerance - now))
    out.resetAt = ceilMs(tat)
    out.write = false
    return
  }
  const next = Math.max(now, tat + cost * interval)
  const remaining = Math.max(0, (tolerance - (next - now)) / interval)
  out.allowed = true
  out.count = burst - remaining
  out.remaining = remaining
  out.retryAfter = 0
  out.resetAt = ceilMs(next)
  out.write = cost > 0 || (cost < 0 && present)
  out.a = next
  out.expiresAt = next
}

/**
 * A block gate: rejects while a block is stored, until `expiresAt`; never writes.
 * @param expiresAt the block's expiry (ms epoch), or `undefined` when no block is stored.
 */
export function blockGate(out: Outcome, now: number, expiresAt: number | undefined): void {
  out.count = 0
  out.write = false
  if (expiresAt === undefined || expiresAt <= now) {
    out.allowed = true
    out.remaining = Number.POSITIVE_INFINITY
    out.resetAt = now
    out.retryAfter = 0
    return
  }
  out.allowed = false
  out.remaining = 0
  out.resetAt = expiresAt
  out.retryAfter = Math.max(1, ceilMs(expiresAt - now))
}
