/**
 * HTTP credentials written out as in an `Authorization` header: `Bearer <token>` (RFC 6750) and
 * `Basic <base64 of user:password>` (RFC 7617), the scheme name in any case. Only the token is
 * reported, so `Authorization: Bearer [REDACTED]` stays readable.
 * @module
 */
import { decodeBase64 } from './base64.js'
import {
  B64,
  BACKSLASH,
  COLON,
  DIGIT,
  EQ,
  hasWordAt,
  is,
  LOWER,
  SPACE,
  TAB,
  TOKEN68,
  UPPER,
} from './chars.js'
import { type Finding, finding } from './ids.js'

/** Blanks allowed between the scheme and its token (RFC 9110 says one; loggers pad). */
const MAX_GAP = 8
/** Longest Basic token decoded: `user:password` is short, and decoding has a cost. */
const MAX_BASIC = 4096
/** Shortest bearer token believed outside a header, where `bearer <word>` may be prose. */
const MIN_LOOSE_TOKEN = 8

/**
 * Whether the scheme at `i`, with its token ending at `end`, is a header value: `authorization`
 * (also `Proxy-Authorization`) precedes it across `:`, `=`, quotes and blanks, as in
 * `Authorization: Bearer`, `"authorization":"Bearer` or `authorization=Basic`; or the string is
 * the header's value on its own (`Bearer abc`, give or take quotes and blanks), not a sentence
 * that starts with the word.
 */
function inHeaderValue(text: string, i: number, end: number): boolean {
  let k = i
  while (k > 0 && i - k < MAX_GAP && isHeaderSeparator(text.charCodeAt(k - 1))) k--
  if (k > 0) return hasWordAt(text, k - 13, 'authorization')
  let rest = end
  while (rest < text.length && rest - end < MAX_GAP && isHeaderSeparator(text.charCodeAt(rest))) {
    rest++
  }
  return rest === text.length
}

/** What may stand between a header name and its value: `:`, `=`, blanks, quotes (`"`, `'`), `\`. */
function isHeaderSeparator(c: number): boolean {
  return (
    c === SPACE ||
    c === TAB ||
    c === COLON ||
    c === EQ ||
    c === 0x22 ||
    c === 0x27 ||
    c === BACKSLASH
  )
}

/**
 * Whether a token found outside a header looks random rather than like a word: at least
 * {@link MIN_LOOSE_TOKEN} characters mixing two kinds among lower case, upper case (past the
 * first character, so `Authentication` is one kind), digits and symbols.
 */
function looksRandom(text: string, start: number, end: number): boolean {
  if (end - start < MIN_LOOSE_TOKEN) return false
  let kinds = 0
  for (let j = start; j < end; j++) {
    const c = text.charCodeAt(j)
    if (is(c, LOWER)) kinds |= 1
    else if (is(c, DIGIT)) kinds |= 2
    else if (is(c, UPPER)) kinds |= j > start ? 4 : 0
    else kinds |= 8
    // Two bits set: two kinds seen.
    if ((kinds & (kinds - 1)) !== 0) return true
  }
  return false
}

/** The bearer token at `from`: a `b64token` with its `=` padding. */
function bearerToken(text: string, i: number, from: number): Finding | undefined {
  let end = from
  while (is(text.charCodeAt(end), TOKEN68)) end++
  if (end === from) return undefined
  while (text.charCodeAt(end) === EQ) end++
  if (!inHeaderValue(text, i, end) && !looksRandom(text, from, end)) return undefined
  return finding('bearer', from, end)
}

/**
 * The Basic credentials at `from`: base64 that decodes to printable text with a colon
 * (`user:password`). The decoding is the validator, so no header context is needed.
 */
function basicToken(text: string, from: number): Finding | undefined {
  const max = from + MAX_BASIC
  let end = from
  while (end < max && is(text.charCodeAt(end), B64)) end++
  if (end - from < 4 || end >= max) return undefined
  if (text.charCodeAt(end) === EQ) end++
  if (text.charCodeAt(end) === EQ) end++
  const decoded = decodeBase64(text, from, end)
  if (decoded === undefined || decoded.indexOf(':') < 0) return undefined
  for (let j = 0; j < decoded.length; j++) {
    const c = decoded.charCodeAt(j)
    if (c < 0x20 || c === 0x7f) return undefined
  }
  return finding('basic', from, end)
}

/**
 * The credentials after a `Bearer` or `Basic` scheme name at `i` (a word start holding `b` or
 * `B`), for the schemes enabled.
 */
export function matchAuthScheme(
  text: string,
  i: number,
  bearer: boolean,
  basic: boolean,
): Finding | undefined {
  const second = text.charCodeAt(i + 1) | 0x20
  let j: number
  if (bearer && second === 0x65 && hasWordAt(text, i, 'bearer')) j = i + 6
  else if (basic && second === 0x61 && hasWordAt(text, i, 'basic')) j = i + 5
  else return undefined
  const scheme = j - i
  const from = j
  while (j - from < MAX_GAP && (text.charCodeAt(j) === SPACE || text.charCodeAt(j) === TAB)) j++
  if (j === from) return undefined
  return scheme === 6 ? bearerToken(text, i, j) : basicToken(text, j)
}
