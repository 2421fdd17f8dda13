/**
 * Secrets carried in URLs: the password in a URL's userinfo (`postgres://app:secret@db/app`) and
 * the values of query (or fragment) parameters that hold credentials (`?access_token=…`,
 * `&X-Amz-Signature=…`). Only the password or the value is reported: the URL stays readable.
 * @module
 */
import {
  AMP,
  AT,
  COLON,
  EQ,
  HASH,
  is,
  LOWER,
  PARAM_NAME,
  QUESTION,
  SCHEME,
  SLASH,
  UPPER,
  URL_BREAK,
} from './chars.js'
import { type Finding, finding } from './ids.js'

/** Longest URL authority read (`user:password@host:port`). */
const MAX_AUTHORITY = 2048
/** Longest scheme read back from `://`. */
const MAX_SCHEME = 32

/**
 * Query parameter names whose values are credentials, lower-cased (names compare in any case):
 * OAuth tokens and codes, passwords, API keys and the signatures of pre-signed URLs (AWS SigV4,
 * Google Cloud Storage, Azure SAS).
 */
export const SECRET_PARAMS: ReadonlySet<string> = new Set([
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'auth_token',
  'session_token',
  'private_token',
  'code',
  'client_secret',
  'password',
  'passwd',
  'pwd',
  'secret',
  'api_key',
  'api-key',
  'apikey',
  'key',
  'sig',
  'signature',
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
  'x-goog-signature',
  'x-goog-credential',
  'auth',
  'jwt',
])

/**
 * For each lower-case first letter, the lengths of the names starting with it, as bits: most
 * parameters (`page`, `sort`, `q`) are rejected by one lookup, before a string is sliced and
 * lower-cased for the set.
 */
const NAME_LENGTHS = new Uint32Array(128)
for (const name of SECRET_PARAMS) NAME_LENGTHS[name.charCodeAt(0)]! |= 1 << name.length
const MAX_NAME = 31

/**
 * The password of the URL whose `://` starts at the colon `i`: after the first `:` of the
 * userinfo, up to its last `@` (a raw `@` in a password is common enough to allow).
 */
export function matchUrlCredentials(text: string, i: number): Finding | undefined {
  if (text.charCodeAt(i + 1) !== SLASH || text.charCodeAt(i + 2) !== SLASH) return undefined
  let scheme = i
  while (i - scheme < MAX_SCHEME && is(text.charCodeAt(scheme - 1), SCHEME)) scheme--
  if (!is(text.charCodeAt(scheme), UPPER | LOWER)) return undefined
  const from = i + 3
  const max = Math.min(text.length, from + MAX_AUTHORITY)
  let colon = -1
  let at = -1
  for (let j = from; j < max; j++) {
    const c = text.charCodeAt(j)
    if (c === SLASH || c === QUESTION || c === HASH || is(c, URL_BREAK)) break
    if (c === AT) at = j
    else if (c === COLON && colon < 0) colon = j
  }
  // No `@`, a colon only after it (a port), or an empty password: nothing to hide.
  if (at < 0 || colon < 0 || colon > at || colon + 1 === at) return undefined
  return finding('url-credentials', colon + 1, at)
}

/**
 * The end of a parameter value that starts at `from`, remembered across one scan: the value ends
 * at the same character from any point inside it, so a run of `?token=` never re-reads it.
 */
export interface ValueMemo {
  from: number
  end: number
}

/** A fresh memo for one scan. */
export function valueMemo(): ValueMemo {
  return { from: -1, end: -1 }
}

function valueEnd(text: string, from: number, memo: ValueMemo): number {
  if (memo.from >= 0 && from >= memo.from && from <= memo.end) return memo.end
  let end = from
  while (end < text.length) {
    const c = text.charCodeAt(end)
    if (c === AMP || c === HASH || is(c, URL_BREAK)) break
    end++
  }
  memo.from = from
  memo.end = end
  return end
}

/**
 * The value of a credential-bearing parameter whose name starts after the `?`, `&` or `#` at `i`
 * (or at the string's start, `i = -1`, for a bare query string such as a form body). `&amp;`
 * counts as `&`, for URLs copied out of HTML.
 */
export function matchSecretParam(text: string, i: number, memo: ValueMemo): Finding | undefined {
  let name = i + 1
  if (i >= 0 && text.charCodeAt(i) === AMP && text.startsWith('amp;', name)) name += 4
  let eq = name
  while (eq - name <= MAX_NAME && is(text.charCodeAt(eq), PARAM_NAME)) eq++
  const length = eq - name
  if (length > MAX_NAME || text.charCodeAt(eq) !== EQ) return undefined
  // `| 0x20` lower-cases a letter; anything else lands on an entry that stays 0.
  const first = text.charCodeAt(name) | 0x20
  if (first >= 128 || ((NAME_LENGTHS[first] as number) & (1 << length)) === 0) return undefined
  if (!SECRET_PARAMS.has(text.slice(name, eq).toLowerCase())) return undefined
  const end = valueEnd(text, eq + 1, memo)
  return end === eq + 1 ? undefined : finding('url-secret-param', eq + 1, end)
}
