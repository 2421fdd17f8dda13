/**
 * JSON Web Tokens (RFC 7519) in compact form: a JWS (three base64url segments) or a JWE (five),
 * recognised only when the first segment decodes to a JOSE header, a JSON object with `alg` or
 * `typ`. That rules out every `eyJ`-looking word that is not a token.
 * @module
 */
import { decodeBase64 } from './base64.js'
import { B64URL, DOT, is } from './chars.js'
import { type Finding, finding } from './ids.js'

/** The longest token looked at: bounds the scan from each candidate. */
export const MAX_JWT = 16 * 1024

/** Whether `text.slice(start, end)` is base64url for a JSON object with `alg` or `typ`. */
function isJoseHeader(text: string, start: number, end: number): boolean {
  const json = decodeBase64(text, start, end)
  if (json === undefined) return false
  // Shape first: most candidates fail here, before JSON.parse is asked.
  let last = json.length - 1
  while (last > 0 && json.charCodeAt(last) <= 0x20) last--
  if (json.charCodeAt(0) !== 0x7b || json.charCodeAt(last) !== 0x7d) return false
  let header: unknown
  try {
    header = JSON.parse(json)
  } catch {
    return false
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return false
  return Object.hasOwn(header, 'alg') || Object.hasOwn(header, 'typ')
}

/**
 * The JWT that starts at `i` (where `text` holds `eyJ`, the base64url of `{"`), or `undefined`.
 * The token must not continue a base64url run, stays within {@link MAX_JWT}, and a trailing dot
 * with nothing after it (a sentence's full stop) is not part of it.
 */
export function matchJwt(text: string, i: number): Finding | undefined {
  if (text.charCodeAt(i + 1) !== 0x79 || text.charCodeAt(i + 2) !== 0x4a) return undefined
  if (is(text.charCodeAt(i - 1), B64URL)) return undefined
  const max = Math.min(text.length, i + MAX_JWT)
  // Segment ends, up to six: one more than a JWE has, to tell a JWE from a longer dotted run.
  const ends: number[] = []
  let j = i + 3
  for (;;) {
    while (j < max && is(text.charCodeAt(j), B64URL)) j++
    ends.push(j)
    if (ends.length === 6 || j >= max || text.charCodeAt(j) !== DOT) break
    j++
  }
  const last = ends[ends.length - 1] as number
  // Reaching the cap with text to spare: a longer run than we look at, not a token we can delimit.
  if (last >= max && max < text.length) return undefined
  let count = ends.length
  // `a.b.c.` at the end of a sentence: the empty last segment is punctuation.
  if ((count === 4 || count === 6) && last === (ends[count - 2] as number) + 1) count--
  const e1 = ends[0] as number
  const e2 = ends[1] as number
  let end: number
  if (count === 5 && (ends[3] as number) > (ends[2] as number) + 1) {
    end = ends[4] as number
  } else if (count >= 3 && e1 > i && e2 > e1 + 1) {
    end = ends[2] as number
  } else {
    return undefined
  }
  return isJoseHeader(text, i, e1) ? finding('jwt', i, end) : undefined
}

/**
 * Whether `token` is exactly one compact JWT (JWS or JWE) whose header decodes to a JSON object
 * with `alg` or `typ`.
 * @example isJwt('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln') // true
 */
export function isJwt(token: string): boolean {
  if (typeof token !== 'string' || token.length > MAX_JWT) return false
  return matchJwt(token, 0)?.end === token.length
}
