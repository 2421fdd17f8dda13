/**
 * `Cache-Control` for responses that must not be cached (API responses carrying personal
 * data, tokens): the api preset sends `no-store`. The value is checked directive by directive
 * so a typo such as `no-stor` is reported instead of being silently ignored by caches.
 * @module
 */
import { type HeaderCompiler, isSafeHeaderValue, type PlannedHeader } from '../header-plan.js'
import { describeValue, didYouMean, isToken, withHint } from './option-checks.js'

/** How a response directive takes its argument (RFC 9111 §5.2.2, RFC 5861, RFC 8246). */
type ArgumentKind = 'none' | 'seconds' | 'optional-fields'

const RESPONSE_DIRECTIVES: Readonly<Record<string, ArgumentKind>> = {
  'max-age': 'seconds',
  's-maxage': 'seconds',
  'stale-while-revalidate': 'seconds',
  'stale-if-error': 'seconds',
  'no-cache': 'optional-fields',
  private: 'optional-fields',
  'no-store': 'none',
  'no-transform': 'none',
  'must-revalidate': 'none',
  'proxy-revalidate': 'none',
  'must-understand': 'none',
  public: 'none',
  immutable: 'none',
}
const DIRECTIVE_NAMES = Object.keys(RESPONSE_DIRECTIVES)
const REQUEST_ONLY = new Set(['max-stale', 'min-fresh', 'only-if-cached'])

/** What `cacheControl: true` sends. */
export const DEFAULT_CACHE_CONTROL = 'no-store'

/**
 * Compiles `cacheControl`: `undefined`/`false` → no header, `true` → `no-store`, a string →
 * its directives, checked and re-joined with `, ` (directive names lower-cased). Unknown,
 * request-only, repeated and malformed directives, and `public` with `private`, are issues.
 */
export const compileCacheControl: HeaderCompiler = function compileCacheControl(
  value,
  path,
  issues,
): readonly PlannedHeader[] {
  if (value === undefined || value === false) return []
  if (value === true) return [{ name: 'Cache-Control', value: DEFAULT_CACHE_CONTROL }]
  if (typeof value !== 'string') {
    issues.push({
      path,
      message: `must be a Cache-Control value such as 'no-store', true (no-store) or false, received ${describeValue(value)}`,
    })
    return []
  }
  if (!isSafeHeaderValue(value)) {
    issues.push({
      path,
      message: `must contain only visible ASCII characters and spaces (no line breaks), received ${describeValue(value)}`,
    })
    return []
  }
  if (value.trim() === '') {
    issues.push({
      path,
      message: "must not be empty: give at least one directive, e.g. 'no-store'",
    })
    return []
  }
  const parsed = parseDirectives(value)
  if (typeof parsed === 'string') {
    issues.push({ path, message: `${parsed}, in ${describeValue(value)}` })
    return []
  }
  const before = issues.length
  const seen = new Set<string>()
  const out: string[] = []
  for (const { name: raw, argument } of parsed) {
    const name = raw.toLowerCase()
    const kind = Object.hasOwn(RESPONSE_DIRECTIVES, name) ? RESPONSE_DIRECTIVES[name] : undefined
    if (kind === undefined) {
      issues.push({
        path,
        message: REQUEST_ONLY.has(name)
          ? `'${raw}' is a request directive and means nothing in a response`
          : withHint(`unknown directive '${raw}'`, didYouMean(name, DIRECTIVE_NAMES)),
      })
      continue
    }
    if (seen.has(name)) {
      issues.push({ path, message: `directive '${name}' appears more than once` })
      continue
    }
    seen.add(name)
    const problem = checkArgument(name, kind, argument)
    if (problem !== undefined) {
      issues.push({ path, message: problem })
      continue
    }
    out.push(argument === undefined ? name : `${name}=${argument}`)
  }
  if (seen.has('public') && seen.has('private')) {
    issues.push({
      path,
      message: "'public' and 'private' contradict each other: keep one",
    })
  }
  if (issues.length > before) return []
  return [{ name: 'Cache-Control', value: out.join(', ') }]
}

function checkArgument(
  name: string,
  kind: ArgumentKind,
  argument: string | undefined,
): string | undefined {
  if (kind === 'none') {
    return argument === undefined
      ? undefined
      : `'${name}' takes no argument, received '${name}=${argument}'`
  }
  if (kind === 'seconds') {
    if (argument === undefined) return `'${name}' needs a number of seconds, e.g. '${name}=0'`
    // Senders must use the token form (RFC 9111 §1.2.2): digits only, no quotes or sign.
    for (let i = 0; i < argument.length; i++) {
      const c = argument.charCodeAt(i)
      if (c < 0x30 || c > 0x39) {
        return `'${name}' needs a whole number of seconds (digits only), received '${name}=${argument}'`
      }
    }
    return undefined
  }
  // no-cache / private: bare, or a quoted list of header names.
  if (argument === undefined) return undefined
  if (!argument.startsWith('"')) {
    return `'${name}' takes no argument or a quoted list of header names, e.g. ${name}="Set-Cookie", received '${name}=${argument}'`
  }
  for (const field of argument.slice(1, -1).split(',')) {
    if (!isToken(field.trim())) {
      return `'${name}="…"' must list header names separated by commas, received '${name}=${argument}'`
    }
  }
  return undefined
}

interface Directive {
  readonly name: string
  readonly argument: string | undefined
}

/**
 * Splits a Cache-Control value into directives (`token [ "=" ( token / quoted-string ) ]`,
 * comma-separated with optional spaces; tabs were already refused by the
 * header-value check). One left-to-right scan, no regex. Returns a message
 * for the first syntax error.
 */
function parseDirectives(text: string): readonly Directive[] | string {
  const directives: Directive[] = []
  let i = 0
  const skipSpaces = () => {
    while (i < text.length && text[i] === ' ') i++
  }
  const readToken = () => {
    const start = i
    while (i < text.length && isToken(text.charAt(i))) i++
    return text.slice(start, i)
  }
  while (true) {
    skipSpaces()
    const name = readToken()
    if (name === '') {
      return i >= text.length
        ? 'trailing comma: remove it'
        : `unexpected '${text[i]}' at position ${i}: expected a directive name`
    }
    let argument: string | undefined
    if (text[i] === '=') {
      i++
      if (text[i] === '"') {
        const start = i
        i++
        while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1
        if (i >= text.length) return `unterminated quoted string after '${name}='`
        i++
        argument = text.slice(start, i)
      } else {
        argument = readToken()
        if (argument === '') return `'${name}=' is missing its value`
      }
    }
    directives.push({ name, argument })
    skipSpaces()
    if (i >= text.length) return directives
    if (text[i] !== ',') {
      return `unexpected '${text[i]}' at position ${i}: directives are separated by commas`
    }
    i++
  }
}
