/**
 * Turns resolved options into a header plan: the static headers (prepared once), the CSP
 * policies that need the request (nonce, scheme, functions), and the headers to remove.
 * @module
 */
import {
  type ConfigIssue,
  type PreparedHeader,
  prepareHeaders,
  RampartConfigError,
} from '@rampart/core'
import { compileCsp } from './csp/index.js'
import type { CspPlan, PlannedHeader } from './header-plan.js'
import {
  compileCacheControl,
  compilePermissionsPolicy,
  compileRemovals,
  compileReportingEndpoints,
  HELMET_HEADERS,
} from './headers/index.js'
import { canonicalise, withPreset } from './resolve-options.js'

/** Config error code of `@rampart/headers`. */
export const HEADERS_CONFIG_CODE = 'ERR_RAMPART_HEADERS_CONFIG'

/** What a `securityHeaders()` guard applies per request. */
export interface HeaderPlan {
  /** Every header whose value is known at construction, CSP included when it is static. */
  readonly fixed: readonly PreparedHeader[]
  /** CSP policies rendered per request (nonce, https-only upgrade, function directives). */
  readonly perRequest: readonly CspPlan[]
  /** Lower-cased names of `perRequest`, so staging them needs no per-request lower-casing. */
  readonly perRequestKeys: readonly string[]
  /** Whether a nonce is needed per request. */
  readonly usesNonce: boolean
  /** Whether a per-request policy differs between HTTP and HTTPS (so the scheme must be read). */
  readonly needsScheme: boolean
  /** Every header name this plan sets or removes (lower-case). */
  readonly names: ReadonlySet<string>
}

/** A CSP plan whose value never depends on the request. */
function isStatic(plan: CspPlan): boolean {
  return !plan.usesNonce && !plan.dynamic && plan.render(PROBE_HTTP) === plan.render(PROBE_HTTPS)
}
const probe = (https: boolean, nonce?: string) => ({ nonce, https, ctx: undefined as never })
const PROBE_HTTP = probe(false)
const PROBE_HTTPS = probe(true)

/** Reading `ctx.url` parses a URL: only pay for it when the scheme changes the policy. */
function dependsOnScheme(plan: CspPlan): boolean {
  if (plan.dynamic) return true
  return plan.render(probe(false, 'probe')) !== plan.render(probe(true, 'probe'))
}

/** Compiles options (already canonical, preset applied) into a plan, collecting every issue. */
export function compilePlan(options: Record<string, unknown>, issues: ConfigIssue[]): HeaderPlan {
  const settings = {
    nonce: options.nonce === true,
    upgradeInsecureRequests: (options.upgradeInsecureRequests ?? 'always') as
      | 'always'
      | 'https-only',
  }
  if (options.nonce !== undefined && typeof options.nonce !== 'boolean') {
    issues.push({
      path: 'nonce',
      message: `expected true or false, received ${typeof options.nonce}`,
    })
  }
  if (!['always', 'https-only'].includes(settings.upgradeInsecureRequests)) {
    issues.push({ path: 'upgradeInsecureRequests', message: "expected 'always' or 'https-only'" })
  }

  const headers: PlannedHeader[] = []
  const removals: string[] = []
  const csp: CspPlan[] = []
  const enforced = compileCsp(
    options.contentSecurityPolicy,
    'contentSecurityPolicy',
    settings,
    issues,
  )
  if (enforced) csp.push(enforced)
  const reportOnly = options.contentSecurityPolicyReportOnly
  if (reportOnly !== undefined && reportOnly !== false) {
    const plan = compileCsp(reportOnly, 'contentSecurityPolicyReportOnly', settings, issues, true)
    if (plan) csp.push(plan)
  }
  for (const entry of HELMET_HEADERS) {
    const value = options[entry.option]
    if (entry.kind === 'set') headers.push(...entry.compile(value, entry.option, issues))
    else removals.push(...entry.compile(value, entry.option, issues))
  }
  headers.push(...compilePermissionsPolicy(options.permissionsPolicy, 'permissionsPolicy', issues))
  headers.push(
    ...compileReportingEndpoints(options.reportingEndpoints, 'reportingEndpoints', issues),
  )
  headers.push(...compileCacheControl(options.cacheControl, 'cacheControl', issues))
  removals.push(...compileRemovals(options.removeHeaders, 'removeHeaders', issues))

  const fixedCsp = csp.filter(isStatic)
  const perRequest = csp.filter((plan) => !isStatic(plan))
  const fixed = [
    ...fixedCsp.map((plan) => ({ name: plan.name, value: plan.render(PROBE_HTTPS) })),
    ...headers,
  ]
  const names = new Set<string>()
  for (const h of fixed) names.add(h.name.toLowerCase())
  for (const p of perRequest) names.add(p.name.toLowerCase())
  for (const r of removals) names.add(r.toLowerCase())
  return {
    fixed: prepareHeaders([
      ...fixed,
      ...uniqueByName(removals).map((name) => ({ name, value: '', mode: 'remove' as const })),
    ]),
    perRequest,
    perRequestKeys: perRequest.map((p) => p.name.toLowerCase()),
    usesNonce: perRequest.some((plan) => plan.usesNonce),
    needsScheme: perRequest.some(dependsOnScheme),
    names,
  }
}

/** Names without case-insensitive repeats (`xPoweredBy` and the OWASP list both remove `X-Powered-By`). */
function uniqueByName(names: readonly string[]): string[] {
  const seen = new Set<string>()
  return names.filter((name) => {
    const key = name.toLowerCase()
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** Validates and compiles user options (with preset and an optional base to layer onto). */
export function resolveAndCompile(
  scope: string,
  input: unknown,
  layerOnto?: (options: Record<string, unknown>, issues: ConfigIssue[]) => Record<string, unknown>,
): { options: Record<string, unknown>; plan: HeaderPlan } {
  const issues: ConfigIssue[] = []
  const canonical = canonicalise(input, issues)
  const options = layerOnto ? layerOnto(canonical, issues) : withPreset(canonical, issues)
  const plan = compilePlan(options, issues)
  if (issues.length > 0) throw new RampartConfigError(scope, issues, HEADERS_CONFIG_CODE)
  return { options, plan }
}
