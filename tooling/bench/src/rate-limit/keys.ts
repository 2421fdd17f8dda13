/**
 * Client keys for the rate-limit benchmarks: distinct IPv4-like strings, what a limiter keyed
 * by client address stores.
 * @module
 */

/**
 * The `i`-th key, `10.x.y.z` (distinct for `i` below 2^24). Built on every call, so a store that
 * keeps the key pays for the string, as it does for a key read from a request. Below 655,360
 * keys the string has at most 12 characters, so V8 builds it flat (no rope of parts).
 */
export function ipv4Key(i: number): string {
  return `10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`
}

/** `count` distinct keys from `ipv4Key(offset)` on. */
export function ipv4Keys(count: number, offset = 0): string[] {
  return Array.from({ length: count }, (_, i) => ipv4Key(offset + i))
}
