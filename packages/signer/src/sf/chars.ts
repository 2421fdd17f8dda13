/**
 * ASCII character classes of the RFC 9651 grammar, as one lookup table shared by the parser and
 * the serialiser (table lookups keep every scan linear and free of regular expressions).
 * @module
 */

/** DIGIT: `0`-`9`. */
export const DIGIT = 1
/** ALPHA: `A`-`Z` / `a`-`z`. */
export const ALPHA = 2
/** A character allowed after the first in a token: tchar (RFC 9110 §5.6.2), `:` or `/`. */
export const TOKEN = 4
/** A character allowed after the first in a key: lcalpha, DIGIT, `_`, `-`, `.`, `*`. */
export const KEY = 8
/** A character allowed to start a key: lcalpha or `*`. */
export const KEY_START = 16

const TABLE = new Uint8Array(128)

function mark(chars: string, flag: number): void {
  for (let i = 0; i < chars.length; i++) {
    const c = chars.charCodeAt(i)
    TABLE[c] = (TABLE[c] as number) | flag
  }
}

const DIGITS = '0123456789'
const LOWER = 'abcdefghijklmnopqrstuvwxyz'
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'

mark(DIGITS, DIGIT | TOKEN | KEY)
mark(LOWER, ALPHA | TOKEN | KEY | KEY_START)
mark(UPPER, ALPHA | TOKEN)
mark("!#$%&'*+-.^_`|~:/", TOKEN)
mark('_-.*', KEY)
mark('*', KEY_START)

/** Whether character code `c` is in every class of `flags` (never, for non-ASCII). */
export function is(c: number, flags: number): boolean {
  return c < 128 && ((TABLE[c] as number) & flags) === flags
}

/** Whether character code `c` may start a token: ALPHA or `*`. */
export function isTokenStart(c: number): boolean {
  return is(c, ALPHA) || c === 0x2a
}

/** Whether `key` is a valid key (RFC 9651 §3.1.2): non-empty, lcalpha or `*` first. */
export function isKey(key: string): boolean {
  if (key.length === 0 || !is(key.charCodeAt(0), KEY_START)) return false
  for (let i = 1; i < key.length; i++) if (!is(key.charCodeAt(i), KEY)) return false
  return true
}

/** Whether `token` is a valid token (RFC 9651 §3.3.4): non-empty, ALPHA or `*` first. */
export function isToken(token: string): boolean {
  if (token.length === 0 || !isTokenStart(token.charCodeAt(0))) return false
  for (let i = 1; i < token.length; i++) if (!is(token.charCodeAt(i), TOKEN)) return false
  return true
}
