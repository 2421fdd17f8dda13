/**
 * `Cross-Origin-Resource-Policy`: which sites may load this response as a subresource
 * (blocks cross-site `<img>`/`<script>` reads of it, a Spectre mitigation).
 * @module
 */
import { enumHeader } from './compilers.js'

/** The policies helmet accepts, in helmet's order. */
export const CROSS_ORIGIN_RESOURCE_POLICIES = ['same-origin', 'same-site', 'cross-origin'] as const

/** A `Cross-Origin-Resource-Policy` policy. */
export type CrossOriginResourcePolicy = (typeof CROSS_ORIGIN_RESOURCE_POLICIES)[number]

/** Options for `crossOriginResourcePolicy`, as in helmet. */
export interface CrossOriginResourcePolicyOptions {
  /**
   * Default `'same-origin'`; public assets and APIs that other sites load need
   * `'cross-origin'`.
   */
  readonly policy?: CrossOriginResourcePolicy
}

/**
 * Compiles `crossOriginResourcePolicy`: `undefined`/`true`/`{}` → `same-origin`, `false` → no
 * header, `{ policy }` → that policy.
 */
export const compileCrossOriginResourcePolicy = enumHeader({
  header: 'Cross-Origin-Resource-Policy',
  defaultOn: true,
  key: 'policy',
  values: CROSS_ORIGIN_RESOURCE_POLICIES,
  fallback: 'same-origin',
  describe: 'a Cross-Origin-Resource-Policy policy',
})
