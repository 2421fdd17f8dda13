/**
 * Character classes for the CSP grammars, as plain comparisons: the validators walk strings
 * once instead of using regular expressions, so no input can make them backtrack.
 * @module
 */

/** ASCII letter. */
export function isAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
}

/** ASCII digit. */
export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39
}

/** ASCII lower-case letter. */
export function isLower(c: number): boolean {
  return c >= 0x61 && c <= 0x7a
}

/** ASCII upper-case letter. */
export function isUpper(c: number): boolean {
  return c >= 0x41 && c <= 0x5a
}

/** True when every character of `value` satisfies `test` (and there is at least one). */
export function every(value: string, test: (c: number) => boolean): boolean {
  if (value.length === 0) return false
  for (let i = 0; i < value.length; i++) if (!test(value.charCodeAt(i))) return false
  return true
}

/** A URL scheme (RFC 3986): a letter, then letters, digits, `+`, `-` or `.`. */
export function isScheme(value: string): boolean {
  if (value.length === 0 || !isAlpha(value.charCodeAt(0))) return false
  for (let i = 1; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (!isAlpha(c) && !isDigit(c) && c !== 0x2b && c !== 0x2d && c !== 0x2e) return false
  }
  return true
}

/** An HTTP token (RFC 9110 `tchar`), the grammar of `report-to` endpoint names. */
export function isToken(value: string): boolean {
  return every(
    value,
    (c) => isAlpha(c) || isDigit(c) || "!#$%&'*+-.^_`|~".includes(String.fromCharCode(c)),
  )
}

/** Describes the first character that cannot go in a header value, or `undefined` if none. */
export function unsafeCharacter(value: string): string | undefined {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c >= 0x20 && c <= 0x7e) continue
    const code = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`
    if (c === 0x0d) return `a carriage return (CR, ${code}) at index ${i}`
    if (c === 0x0a) return `a line feed (LF, ${code}) at index ${i}`
    if (c === 0x09) return `a tab (${code}) at index ${i}`
    if (c < 0x20 || c === 0x7f) return `a control character (${code}) at index ${i}`
    return `a non-ASCII character (${code}) at index ${i}`
  }
  return undefined
}
