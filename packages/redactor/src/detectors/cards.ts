/**
 * Payment card validation: the Luhn checksum and the issuer prefixes (IINs) of the major card
 * networks. Both must agree before a digit run is called a card number, so order numbers,
 * timestamps and phone numbers (which fail one or the other, nearly always) are left alone.
 * @module
 */

/**
 * Luhn checksum over the digits of `text.slice(start, end)`; other characters (the spaces or
 * dashes between groups) are skipped. No allocation.
 */
export function luhnRange(text: string, start: number, end: number): boolean {
  let sum = 0
  let double = false
  for (let j = end - 1; j >= start; j--) {
    const c = text.charCodeAt(j)
    if (c < 0x30 || c > 0x39) continue
    let d = c - 0x30
    if (double) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
    double = !double
  }
  return sum % 10 === 0
}

/**
 * Whether `digits` (ASCII digits only, at least two) passes the Luhn (mod 10) checksum used by
 * card numbers and many other identifiers.
 * @example luhn('4111111111111111') // true
 */
export function luhn(digits: string): boolean {
  if (digits.length < 2) return false
  for (let j = 0; j < digits.length; j++) {
    const c = digits.charCodeAt(j)
    if (c < 0x30 || c > 0x39) return false
  }
  return luhnRange(digits, 0, digits.length)
}

/**
 * Whether a card number of `length` digits starting with the four digits `prefix` (as an integer,
 * so `4111` or `0412`) belongs to a known network, at a length that network issues: Visa 4
 * (13, 16, 19); Mastercard 51–55 and 2221–2720 (16); American Express 34, 37 (15); Discover 6011,
 * 644–649, 65 (16–19); JCB 35 (16–19); Diners Club 300–305, 36, 38 (14–19).
 */
export function isKnownIin(prefix: number, length: number): boolean {
  const p1 = Math.floor(prefix / 1000)
  const p2 = Math.floor(prefix / 100)
  const p3 = Math.floor(prefix / 10)
  if (p1 === 4) return length === 13 || length === 16 || length === 19
  if ((p2 >= 51 && p2 <= 55) || (prefix >= 2221 && prefix <= 2720)) return length === 16
  if (p2 === 34 || p2 === 37) return length === 15
  if (prefix === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649)) return length >= 16 && length <= 19
  if (p2 === 35) return length >= 16 && length <= 19
  if (p2 === 36 || p2 === 38 || (p3 >= 300 && p3 <= 305)) return length >= 14 && length <= 19
  return false
}

/**
 * The first four digits of `text.slice(start, end)` as an integer, skipping separators (the
 * range holds at least 13 digits when the card matcher asks).
 */
export function cardPrefix(text: string, start: number, end: number): number {
  let prefix = 0
  let seen = 0
  for (let j = start; j < end && seen < 4; j++) {
    const c = text.charCodeAt(j)
    if (c < 0x30 || c > 0x39) continue
    prefix = prefix * 10 + (c - 0x30)
    seen++
  }
  return prefix
}

/**
 * Whether `digits` (digits only) is a plausible payment card number: 13 to 19 digits, a known
 * network's prefix at a length it issues, and a valid Luhn checksum.
 * @example isCardNumber('4111111111111111') // true
 * @example isCardNumber('1234567812345670') // false: Luhn-valid, but no network starts with 1
 */
export function isCardNumber(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19 || !luhn(digits)) return false
  return isKnownIin(cardPrefix(digits, 0, digits.length), digits.length)
}
