/**
 * `X-Permitted-Cross-Domain-Policies`: whether Adobe Flash and Acrobat may load this site's
 * `crossdomain.xml` policy files. `none` forbids them all.
 * @module
 */
import { enumHeader } from './compilers.js'

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
export const compileXPermittedCrossDomainPolicies = enumHeader({
  header: 'X-Permitted-Cross-Domain-Policies',
  defaultOn: true,
  key: 'permittedPolicies',
  values: PERMITTED_CROSS_DOMAIN_POLICIES,
  fallback: 'none',
  describe: 'an X-Permitted-Cross-Domain-Policies value',
})
