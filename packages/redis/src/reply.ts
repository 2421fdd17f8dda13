/**
 * Reading script replies. Scripts answer numbers as strings (`%.17g`, exact for a double;
 * `inf` for infinity) because Redis truncates Lua numbers to integers. Clients hand the strings
 * over as strings, or as bytes when configured to (node-redis type mapping); both are read here.
 * @module
 */
import type { ConsumeResult, RateResult } from '@rampart/core'

const decoder = new TextDecoder()

/** The text of one reply element. */
export function text(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number') return String(value)
  if (value instanceof Uint8Array) return decoder.decode(value)
  throw unexpected(value)
}

/** A number a script sent as text. */
export function number(value: unknown): number {
  const s = text(value)
  if (s === 'inf') return Number.POSITIVE_INFINITY
  if (s === '-inf') return Number.NEGATIVE_INFINITY
  return Number(s)
}

/** The error for a reply of a shape no script sends (a misbehaving `send`, a proxy). */
export function unexpected(reply: unknown): Error {
  const shown = Array.isArray(reply) ? `an array of ${reply.length}` : typeof reply
  return new TypeError(`redis store: unexpected reply from Redis (${shown})`)
}

/** One policy's result: five elements from `at`. */
function rateAt(reply: readonly unknown[], at: number): RateResult {
  return {
    allowed: text(reply[at]) === '1',
    count: number(reply[at + 1]),
    remaining: number(reply[at + 2]),
    resetAt: number(reply[at + 3]),
    retryAfter: number(reply[at + 4]),
  }
}

/** The reply of the consume script for `n` policies. */
function rateReply(reply: unknown, n: number): readonly unknown[] {
  if (!Array.isArray(reply) || reply.length !== 2 + 5 * n) throw unexpected(reply)
  return reply
}

/** A batch result. */
export function consumeResult(reply: unknown, n: number): ConsumeResult {
  const r = rateReply(reply, n)
  const results: RateResult[] = new Array(n)
  for (let i = 0; i < n; i++) results[i] = rateAt(r, 2 + 5 * i)
  return { allowed: text(r[0]) === '1', retryAfter: number(r[1]), results }
}

/** The result of a single-policy call (`hit`, `slidingHit`, `take`). */
export function rateResult(reply: unknown): RateResult {
  return rateAt(rateReply(reply, 1), 2)
}

/** An integer reply (`1`/`0` flags, counters). */
export function integer(reply: unknown): number {
  const n = number(reply)
  if (!Number.isInteger(n)) throw unexpected(reply)
  return n
}
