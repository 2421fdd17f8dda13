/**
 * Checks a directive's entries against the grammar of its kind (source list, sandbox flags,
 * report endpoints, Trusted Types, …) and reports every problem with the entry's path.
 * @module
 */

import { closestMatch } from '@rampart/core'
import type { IssueSink } from '../header-plan.js'
import { isAlpha, isDigit, isToken, unsafeCharacter } from './chars.js'
import type { DirectiveKind } from './directive-names.js'
import { checkSourceExpression, type SourceKind, unquotedKeyword } from './source-expression.js'
import type { CspDirectiveFunction } from './types.js'

/** One entry of a directive's list: a fixed source or a per-request function. */
export type DirectiveEntry = string | CspDirectiveFunction

/** What the policy-level checks need to know about a directive's value. */
export interface DirectiveFacts {
  /** Number of whitespace-separated tokens in the fixed entries. */
  readonly tokens: number
  /** Number of function entries (their tokens are unknown until a request). */
  readonly functions: number
  /** Contains `'none'`. */
  readonly none: boolean
  /** Contains `'strict-dynamic'`. */
  readonly strictDynamic: boolean
  /** Contains a hash source. */
  readonly hash: boolean
}

/** Sandbox flags (HTML's iframe `sandbox` keywords), lower-case. */
const SANDBOX_TOKENS: ReadonlySet<string> = new Set([
  'allow-downloads',
  'allow-forms',
  'allow-modals',
  'allow-orientation-lock',
  'allow-pointer-lock',
  'allow-popups',
  'allow-popups-to-escape-sandbox',
  'allow-presentation',
  'allow-same-origin',
  'allow-scripts',
  'allow-storage-access-by-user-activation',
  'allow-top-navigation',
  'allow-top-navigation-by-user-activation',
  'allow-top-navigation-to-custom-protocols',
])

/** Source kinds `frame-ancestors` understands; other keywords, hashes and nonces do nothing. */
const ANCESTOR_KINDS: ReadonlySet<SourceKind> = new Set([
  'none',
  'self',
  'scheme',
  'host',
  'wildcard',
])

/** Trusted Types policy-name characters (`tt-policy-name`). */
function isPolicyNameChar(c: number): boolean {
  return isAlpha(c) || isDigit(c) || '-#=_/@.%'.includes(String.fromCharCode(c))
}

/** A MIME type `type/subtype`, for the obsolete `plugin-types`. */
function isMimeType(token: string): boolean {
  const slash = token.indexOf('/')
  return slash > 0 && isToken(token.slice(0, slash)) && isToken(token.slice(slash + 1))
}

/** Mutable facts while scanning. */
interface Scan {
  tokens: number
  none: boolean
  strictDynamic: boolean
  hash: boolean
}

/** Checks one token against the directive's grammar; returns the problem, or `undefined`. */
function tokenProblem(
  kind: DirectiveKind,
  name: string,
  token: string,
  scan: Scan,
): string | undefined {
  const unquoted = unquotedKeyword(token)
  if (unquoted !== undefined) return unquoted
  const lower = token.toLowerCase()
  switch (kind) {
    case 'unknown':
      return undefined
    case 'sources':
    case 'ancestors': {
      const source = checkSourceExpression(token)
      if (!source.ok) return source.message
      if (kind === 'ancestors' && !ANCESTOR_KINDS.has(source.kind)) {
        return `${JSON.stringify(token)} has no effect in frame-ancestors, which accepts only 'self', 'none', schemes and hosts.`
      }
      if (source.kind === 'none') scan.none = true
      else if (source.kind === 'strict-dynamic') scan.strictDynamic = true
      else if (source.kind === 'hash') scan.hash = true
      return undefined
    }
    case 'sandbox': {
      if (SANDBOX_TOKENS.has(lower)) return undefined
      if (token.startsWith("'")) return `sandbox flags are not quoted: write ${token.slice(1, -1)}.`
      const near = closestMatch(lower, SANDBOX_TOKENS)
      return `${JSON.stringify(token)} is not a sandbox flag.${near === undefined ? ` Known flags: ${[...SANDBOX_TOKENS].join(', ')}.` : ` Did you mean ${JSON.stringify(near)}?`}`
    }
    case 'report-uri':
      if (token.startsWith("'") || !URL.canParse(token, 'https://report.invalid/')) {
        return `${JSON.stringify(token)} is not a URL; report-uri takes absolute or relative URLs (https://example.com/csp, /csp-reports).`
      }
      return undefined
    case 'report-to':
      if (token.includes('/') || token.includes(':')) {
        return `${JSON.stringify(token)} looks like a URL; report-to takes the name of a Reporting-Endpoints group (report-to csp-endpoint, with Reporting-Endpoints: csp-endpoint="https://…"). For a URL use report-uri.`
      }
      if (!isToken(token) || token.startsWith("'")) {
        return `${JSON.stringify(token)} is not a valid endpoint name; report-to takes a Reporting-Endpoints group name, unquoted (letters, digits, -, _).`
      }
      return undefined
    case 'valueless':
      return `${name} takes no value: set it to [] (or to null to remove it).`
    case 'require-trusted-types-for':
      if (lower === "'script'") return undefined
      if (lower === 'script') return `${JSON.stringify(token)} should be quoted: write "'script'".`
      return `${JSON.stringify(token)} is not valid here; require-trusted-types-for takes only 'script'.`
    case 'trusted-types':
      if (lower === "'none'") {
        scan.none = true
        return undefined
      }
      if (token === '*' || lower === "'allow-duplicates'") return undefined
      if (lower === 'allow-duplicates')
        return `${JSON.stringify(token)} should be quoted: write "'allow-duplicates'".`
      if (token.startsWith("'")) {
        return `${JSON.stringify(token)} is not valid here; trusted-types takes policy names, *, 'none' and 'allow-duplicates'.`
      }
      for (let i = 0; i < token.length; i++) {
        if (!isPolicyNameChar(token.charCodeAt(i))) {
          return `${JSON.stringify(token)} is not a valid Trusted Types policy name: ${JSON.stringify(token[i])} is not allowed.`
        }
      }
      return undefined
    case 'webrtc':
      if (lower === "'allow'" || lower === "'block'") return undefined
      if (lower === 'allow' || lower === 'block')
        return `${JSON.stringify(token)} should be quoted: write "'${token}'".`
      return `${JSON.stringify(token)} is not valid here; webrtc takes 'allow' or 'block'.`
    case 'mime-types':
      return isMimeType(token)
        ? undefined
        : `${JSON.stringify(token)} is not a MIME type (type/subtype).`
  }
}

