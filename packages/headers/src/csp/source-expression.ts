/**
 * One source expression of a source list (`'self'`, `https:`, `*.example.com`, `'sha256-…'`),
 * checked against the CSP Level 3 grammar in a single pass. Browsers drop an invalid source
 * with only a console message, so each mistake is reported with its fix.
 * @module
 */

import { closestMatch } from '@rampart/core'
import { isAlpha, isDigit, isScheme } from './chars.js'
import { checkHashSource, looksLikeHashSource } from './hash-source.js'

/** Source-list keywords, unquoted and lower-case (browsers match them case-insensitively). */
export const SOURCE_KEYWORDS: ReadonlySet<string> = new Set([
  'self',
  'none',
  'unsafe-inline',
  'unsafe-eval',
  'strict-dynamic',
  'unsafe-hashes',
  'report-sample',
  'unsafe-allow-redirects',
  'wasm-unsafe-eval',
  'inline-speculation-rules',
  'trusted-types-eval',
  'report-sha256',
  'report-sha384',
  'report-sha512',
  'unsafe-webtransport-hashes',
])

/** Scheme names that, written without their colon, read as a host of that name. */
const BARE_SCHEMES: ReadonlySet<string> = new Set([
  'http',
  'https',
  'ws',
  'wss',
  'data',
  'blob',
  'filesystem',
  'mediastream',
])

/** What a valid source expression is; the policy checks look at a few of them. */
export type SourceKind =
  | 'none'
  | 'self'
  | 'strict-dynamic'
  | 'keyword'
  | 'hash'
  | 'scheme'
  | 'host'
  | 'wildcard'

/** A checked source expression. */
export type SourceCheck =
  | { readonly ok: true; readonly kind: SourceKind }
  | { readonly ok: false; readonly message: string }

const EXPECTED =
  "expected a host (example.com, *.example.com, https://example.com:8443/path/), a scheme (https:), * or a quoted keyword ('self')"

/**
 * helmet's "should be quoted" check, case-insensitive: an unquoted keyword, nonce or hash is
 * a host name to the browser, so `self` silently means "the host called self". Applies to
 * every directive, as in helmet. Returns the message, or `undefined`.
 */
export function unquotedKeyword(token: string): string | undefined {
  const lower = token.toLowerCase()
  if (
    SOURCE_KEYWORDS.has(lower) ||
    lower.startsWith('nonce-') ||
    lower.startsWith('sha256-') ||
    lower.startsWith('sha384-') ||
    lower.startsWith('sha512-')
  ) {
    return `${JSON.stringify(token)} should be quoted: write "'${token}'" (keywords, nonces and hashes go in single quotes).`
  }
  return undefined
}

/** Checks a single-quoted token such as `'self'` or `'sha256-…'`. */
function checkQuoted(token: string): SourceCheck {
  if (token.length < 2 || !token.endsWith("'")) {
    return { ok: false, message: `${JSON.stringify(token)} has no closing single quote.` }
  }
  const inner = token.slice(1, -1)
  const lower = inner.toLowerCase()
  if (SOURCE_KEYWORDS.has(lower)) {
    if (lower === 'none' || lower === 'self' || lower === 'strict-dynamic')
      return { ok: true, kind: lower }
    return { ok: true, kind: 'keyword' }
  }
  if (lower.startsWith('nonce-')) {
    return {
      ok: false,
      message: `${JSON.stringify(token)} is a fixed nonce: the same value on every response protects nothing. Set \`nonce: true\` for a fresh nonce per request.`,
    }
  }
  if (looksLikeHashSource(inner)) {
    const problem = checkHashSource(inner)
    return problem === undefined ? { ok: true, kind: 'hash' } : { ok: false, message: problem }
  }
  const dash = lower.indexOf('-')
  if (dash > 0 && (lower.startsWith('sha') || lower.startsWith('md5'))) {
    return {
      ok: false,
      message: `${JSON.stringify(token)}: CSP hashes are sha256, sha384 or sha512 ('sha256-…').`,
    }
  }
  if (inner === '*' || inner.includes(':') || inner.includes('.')) {
    return {
      ok: false,
      message: `${JSON.stringify(token)}: schemes, hosts and * are written without quotes (${inner}); only keywords, nonces and hashes are quoted.`,
    }
  }
  const near = closestMatch(lower, SOURCE_KEYWORDS)
  return {
    ok: false,
    message: `${JSON.stringify(token)} is not a CSP keyword.${near === undefined ? '' : ` Did you mean "'${near}'"?`}`,
  }
}

function isHostChar(c: number): boolean {
  return isAlpha(c) || isDigit(c) || c === 0x2d
}

