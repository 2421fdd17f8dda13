/**
 * `Cross-Origin-Opener-Policy`: isolates the document's browsing context group from
 * cross-origin windows it opens or is opened by (XS-Leaks, Spectre-class attacks).
 * @module
 */
import type { HeaderCompiler, PlannedHeader } from '../header-plan.js'
import { readEnum, readOptions } from './option-checks.js'

/** The policies helmet accepts, in helmet's order. */
export const CROSS_ORIGIN_OPENER_POLICIES = [
  'same-origin',
  'same-origin-allow-popups',
  'noopener-allow-popups',
  'unsafe-none',
] as const

/** A `Cross-Origin-Opener-Policy` policy. */
export type CrossOriginOpenerPolicy = (typeof CROSS_ORIGIN_OPENER_POLICIES)[number]

/** Options for `crossOriginOpenerPolicy`, as in helmet. */
export interface CrossOriginOpenerPolicyOptions {
  /** Default `'same-origin'`. */
  readonly policy?: CrossOriginOpenerPolicy
}

/**
 * Compiles `crossOriginOpenerPolicy`: `undefined`/`true`/`{}` → `same-origin`, `false` → no
 * header, `{ policy }` → that policy.
 */
export const compileCrossOriginOpenerPolicy: HeaderCompiler =
  function compileCrossOriginOpenerPolicy(value, path, issues): readonly PlannedHeader[] {
    // Count from here: the sink may already hold other options' issues.
    const start = issues.length
    const options = readOptions(value, path, issues, {
      header: 'Cross-Origin-Opener-Policy',
      defaultOn: true,
      keys: ['policy'],
    })
    if (options === undefined) return []
    const policy =
      options.policy === undefined
        ? 'same-origin'
        : readEnum(
            options.policy,
            CROSS_ORIGIN_OPENER_POLICIES,
            `${path}.policy`,
            issues,
            'a Cross-Origin-Opener-Policy policy',
          )
    if (policy === undefined || issues.length > start) return []
    return [{ name: 'Cross-Origin-Opener-Policy', value: policy }]
  }