/** Problems with the value as a whole, once every token has been seen. */
function valueProblem(
  kind: DirectiveKind,
  name: string,
  facts: DirectiveFacts,
): string | undefined {
  const total = facts.tokens + facts.functions
  if (facts.none && total > 1) {
    return `'none' must be the only source: next to other sources browsers ignore it. Remove 'none', or the other sources.`
  }
  if (kind === 'valueless' && facts.functions > 0) {
    return `${name} takes no value: set it to [] (or to null to remove it).`
  }
  if (facts.functions > 0) return undefined
  if (kind === 'report-to' && facts.tokens !== 1) {
    return facts.tokens === 0
      ? 'report-to needs the name of a Reporting-Endpoints group, e.g. "csp-endpoint".'
      : 'report-to takes a single Reporting-Endpoints group name.'
  }
  if (kind === 'report-uri' && facts.tokens === 0) return 'report-uri needs at least one URL.'
  if (kind === 'webrtc' && facts.tokens !== 1)
    return "webrtc takes exactly one of 'allow' or 'block'."
  if (kind === 'require-trusted-types-for' && facts.tokens === 0) {
    return "require-trusted-types-for needs 'script'."
  }
  return undefined
}

/**
 * Checks every fixed entry of one directive (functions are checked per request) and returns
 * the facts the policy needs. Problems go to `issues` under `entryPath(i)`, or `path` for
 * the value as a whole.
 */
export function checkDirectiveValue(
  name: string,
  kind: DirectiveKind,
  entries: readonly DirectiveEntry[],
  path: string,
  entryPath: (index: number) => string,
  issues: IssueSink,
): DirectiveFacts {
  const scan: Scan = { tokens: 0, none: false, strictDynamic: false, hash: false }
  let functions = 0
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]
    if (typeof entry !== 'string') {
      functions++
      continue
    }
    const problem = entryProblem(kind, name, entry, scan)
    if (problem !== undefined) issues.push({ path: entryPath(i), message: problem })
  }
  const facts: DirectiveFacts = { ...scan, functions }
  const problem = valueProblem(kind, name, facts)
  if (problem !== undefined) issues.push({ path, message: problem })
  return facts
}

/**
 * Checks one fixed entry: characters that could break the header first (helmet rejects `;`
 * and `,`; CR, LF and non-ASCII would fail in the server or smuggle a header), then each
 * space-separated token. All token problems of an entry are joined into one message.
 */
function entryProblem(
  kind: DirectiveKind,
  name: string,
  entry: string,
  scan: Scan,
): string | undefined {
  const unsafe = unsafeCharacter(entry)
  if (unsafe !== undefined) {
    return `${JSON.stringify(entry)} contains ${unsafe}; header values must be visible ASCII (write host names in punycode, xn--…).`
  }
  if (entry.includes(';')) {
    return `${JSON.stringify(entry)} contains ";", which ends the ${name} directive and starts another: give each source as its own entry and each directive its own key.`
  }
  if (entry.includes(',')) {
    return `${JSON.stringify(entry)} contains ",", which starts a second policy in the header: separate sources with spaces or give each its own entry.`
  }
  const problems: string[] = []
  for (const token of entry.split(' ')) {
    if (token === '') continue
    scan.tokens++
    const problem = tokenProblem(kind, name, token, scan)
    if (problem !== undefined) problems.push(problem)
  }
  return problems.length === 0 ? undefined : problems.join(' ')
}
