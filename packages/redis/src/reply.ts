/**
 * Reading script replies. Scripts answer numbers as strings (`%.17g`, exact for a double;
 * `inf` for infinity) because Redis truncates Lua numbers to integers; the consume script joins
 * all of its numbers into one string. Clients hand the strings
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

/** A number of a consume reply; anything that is not one means the reply is not ours. */
function numberIn(reply: readonly unknown[], at: number): number {
  const value = number(reply[at])
  if (Number.isNaN(value)) throw unexpected(reply)
  return value
}

/** A flag of a consume reply: `'1'` or `'0'`, nothing else. */
function flagIn(reply: readonly unknown[], at: number): boolean {
  const flag = text(reply[at])
  if (flag !== '1' && flag !== '0') throw unexpected(reply)
  return flag === '1'
}

/** One policy's result: five elements from `at`. */
function rateAt(reply: readonly unknown[], at: number): RateResult {
  return {
    allowed: flagIn(reply, at),
    count: numberIn(reply, at + 1),
    remaining: numberIn(reply, at + 2),
    resetAt: numberIn(reply, at + 3),
    retryAfter: numberIn(reply, at + 4),
  }
}

/** The reply of the consume script for `n` policies: `2 + 5n` numbers in one space-separated string. */
function rateReply(reply: unknown, n: number): readonly unknown[] {
  const parts =
    typeof reply === 'string' || reply instanceof Uint8Array ? text(reply).split(' ') : undefined
  if (parts === undefined || parts.length !== 2 + 5 * n) throw unexpected(reply)
  return parts
}

/** A batch result. */
export function consumeResult(reply: unknown, n: number): ConsumeResult {
  const r = rateReply(reply, n)
  const results: RateResult[] = new Array(n)
  for (let i = 0; i < n; i++) results[i] = rateAt(r, 2 + 5 * i)
  return { allowed: flagIn(r, 0), retryAfter: numberIn(r, 1), results }
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
