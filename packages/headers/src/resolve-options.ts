/**
 * From what the user passed to the options each header module compiles: top-level checks
 * (unknown options, helmet alias conflicts), the preset underneath, and per-route overrides
 * on top. Nothing here runs per request.
 * @module
 */
import { type ConfigIssue, closestMatch, isPlainObject } from '@rampart/core'
import { dashify } from './csp/directive-names.js'
import { HELMET_HEADERS } from './headers/index.js'
import { PRESETS, type PresetName } from './presets.js'

/** Rampart's own top-level options (beside helmet's). */
const OWN_OPTIONS = [
  'preset',
  'nonce',
  'upgradeInsecureRequests',
  'contentSecurityPolicy',
  'contentSecurityPolicyReportOnly',
  'permissionsPolicy',
  'reportingEndpoints',
  'cacheControl',
  'removeHeaders',
] as const

/** Canonical option → its helmet legacy aliases. */
const ALIASES: ReadonlyMap<string, readonly string[]> = new Map(
  HELMET_HEADERS.map((entry) => [entry.option, entry.aliases]),
)

const KNOWN = new Set<string>([
  ...OWN_OPTIONS,
  ...HELMET_HEADERS.flatMap((entry) => [entry.option, ...entry.aliases]),
])

/** Options keyed by canonical name only, preset applied. */
export type ResolvedOptions = Readonly<Record<string, unknown>>

/**
 * Checks top-level names and folds helmet's legacy aliases into their canonical option.
 * helmet throws when both spellings are given; so do we (as an issue).
 */
export function canonicalise(input: unknown, issues: ConfigIssue[]): Record<string, unknown> {
  if (input === undefined) return {}
  if (!isPlainObject(input)) {
    issues.push({ path: '', message: `expected an options object, received ${typeof input}` })
    return {}
  }
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(input)) {
    if (!KNOWN.has(key)) {
      const near = closestMatch(key, KNOWN)
      issues.push({
        path: key,
        message: `unknown option.${near ? ` Did you mean '${near}'?` : ''}`,
      })
      continue
    }
    if (value === undefined) continue
    out[key] = value
  }
  for (const [canonical, aliases] of ALIASES) {
    for (const alias of aliases) {
      if (!(alias in out)) continue
      if (canonical in out) {
        issues.push({
          path: alias,
          message: `${canonical} and its legacy alias ${alias} are both set; keep one (${canonical} is preferred)`,
        })
      } else {
        out[canonical] = out[alias]
      }
      delete out[alias]
    }
  }
  return out
}

/**
 * CSP directives keyed by kebab-case name, so `scriptSrc` in an override replaces `script-src`.
 * Two spellings of one directive in the same object are reported, as the CSP compiler would.
 */
function directivesByName(
  directives: unknown,
  path: string,
  issues: ConfigIssue[] | undefined,
): Record<string, unknown> | undefined {
  if (!isPlainObject(directives)) return undefined
  const out: Record<string, unknown> = {}
  const spelledAs = new Map<string, string>()
  for (const [name, value] of Object.entries(directives)) {
    const kebab = dashify(name)
    const earlier = spelledAs.get(kebab)
    if (earlier !== undefined) {
      issues?.push({
        path: `${path}.directives.${name}`,
        message: `duplicates ${earlier}: give each directive once`,
      })
    }
    spelledAs.set(kebab, name)
    out[kebab] = value
  }
  return out
}

/**
 * Lays `top` over `base`, option by option. CSP options merge one level deeper: directives
 * from `top` replace the same directive in `base` (whatever its spelling) and keep the rest.
 */
export function layer(
  base: Record<string, unknown>,
  top: Record<string, unknown>,
  issues?: ConfigIssue[],
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(top)) {
    const under = out[key]
    const isCsp = key === 'contentSecurityPolicy' || key === 'contentSecurityPolicyReportOnly'
    if (isCsp && isPlainObject(under) && isPlainObject(value)) {
      const baseDirectives = directivesByName(under.directives, key, undefined)
      const topDirectives = directivesByName(value.directives, key, issues)
      out[key] = {
        ...under,
        ...value,
        ...(baseDirectives || topDirectives
          ? { directives: { ...baseDirectives, ...topDirectives } }
          : {}),
      }
    } else {
      out[key] = value
    }
  }
  return out
}

/** Applies the chosen preset under the user's options. */
export function withPreset(
  options: Record<string, unknown>,
  issues: ConfigIssue[],
): Record<string, unknown> {
  const name = options.preset ?? 'helmet'
  const preset = typeof name === 'string' ? PRESETS[name as PresetName] : undefined
  if (preset === undefined) {
    issues.push({
      path: 'preset',
      message: `expected 'helmet', 'strict' or 'api', received ${JSON.stringify(name)}`,
    })
    return options
  }
  const { preset: _chosen, ...rest } = options
  return layer({ ...preset }, rest, issues)
}
