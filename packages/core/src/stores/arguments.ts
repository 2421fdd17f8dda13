/**
 * Cheap run-time checks of store arguments. A NaN or negative window would otherwise poison
 * stored state silently; a `RangeError` turns the caller's bug into a visible failure.
 * Messages never include keys or values.
 * @module
 */

/** Throws unless `value` is a positive, finite number. */
export function assertPositive(value: number, what: string): void {
  if (!(value > 0 && value < Number.POSITIVE_INFINITY)) {
    throw new RangeError(`${what} must be a positive finite number, received ${value}`)
  }
}

/** Throws unless `value` is zero or more (`Infinity` allowed: no limit). */
export function assertLimit(value: number): void {
  if (!(value >= 0)) throw new RangeError(`limit must be zero or more, received ${value}`)
}

/** The checks of a fixed- or sliding-window request: positive window, limit ≥ 0, finite cost. */
export function assertWindowPolicy(window: number, limit: number, cost: number): void {
  assertPositive(window, 'window')
  assertLimit(limit)
  assertCost(cost)
}

/** Throws unless `value` is finite (negative costs are refunds). */
export function assertCost(value: number): void {
  if (!Number.isFinite(value)) {
    throw new RangeError(`cost must be a finite number, received ${value}`)
  }
}

/**
 * Longest TTL, in ms (about 285,000 years): Redis `PX`/`PEXPIRE` refuse values whose expiry
 * overflows, so longer lifetimes are clamped to this, which is forever in practice.
 */
export const MAX_TTL_MS = Number.MAX_SAFE_INTEGER

/** Validates a TTL and rounds it up to whole milliseconds (as Redis `PX` needs), clamped. */
export function ttlMs(ttl: number): number {
  assertPositive(ttl, 'ttl')
  return Math.min(Math.ceil(ttl), MAX_TTL_MS)
}

/** Throws when two requests of a batch share a key (they would be judged on stale state). */
export function assertDistinctKeys(requests: readonly { readonly key: string }[]): void {
  const n = requests.length
  for (let i = 1; i < n; i++) {
    const key = (requests[i] as { key: string }).key
    for (let j = 0; j < i; j++) {
      if ((requests[j] as { key: string }).key === key) {
        throw new RangeError(`consume: requests ${j} and ${i} use the same key`)
      }
    }
  }
}
