/**
 * Durations as users write them: `250` (ms), `'250ms'`, `'30s'`, `'15m'`, `'1h'`, `'7d'`, `'2w'`.
 * @module
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
}

/** A duration: milliseconds as a number, or a string such as `'15m'`. */
export type Duration = number | `${number}` | `${number}${'ms' | 's' | 'm' | 'h' | 'd' | 'w'}`

/** Character-class pattern only: linear, cannot backtrack badly. */
const DURATION_PATTERN = /^(\d+(?:\.\d+)?)\s?(ms|s|m|h|d|w)?$/

/**
 * Parses a duration into whole milliseconds, or returns an explanation of what is wrong.
 * Never throws; see {@link parseDuration} for the throwing form.
 */
export function tryParseDuration(
  input: unknown,
): { ok: true; ms: number } | { ok: false; reason: string } {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) {
      return {
        ok: false,
        reason: `expected a non-negative number of milliseconds, received ${input}`,
      }
    }
    return { ok: true, ms: Math.round(input) }
  }
  if (typeof input !== 'string') {
    return {
      ok: false,
      reason: `expected milliseconds or a string like '15m', received ${typeof input}`,
    }
  }
  const match = input.length <= 32 ? DURATION_PATTERN.exec(input.trim()) : null
  if (!match) {
    return {
      ok: false,
      reason: `'${input.slice(0, 32)}' is not a duration: use milliseconds or a number with ms, s, m, h, d or w (e.g. '15m')`,
    }
  }
  const ms = Math.round(Number(match[1]) * (UNIT_MS[match[2] ?? 'ms'] ?? 1))
  if (!Number.isSafeInteger(ms)) return { ok: false, reason: `'${input}' is too long a duration` }
  return { ok: true, ms }
}

/**
 * Parses a duration into whole milliseconds.
 * @throws RangeError when the input is not a duration.
 * @example parseDuration('15m') // 900000
 */
export function parseDuration(input: Duration | string): number {
  const result = tryParseDuration(input)
  if (!result.ok) throw new RangeError(result.reason)
  return result.ms
}
