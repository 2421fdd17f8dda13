/**
 * `Reporting-Endpoints`: names the URLs browsers send reports to (CSP violations via
 * `report-to`, COOP/COEP violations, deprecations, crashes). A structured-fields dictionary:
 * `csp-endpoint="https://r.example/csp", default="https://r.example/all"`.
 * @module
 */
import type { HeaderCompiler, IssueSink, PlannedHeader } from '../header-plan.js'
import { describeValue, isPlainObject } from './option-checks.js'

/**
 * Options for `reportingEndpoints`: endpoint group name → URL, sent in the order given. Names
 * are structured-field keys (lower-case letters, digits, `_ - . *`, starting with a letter or
 * `*`); URLs are absolute `https:` URLs, or `http:` on localhost for development.
 */
export type ReportingEndpointsOptions = Readonly<Record<string, string>>

/**
 * Compiles `reportingEndpoints`: `undefined`/`false` → no header, `{ group: url, ... }` → the
 * header. `true` is an issue: there is no default endpoint to send reports to.
 */
export const compileReportingEndpoints: HeaderCompiler = function compileReportingEndpoints(
  value,
  path,
  issues,
): readonly PlannedHeader[] {
  if (value === undefined || value === false) return []
  if (!isPlainObject(value)) {
    issues.push({
      path,
      message: `must be an object of endpoint name → https URL, e.g. { 'csp-endpoint': 'https://reports.example/csp' }, or false, received ${describeValue(value)}`,
    })
    return []
  }
  const before = issues.length
  const members: string[] = []
  for (const name of Object.keys(value)) {
    const entryPath = `${path}.${name}`
    const nameProblem = checkKey(name)
    if (nameProblem !== undefined) issues.push({ path: entryPath, message: nameProblem })
    const url = checkUrl(value[name], entryPath, issues)
    if (nameProblem === undefined && url !== undefined) members.push(`${name}="${url}"`)
  }
  if (issues.length > before) return []
  if (members.length === 0) {
    issues.push({
      path,
      message: 'lists no endpoints: add at least one, or set reportingEndpoints: false',
    })
    return []
  }
  return [{ name: 'Reporting-Endpoints', value: members.join(', ') }]
}

/**
 * RFC 8941 sf-key: `( lcalpha / "*" ) *( lcalpha / DIGIT / "_" / "-" / "." / "*" )`. Checked
 * with a character loop (no regex).
 */
function checkKey(name: string): string | undefined {
  const shape =
    "endpoint names are lower-case letters, digits and _ - . *, starting with a letter or '*'"
  if (name.length === 0) return `invalid endpoint name '': ${shape}`
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i)
    const lower = c >= 0x61 && c <= 0x7a
    const ok =
      lower ||
      c === 0x2a ||
      (i > 0 && ((c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2d || c === 0x2e))
    if (!ok) {
      const lowered = name.toLowerCase()
      const hint = lowered !== name && checkKey(lowered) === undefined ? `; use '${lowered}'` : ''
      return `invalid endpoint name '${name}': ${shape}${hint}`
    }
  }
  return undefined
}

/**
 * Validates an endpoint URL and returns it as written (it is sent verbatim, inside quotes).
 * Reports must travel over HTTPS; `http:` is allowed for the loopback hosts browsers treat
 * as potentially trustworthy, for local development.
 */
function checkUrl(url: unknown, path: string, issues: IssueSink): string | undefined {
  if (typeof url !== 'string') {
    issues.push({ path, message: `must be an https URL string, received ${describeValue(url)}` })
    return undefined
  }
  // Inside an sf-string only visible ASCII is allowed, and `"`/`\` would need escaping;
  // a well-formed URL never contains them (the URL parser percent-encodes them).
  for (let i = 0; i < url.length; i++) {
    const c = url.charCodeAt(i)
    if (c <= 0x20 || c >= 0x7f || c === 0x22 || c === 0x5c) {
      issues.push({
        path,
        message: `must be a URL of visible ASCII characters without spaces, quotes or backslashes (percent-encode them), received ${describeValue(url)}`,
      })
      return undefined
    }
  }
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    issues.push({
      path,
      message: `must be an absolute https URL such as 'https://reports.example/csp', received ${describeValue(url)}`,
    })
    return undefined
  }
  if (parsed.username !== '' || parsed.password !== '') {
    issues.push({
      path,
      message: `must not contain credentials (browsers send reports without them), received ${describeValue(url)}`,
    })
    return undefined
  }
  if (parsed.protocol === 'https:') return url
  if (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)) return url
  issues.push({
    path,
    message: `must use https (browsers only deliver reports to secure endpoints; http is accepted for localhost only), received ${describeValue(url)}`,
  })
  return undefined
}

/** `localhost`, `*.localhost`, 127.0.0.0/8 and `[::1]`: the hosts browsers trust over http. */
function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '[::1]') {
    return true
  }
  // The URL parser has already normalised IPv4 hosts to dotted decimal.
  const labels = hostname.split('.')
  return labels.length === 4 && labels[0] === '127' && labels.every(isDigits)
}

function isDigits(label: string): boolean {
  if (label.length === 0) return false
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i)
    if (c < 0x30 || c > 0x39) return false
  }
  return true
}
