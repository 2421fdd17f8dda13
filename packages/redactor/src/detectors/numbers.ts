/**
 * Numbers that are personal data: payment card numbers, US Social Security numbers and IBANs.
 * Candidates come from one bounded regular expression (see `compile.ts`); each is read once, a
 * bounded number of characters, and must pass its checksum or validity rules.
 * @module
 */
import { cardPrefix, isKnownIin, luhnRange } from './cards.js'
import { DASH, DIGIT, DOT, is, SPACE, WORD } from './chars.js'
import { ibanChecksumOk, ibanEnd } from './iban.js'
import { type Finding, finding } from './ids.js'
import { isValidSsn } from './ssn.js'

/** Digits per group of a separated card number (4-4-4-4, 4-6-5, 4-6-4, 4-4-4-4-3). */
const MIN_GROUP = 3
const MAX_GROUP = 6

/** Which of the number detectors a scan runs. */
export interface NumberDetectors {
  readonly card: boolean
  readonly ssn: boolean
  readonly iban: boolean
}

/** The integer value of the digits `text.slice(from, to)` (all known to be digits). */
function digitsValue(text: string, from: number, to: number): number {
  let value = 0
  for (let j = from; j < to; j++) value = value * 10 + (text.charCodeAt(j) - 0x30)
  return value
}

/** Whether the digit at `j` is the continuation of a number (`3.14`, `12-34`) before it. */
function continuesNumber(text: string, j: number): boolean {
  const c = text.charCodeAt(j - 1)
  return (c === DOT || c === DASH) && is(text.charCodeAt(j - 2), DIGIT)
}

/** Whether the number ending at `j` goes on: a word character, or `.`/`-` then a digit. */
function numberGoesOn(text: string, j: number): boolean {
  const c = text.charCodeAt(j)
  return is(c, WORD) || ((c === DOT || c === DASH) && is(text.charCodeAt(j + 1), DIGIT))
}

/**
 * An SSN at `i`: `ddd-dd-dddd` exactly (dashes required: bare nine-digit numbers are too
 * common to call SSNs), valid by the SSA's rules.
 */
function matchSsn(text: string, i: number): Finding | undefined {
  for (let k = 0; k < 11; k++) {
    const c = text.charCodeAt(i + k)
    if (k === 3 || k === 6 ? c !== DASH : !is(c, DIGIT)) return undefined
  }
  if (numberGoesOn(text, i + 11)) return undefined
  const area = digitsValue(text, i, i + 3)
  const group = digitsValue(text, i + 4, i + 6)
  const serial = digitsValue(text, i + 7, i + 11)
  return isValidSsn(area, group, serial) ? finding('us-ssn', i, i + 11) : undefined
}

/**
 * A card number at `i`: 13–19 digits, either in one run or in groups (the first of four digits,
 * the others of three to six) separated by single spaces or single dashes, the same separator
 * throughout; then a known issuer prefix for that length and a valid Luhn checksum. When the
 * groups run on past a valid number but stay within 19 digits (`4111 1111 1111 1111 123`, a card
 * then its CVV), the longest valid number made of whole groups is the card.
 */
function matchCard(text: string, i: number): Finding | undefined {
  let j = i
  while (is(text.charCodeAt(j), DIGIT)) {
    j++
    if (j - i > 19) return undefined
  }
  const separator = text.charCodeAt(j)
  if (j - i !== 4 || (separator !== SPACE && separator !== DASH)) {
    return numberGoesOn(text, j) ? undefined : cardAt(text, i, j, j - i)
  }
  // Group ends and the digits up to each; at most five groups fit in 19 digits.
  const ends = [j]
  const counts = [4]
  let digits = 4
  while (text.charCodeAt(j) === separator) {
    const group = j + 1
    let k = group
    while (k - group <= MAX_GROUP && is(text.charCodeAt(k), DIGIT)) k++
    // A group of another size ends the number before it (`4111 1111 1111 1111 12 items`).
    if (k - group < MIN_GROUP || k - group > MAX_GROUP) break
    digits += k - group
    // Groups beyond 19 digits make one longer number, not a card.
    if (digits > 19) return undefined
    j = k
    ends.push(j)
    counts.push(digits)
  }
  for (let g = ends.length - 1; g >= 0; g--) {
    const end = ends[g] as number
    // Past the last group the number must stop; between groups, the next group follows.
    if (g === ends.length - 1 && numberGoesOn(text, end)) continue
    const found = cardAt(text, i, end, counts[g] as number)
    if (found !== undefined) return found
  }
  return undefined
}

/** The card `text.slice(i, end)`, holding `digits` digits, if it is one. */
function cardAt(text: string, i: number, end: number, digits: number): Finding | undefined {
  if (digits < 13 || !isKnownIin(cardPrefix(text, i, end), digits)) return undefined
  return luhnRange(text, i, end) ? finding('credit-card', i, end) : undefined
}

/**
 * The SSN or card number that starts at the digit `i` (a word start), for the detectors enabled.
 */
export function matchCardOrSsn(
  text: string,
  i: number,
  enabled: NumberDetectors,
): Finding | undefined {
  if (is(text.charCodeAt(i - 1), WORD) || continuesNumber(text, i)) return undefined
  if (enabled.ssn) {
    const ssn = matchSsn(text, i)
    if (ssn !== undefined) return ssn
  }
  return enabled.card ? matchCard(text, i) : undefined
}

/** The IBAN whose country code starts at `i` (a word start), checksum verified. */
export function matchIban(text: string, i: number): Finding | undefined {
  if (is(text.charCodeAt(i - 1), WORD)) return undefined
  const end = ibanEnd(text, i)
  return end >= 0 && ibanChecksumOk(text, i, end) ? finding('iban', i, end) : undefined
}
