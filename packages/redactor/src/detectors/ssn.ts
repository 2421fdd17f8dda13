/**
 * US Social Security number validity, by the SSA's rules for numbers it can have issued.
 * @module
 */

/**
 * Numbers the SSA never issued that nonetheless circulate widely: 078-05-1120 (printed on the
 * sample card in Woolworth wallets in 1938, then used by thousands), 219-09-9999 (an SSA
 * pamphlet's example) and 123-45-6789 (every form's placeholder). Keyed `area * 1e6 + group *
 * 1e4 + serial`.
 */
const NOT_ISSUED: ReadonlySet<number> = new Set([78_05_1120, 219_09_9999, 123_45_6789])

/**
 * Whether the SSN `area`-`group`-`serial` (integers, e.g. `536, 22, 8177`) could be a real one:
 * the area is not 000, 666 or 900–999, the group is not 00, the serial is not 0000, and the
 * number is not one of the well-known advertising or example numbers (078-05-1120, 219-09-9999,
 * 123-45-6789).
 * @example isValidSsn(536, 22, 8177) // true
 * @example isValidSsn(666, 12, 3456) // false
 */
export function isValidSsn(area: number, group: number, serial: number): boolean {
  if (!Number.isInteger(area) || !Number.isInteger(group) || !Number.isInteger(serial)) return false
  if (area <= 0 || area === 666 || area >= 900) return false
  if (group <= 0 || group > 99 || serial <= 0 || serial > 9999) return false
  return !NOT_ISSUED.has(area * 1_000_000 + group * 10_000 + serial)
}
