/**
 * `X-Permitted-Cross-Domain-Policies`: whether Adobe Flash and Acrobat may load this site's
 * `crossdomain.xml` policy files. `none` forbids them all.
 * @module
 */
import type { HeaderCompiler, PlannedHeader } from '../header-plan.js'
import { readEnum, readOptions } from './option-checks.js'

/** The values helmet accepts, in helmet's order. */
export const PERMITTED_CROSS_DOMAIN_POLICIES = [
  'none',
  'master-only',
  'by-content-type',
  'all',
] as const

/** An `X-Permitted-Cross-Domain-Policies` value. */
export type PermittedCrossDomainPolicy = (typeof PERMITTED_CROSS_DOMAIN_POLICIES)[number]

/**
 * Options for `xPermittedCrossDomainPolicies` (alias `permittedCrossDomainPolicies`), as in
 * helmet.
 */
export interface XPermittedCrossDomainPoliciesOptions {
  /** Default `'none'`. */
  readonly permittedPolicies?: PermittedCrossDomainPolicy
}

/**
 * Compiles `xPermittedCrossDomainPolicies`: `undefined`/`true`/`{}` → `none`, `false` → no
 * header, `{ permittedPolicies }` → that value.
 */
export const compileXPermittedCrossDomainPolicies: HeaderCompiler =
  function compileXPermittedCrossDomainPolicies(value, path, issues): readonly PlannedHeader[] {
    // Count from here: the sink may already hold other options' issues.
    const start = issues.length
    const options = readOptions(value, path, issues, {
      header: 'X-Permitted-Cross-Domain-Policies',
      defaultOn: true,
      keys: ['permittedPolicies'],
    })
    if (options === undefined) return []
    const policy =
      options.permittedPolicies === undefined
        ? 'none'
        : readEnum(
            options.permittedPolicies,
            PERMITTED_CROSS_DOMAIN_POLICIES,
            `${path}.permittedPolicies`,
            issues,
            'an X-Permitted-Cross-Domain-Policies value',
          )
    if (policy === undefined || issues.length > start) return []
    return [{ name: 'X-Permitted-Cross-Domain-Policies', value: policy }]
  }
