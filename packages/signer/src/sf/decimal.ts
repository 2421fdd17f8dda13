/**
 * Decimal serialisation (RFC 9651 §4.1.5): round to three fractional digits, half to even, and
 * refuse more than twelve integer digits.
 * @module
 */
import { SfSerializeError } from './errors.js'

/**
 * Serialises `value` as a Decimal, e.g. `1.5`, `-0.25`, `10.0`.
 *
 * Rounding works on the shortest decimal text that reads back as the same double (what
 * `String(number)` gives), not on the double's exact binary value: the number a user wrote as
 * `0.0025` is stored as 0.00250000000000000005…, yet it is "equidistant" in the RFC's decimal
 * sense, and the httpwg suite expects `0.002` (and `10.0` for `9.9995`).
 * @throws {SfSerializeError} for NaN, ±Infinity, or more than 12 integer digits after rounding
 */
export function serializeDecimal(value: number): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new SfSerializeError(`decimal must be a finite number, not ${String(value)}`)
  }
  const abs = Math.abs(value)
  // Below 1e-6 `String` switches to exponent form; such values round to zero anyway.
  const text = abs < 1e-6 ? '0' : String(abs)
  const dot = text.indexOf('.')
  const whole = dot < 0 ? text : text.slice(0, dot)
  // Also keeps exponent forms (1e21 and up) out: their text has at least 13 characters.
  if (whole.length > 12)
    throw new SfSerializeError(`decimal ${value} has more than 12 integer digits`)
  const fraction = dot < 0 ? '' : text.slice(dot + 1)
  const kept = fraction.slice(0, 3).padEnd(3, '0')
  // At most 15 digits: an exact safe integer, so the arithmetic below is exact.
  let thousandths = Number(whole + kept)
  if (fraction.length > 3 && roundsUp(fraction, kept)) thousandths++
  const wholePart = Math.floor(thousandths / 1000)
  if (wholePart > 999_999_999_999) {
    throw new SfSerializeError(`decimal ${value} has more than 12 integer digits after rounding`)
  }
  let digits = String(thousandths % 1000).padStart(3, '0')
  while (digits.length > 1 && digits.endsWith('0')) digits = digits.slice(0, -1)
  // A value that rounds to zero is not "less than zero", so it loses its sign.
  const sign = value < 0 && thousandths !== 0 ? '-' : ''
  return `${sign}${wholePart}.${digits}`
}

/** Whether the digits after the third fractional one round the third up (half to even). */
function roundsUp(fraction: string, kept: string): boolean {
  const first = fraction.charCodeAt(3)
  if (first !== 0x35 /* 5 */) return first > 0x35
  for (let i = 4; i < fraction.length; i++) if (fraction.charCodeAt(i) !== 0x30) return true
  // Exactly half: round to the even digit.
  return (kept.charCodeAt(2) - 0x30) % 2 === 1
}
