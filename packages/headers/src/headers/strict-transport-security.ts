/**
 * `Strict-Transport-Security` (HSTS): tells browsers to use HTTPS only for this host for
 * `max-age` seconds, so a network attacker cannot downgrade later visits to HTTP.
 * @module
 */
import type { HeaderCompiler, IssueSink, PlannedHeader } from '../header-plan.js'
import { describeValue, readBoolean, readOptions, withHint } from './option-checks.js'

/** Helmet's default `max-age`: 365 days, in seconds. */
export const DEFAULT_HSTS_MAX_AGE = 365 * 24 * 60 * 60

/** Options for `strictTransportSecurity` (alias `hsts`), as in helmet. */
export interface StrictTransportSecurityOptions {
  /**
   * Seconds the browser remembers to use HTTPS only. Default 31536000 (365 days); `0` tells
   * browsers to forget. Fractions are rounded down, as helmet does.
   */
  readonly maxAge?: number
  /** Apply to every subdomain too. Default `true`. */
  readonly includeSubDomains?: boolean
  /**
   * Add `preload`, consenting to inclusion in browsers' built-in HSTS lists (hard to undo;
   * see hstspreload.org). Default `false`.
   */
  readonly preload?: boolean
}

/**
 * Legacy and misspelt keys helmet rejects (`maxage`, `includeSubdomains`) or helmet 4 removed
 * (`setIf`), with a message saying what to write instead.
 */
const LEGACY_KEYS: Readonly<Record<string, string>> = {
  maxage: "unsupported option: it is spelt 'maxAge' (capital A). Did you mean 'maxAge'?",
  includeSubdomains:
    "unsupported option: it is spelt 'includeSubDomains' (capital D). Did you mean 'includeSubDomains'?",
  setIf:
    'unsupported option: helmet removed `setIf` in v4; send HSTS on every HTTPS response, or set strictTransportSecurity: false and add the header yourself where needed',
}

/**
 * Compiles `strictTransportSecurity`: `undefined`/`true`/`{}` →
 * `max-age=31536000; includeSubDomains`, `false` → no header, `{ maxAge, includeSubDomains,
 * preload }` → directives joined with `; `, byte for byte as helmet.
 */
export const compileStrictTransportSecurity: HeaderCompiler =
  function compileStrictTransportSecurity(value, path, issues): readonly PlannedHeader[] {
    // Count from here: the sink may already hold other options' issues.
    const start = issues.length
    const options = readOptions(value, path, issues, {
      header: 'Strict-Transport-Security',
      defaultOn: true,
      keys: ['maxAge', 'includeSubDomains', 'preload'],
      known: LEGACY_KEYS,
    })
    if (options === undefined) return []
    const maxAge = readMaxAge(options.maxAge, `${path}.maxAge`, issues)
    const includeSubDomains = readBoolean(
      options.includeSubDomains,
      true,
      `${path}.includeSubDomains`,
      issues,
    )
    const preload = readBoolean(options.preload, false, `${path}.preload`, issues)
    if (issues.length > start || maxAge === undefined) return []
    let header = `max-age=${maxAge}`
    if (includeSubDomains) header += '; includeSubDomains'
    if (preload) header += '; preload'
    return [{ name: 'Strict-Transport-Security', value: header }]
  }

/**
 * Helmet accepts any finite number >= 0 and floors it. Beyond 2^53 - 1 `String(n)` switches
 * to exponent notation (`1e+21`), which is not a valid delta-seconds, so that is refused too
 * (helmet would send it).
 */
function readMaxAge(value: unknown, path: string, issues: IssueSink): number | undefined {
  if (value === undefined) return DEFAULT_HSTS_MAX_AGE
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    const hint =
      typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))
        ? ` Pass a number, not a string: maxAge: ${Math.floor(Number(value))}`
        : ''
    issues.push({
      path,
      message: withHint(
        `must be a non-negative integer number of seconds, received ${describeValue(value)}`,
        hint,
      ),
    })
    return undefined
  }
  if (value > Number.MAX_SAFE_INTEGER) {
    issues.push({
      path,
      message: `must be at most ${Number.MAX_SAFE_INTEGER} seconds, received ${value}. One or two years (31536000 or 63072000) is the usual choice`,
    })
    return undefined
  }
  // Math.floor(-0) is -0, which prints as `0`: same bytes as helmet.
  return Math.floor(value)
}
