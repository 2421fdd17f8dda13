/**
 * `compileCsp`: the `contentSecurityPolicy` option in, a {@link CspPlan} out, with every
 * problem reported and everything computable computed here, once.
 * @module
 */
import { type CspPlan, type IssueSink, isSafeHeaderValue } from '../header-plan.js'
import { assemblePolicy } from './assemble.js'
import { checkStrictDynamic, planNonces } from './nonce.js'
import { readCspOptions } from './options.js'
import { createPlan } from './plan.js'
import { type ReadDirectives, readDirectives } from './read-directives.js'
import { buildSegments } from './segments.js'
import type { CspSettings } from './types.js'

const NO_USER_DIRECTIVES: ReadDirectives = { directives: [], invalid: new Set() }

/**
 * Compiles the `contentSecurityPolicy` option into a plan, matching helmet 8's output byte
 * for byte (same default directives, order and formatting).
 *
 * @param option `undefined` or `true` for helmet's default policy, `false` for no header, or
 *   an options object (see `CspOptions`).
 * @param path issue path of the option, e.g. `contentSecurityPolicy`.
 * @param settings guard-wide nonce and `upgrade-insecure-requests` settings; the options
 *   object's own `nonce` and `upgradeInsecureRequests` win.
 * @param issues every problem found is pushed here (never thrown); the factory throws them
 *   together.
 * @param reportOnly force `Content-Security-Policy-Report-Only`, for a second, report-only
 *   policy sent alongside the enforced one.
 * @returns the plan, or `undefined` when the option is `false` or has problems.
 */
export function compileCsp(
  option: unknown,
  path: string,
  settings: CspSettings,
  issues: IssueSink,
  reportOnly = false,
): CspPlan | undefined {
  if (option === false) return undefined
  const before = issues.length
  const options = readCspOptions(option, path, settings, issues)
  if (options === undefined) return undefined
  const base = `${path}.directives`
  const read =
    options.directives === undefined
      ? NO_USER_DIRECTIVES
      : readDirectives(options.directives, base, issues)
  const policy = assemblePolicy(read, options.useDefaults, base, issues)
  const planned = planNonces(policy, options.nonce)
  checkStrictDynamic(planned, issues)
  if (issues.length > before) return undefined

  const dynamic = planned.some((d) => d.facts.functions > 0)
  const https = buildSegments(planned, dynamic)
  const http =
    options.upgradeInsecureRequests === 'https-only' && policy.has('upgrade-insecure-requests')
      ? buildSegments(
          planned.filter((d) => d.name !== 'upgrade-insecure-requests'),
          dynamic,
        )
      : https
  // Every entry was checked already; this guards the assembly itself.
  for (const segment of [...https, ...http]) {
    if (typeof segment === 'string' && !isSafeHeaderValue(segment)) {
      issues.push({ path, message: 'the policy contains characters that cannot go in a header.' })
      return undefined
    }
  }
  const name =
    reportOnly || options.reportOnly
      ? 'Content-Security-Policy-Report-Only'
      : 'Content-Security-Policy'
  return createPlan(name, { https, http })
}
