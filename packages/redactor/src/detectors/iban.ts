/**
 * IBAN validation (ISO 13616): country code, check digits, the country's length, and the
 * mod-97 checksum computed digit by digit (no BigInt, no 30-digit string).
 * @module
 */
import { DIGIT, is, LOWER, SPACE, UPPER, WORD } from './chars.js'

/**
 * IBAN length per country (`DE22`: German IBANs have 22 characters), from the SWIFT IBAN
 * registry: every SEPA country and the other countries whose IBANs are commonly met.
 */
const REGISTRY = [
  'AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DK18',
  'DO28 EE20 EG29 ES24 FI18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23',
  'IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 MC27 MD24 ME22 MK19 MR27',
  'MT31 MU30 NL18 NO15 PK24 PL28 PS29 PT25 QA29 RO24 RS22 SA24 SC31 SE24 SI19 SK24 SM27',
  'ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20',
].join(' ')

/** Lengths indexed by `(first - 65) * 26 + (second - 65)`: no string built per lookup. */
const BY_CODE = new Uint8Array(26 * 26)
for (const entry of REGISTRY.split(' ')) {
  BY_CODE[(entry.charCodeAt(0) - 65) * 26 + (entry.charCodeAt(1) - 65)] = Number(entry.slice(2))
}

/** The IBAN length of the country whose code has the char codes `a`, `b`; 0 when unknown. */
export function ibanLength(a: number, b: number): number {
  if (!is(a, UPPER) || !is(b, UPPER)) return 0
  return BY_CODE[(a - 65) * 26 + (b - 65)] as number
}

/**
 * Folds the characters of `text.slice(from, to)` into the running remainder `r` mod 97, as
 * ISO 7064 reads them (digits as themselves, `A`–`Z` as 10–35), skipping spaces. Each step keeps
 * the remainder below 97, so every product stays a small integer.
 */
function mod97(text: string, from: number, to: number, r: number): number {
  let rest = r
  for (let j = from; j < to; j++) {
    const c = text.charCodeAt(j)
    if (c === SPACE) continue
    rest = is(c, DIGIT) ? (rest * 10 + (c - 48)) % 97 : (rest * 100 + (c - 55)) % 97
  }
  return rest
}

/**
 * Whether the IBAN in `text.slice(start, end)` (upper-case letters and digits, spaces skipped,
 * shape already checked) has valid check digits: 02–98, and the rearranged number (account part
 * first, then country and check digits) is 1 mod 97.
 */
export function ibanChecksumOk(text: string, start: number, end: number): boolean {
  const check = (text.charCodeAt(start + 2) - 48) * 10 + (text.charCodeAt(start + 3) - 48)
  if (check < 2 || check > 98) return false
  return mod97(text, start, start + 4, mod97(text, start + 4, end, 0)) === 1
}

/**
 * The end of an IBAN written at `start` (its country code's first letter), or -1: the country's
 * length of upper-case letters and digits, either compact or in the printed form (groups of
 * four separated by single spaces), and not followed by a word character. Checksum not checked.
 */
export function ibanEnd(text: string, start: number): number {
  const length = ibanLength(text.charCodeAt(start), text.charCodeAt(start + 1))
  if (length === 0) return -1
  if (!is(text.charCodeAt(start + 2), DIGIT) || !is(text.charCodeAt(start + 3), DIGIT)) return -1
  const spaced = text.charCodeAt(start + 4) === SPACE
  let j = start + 4
  for (let n = 4; n < length; n++) {
    if (spaced && n % 4 === 0) {
      if (text.charCodeAt(j) !== SPACE) return -1
      j++
    }
    if (!is(text.charCodeAt(j), DIGIT | UPPER)) return -1
    j++
  }
  return is(text.charCodeAt(j), WORD) ? -1 : j
}

/**
 * Whether `text` is a valid IBAN: a known country code, two check digits, the country's length
 * and a mod-97 remainder of 1. Spaces are ignored and case is folded, so both
 * `DE89370400440532013000` and `de89 3704 0044 0532 0130 00` pass.
 * @example isValidIban('GB82 WEST 1234 5698 7654 32') // true
 */
export function isValidIban(text: string): boolean {
  if (typeof text !== 'string' || text.length > 64) return false
  let compact = ''
  for (let j = 0; j < text.length; j++) {
    const c = text.charCodeAt(j)
    if (c === SPACE) continue
    if (!is(c, DIGIT | UPPER | LOWER)) return false
    compact += text[j]
  }
  compact = compact.toUpperCase()
  if (compact.length !== ibanLength(compact.charCodeAt(0), compact.charCodeAt(1))) return false
  if (!is(compact.charCodeAt(2), DIGIT) || !is(compact.charCodeAt(3), DIGIT)) return false
  return ibanChecksumOk(compact, 0, compact.length)
}
