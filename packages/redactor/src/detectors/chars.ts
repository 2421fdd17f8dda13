/**
 * ASCII character classes for the detectors: one table lookup answers "is this a digit / a
 * base64url character / a URL break", instead of a regex call or a chain of comparisons.
 * Anything outside ASCII, and the `NaN` that `charCodeAt` answers outside the string, belongs to
 * no class, so a run ends by itself at either end of the text without a bounds check.
 * @module
 */

/** `0-9` */
export const DIGIT = 1
/** `A-Z` */
export const UPPER = 2
/** `a-z` */
export const LOWER = 4
/** `_`, with letters and digits the `\w` of regular expressions (what word boundaries use). */
const UNDERSCORE_BIT = 8
/** `-` and `_`: with letters and digits, the base64url alphabet. */
const URL_SAFE_BIT = 16
/** `+` and `/`: with letters and digits, the standard base64 alphabet. */
const B64_SYMBOL_BIT = 32
/** `-._~+/`: with letters and digits, RFC 6750's `b64token`. */
const TOKEN_SYMBOL_BIT = 64
/** `._%+-`: with letters and digits, the local part of an e-mail address as written in practice. */
const EMAIL_SYMBOL_BIT = 128
/** `.-`: with letters and digits, a host name. */
const HOST_SYMBOL_BIT = 256
/** Whitespace, controls, quotes, `<>` and backslash: characters that end a URL in running text. */
export const URL_BREAK = 512
/** `+.-`: with letters and digits, a URI scheme. */
const SCHEME_SYMBOL_BIT = 1024
/** `_.-`: with letters and digits, a query parameter name. */
const PARAM_SYMBOL_BIT = 2048

/** Letters and digits. */
export const ALNUM = DIGIT | UPPER | LOWER
/** `[A-Za-z0-9_]` */
export const WORD = ALNUM | UNDERSCORE_BIT
/** `[A-Za-z0-9_-]` */
export const B64URL = ALNUM | URL_SAFE_BIT
/** `[A-Za-z0-9+/]` */
export const B64 = ALNUM | B64_SYMBOL_BIT
/** `[A-Za-z0-9._~+/-]` (RFC 6750 `b64token` without its `=` padding) */
export const TOKEN68 = ALNUM | TOKEN_SYMBOL_BIT
/** `[A-Za-z0-9._%+-]` */
export const EMAIL_LOCAL = ALNUM | EMAIL_SYMBOL_BIT
/** `[A-Za-z0-9.-]` */
export const HOST = ALNUM | HOST_SYMBOL_BIT
/** `[A-Za-z0-9+.-]` */
export const SCHEME = ALNUM | SCHEME_SYMBOL_BIT
/** `[A-Za-z0-9_.-]` */
export const PARAM_NAME = ALNUM | PARAM_SYMBOL_BIT

const CLASSES = new Uint16Array(128)

function add(chars: string, bit: number): void {
  for (let i = 0; i < chars.length; i++) CLASSES[chars.charCodeAt(i)]! |= bit
}

for (let c = 0x30; c <= 0x39; c++) CLASSES[c] = DIGIT
for (let c = 0x41; c <= 0x5a; c++) CLASSES[c] = UPPER
for (let c = 0x61; c <= 0x7a; c++) CLASSES[c] = LOWER
add('_', UNDERSCORE_BIT | URL_SAFE_BIT | TOKEN_SYMBOL_BIT | PARAM_SYMBOL_BIT | EMAIL_SYMBOL_BIT)
add('-', URL_SAFE_BIT | TOKEN_SYMBOL_BIT | EMAIL_SYMBOL_BIT | HOST_SYMBOL_BIT)
add('-', SCHEME_SYMBOL_BIT | PARAM_SYMBOL_BIT)
add('+/', B64_SYMBOL_BIT | TOKEN_SYMBOL_BIT)
add('.~', TOKEN_SYMBOL_BIT)
add('.%+', EMAIL_SYMBOL_BIT)
add('.', HOST_SYMBOL_BIT | PARAM_SYMBOL_BIT)
add('+.', SCHEME_SYMBOL_BIT)
for (let c = 0; c <= 0x20; c++) CLASSES[c]! |= URL_BREAK
add('\x7f"\'<>`\\', URL_BREAK)

/** Whether the UTF-16 code unit `c` belongs to one of the classes in `cls`. */
export function is(c: number, cls: number): boolean {
  return c < 128 && (CLASSES[c]! & cls) !== 0
}

/**
 * Whether `text` holds the lowercase ASCII word `word` at `at`, in any case. `c | 0x20` folds
 * exactly the upper-case letters onto their lower-case forms, and nothing else onto a letter.
 */
export function hasWordAt(text: string, at: number, word: string): boolean {
  if (at < 0 || at + word.length > text.length) return false
  for (let k = 0; k < word.length; k++) {
    if ((text.charCodeAt(at + k) | 0x20) !== word.charCodeAt(k)) return false
  }
  return true
}

// Char codes the detectors compare against, named (plain constants: V8 inlines them).
/** `\t` */
export const TAB = 0x09
/** ` ` */
export const SPACE = 0x20
/** `#` */
export const HASH = 0x23
/** `&` */
export const AMP = 0x26
/** `-` */
export const DASH = 0x2d
/** `.` */
export const DOT = 0x2e
/** `/` */
export const SLASH = 0x2f
/** `:` */
export const COLON = 0x3a
/** `=` */
export const EQ = 0x3d
/** `?` */
export const QUESTION = 0x3f
/** `@` */
export const AT = 0x40
/** `\\` */
export const BACKSLASH = 0x5c
/** `_` */
export const UNDERSCORE = 0x5f
