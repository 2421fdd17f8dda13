/**
 * `Cross-Origin-Resource-Policy`: which sites may load this response as a subresource
 * (blocks cross-site `<img>`/`<script>` reads of it, a Spectre mitigation).
 * @module
 */
import type { HeaderCompiler, PlannedHeader } from '../header-plan.js'
import { readEnum, readOptions } from './option-checks.js'

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
export const compileCrossOriginResourcePolicy: HeaderCompiler =
  function compileCrossOriginResourcePolicy(value, path, issues): readonly PlannedHeader[] {
    // Count from here: the sink may already hold other options' issues.
    const start = issues.length
    const options = readOptions(value, path, issues, {
      header: 'Cross-Origin-Resource-Policy',
      defaultOn: true,
      keys: ['policy'],
    })
    if (options === undefined) return []
    const policy =
      options.policy === undefined
        ? 'same-origin'
        : readEnum(
            options.policy,
            CROSS_ORIGIN_RESOURCE_POLICIES,
            `${path}.policy`,
            issues,
            'a Cross-Origin-Resource-Policy policy',
          )
    if (policy === undefined || issues.length > start) return []
    return [{ name: 'Cross-Origin-Resource-Policy', value: policy }]
  }