/** RFC 3986 `pchar` and `/`, without `;` and `,` (they end a directive or a policy). */
function isPathChar(c: number): boolean {
  if (isAlpha(c) || isDigit(c)) return true
  switch (c) {
    case 0x2d: // -
    case 0x2e: // .
    case 0x5f: // _
    case 0x7e: // ~
    case 0x25: // %
    case 0x21: // !
    case 0x24: // $
    case 0x26: // &
    case 0x27: // '
    case 0x28: // (
    case 0x29: // )
    case 0x2a: // *
    case 0x2b: // +
    case 0x3d: // =
    case 0x3a: // :
    case 0x40: // @
    case 0x2f: // /
      return true
    default:
      return false
  }
}

/** Checks `[scheme://]host[:port][/path]`; returns what is wrong, or `undefined`. */
function hostSourceProblem(token: string): string | undefined {
  let rest = token
  const separator = token.indexOf('://')
  if (separator !== -1) {
    const scheme = token.slice(0, separator)
    if (!isScheme(scheme)) return `${JSON.stringify(scheme)} is not a URL scheme`
    rest = token.slice(separator + 3)
  }
  const n = rest.length
  if (n === 0) return 'the host is missing'
  if (rest.charCodeAt(0) === 0x5b) return 'CSP has no syntax for IPv6 literals; use a host name'
  let i = 0
  let labels = true
  if (rest.charCodeAt(0) === 0x2a) {
    // `*` alone is any host; `*.` must be followed by the rest of a domain.
    i = 1
    if (rest.charCodeAt(1) === 0x2e) i = 2
    else labels = false
  }
  while (labels) {
    const start = i
    while (i < n && isHostChar(rest.charCodeAt(i))) i++
    if (i === start) {
      if (i < n && rest.charCodeAt(i) === 0x2a)
        return 'a * wildcard is only allowed as the leftmost label (*.example.com)'
      return i < n
        ? `${JSON.stringify(rest[i])} cannot appear in a host name`
        : 'the host name ends with a dot'
    }
    if (i < n && rest.charCodeAt(i) === 0x2e) i++
    else labels = false
  }
  if (i < n && rest.charCodeAt(i) === 0x3a) {
    i++
    if (i < n && rest.charCodeAt(i) === 0x2a) i++
    else {
      const start = i
      while (i < n && isDigit(rest.charCodeAt(i))) i++
      if (i === start || i - start > 5 || Number(rest.slice(start, i)) > 65535) {
        return 'the port must be a number from 0 to 65535, or *'
      }
    }
  }
  if (i === n) return undefined
  if (rest.charCodeAt(i) !== 0x2f) return `${JSON.stringify(rest[i])} cannot appear in a host name`
  for (; i < n; i++) {
    const c = rest.charCodeAt(i)
    if (c === 0x3f || c === 0x23) {
      return 'CSP matches paths only: browsers ignore a ?query or #fragment, so remove it'
    }
    if (!isPathChar(c)) return `${JSON.stringify(rest[i])} must be percent-encoded in a path`
  }
  return undefined
}

/**
 * Checks one whitespace-free token of a source list. Quoting mistakes, bad hashes, fixed
 * nonces, malformed hosts and misspelt keywords come back with a message saying how to fix
 * them. (`;`, `,` and unsafe characters are caught before, for every directive.)
 */
export function checkSourceExpression(token: string): SourceCheck {
  if (token.startsWith("'")) return checkQuoted(token)
  if (token.startsWith('"') || token.endsWith('"')) {
    return {
      ok: false,
      message: `${JSON.stringify(token)} uses double quotes; CSP keywords take single quotes ('self').`,
    }
  }
  const unquoted = unquotedKeyword(token)
  if (unquoted !== undefined) return { ok: false, message: unquoted }
  if (token === '*') return { ok: true, kind: 'wildcard' }
  if (token.endsWith(':') && token.indexOf(':') === token.length - 1) {
    const scheme = token.slice(0, -1)
    return isScheme(scheme)
      ? { ok: true, kind: 'scheme' }
      : {
          ok: false,
          message: `${JSON.stringify(token)} is not a valid scheme source: ${EXPECTED}.`,
        }
  }
  if (BARE_SCHEMES.has(token.toLowerCase())) {
    return {
      ok: false,
      message: `${JSON.stringify(token)} reads as a host named ${token}; for the scheme write "${token}:".`,
    }
  }
  const problem = hostSourceProblem(token)
  return problem === undefined
    ? { ok: true, kind: 'host' }
    : {
        ok: false,
        message: `${JSON.stringify(token)} is not a valid source (${problem}): ${EXPECTED}.`,
      }
}
