/**
 * `Cross-Origin-Embedder-Policy`: which cross-origin resources a document may load. Off by
 * default, as in helmet 8: `require-corp` breaks pages that embed third-party resources not
 * served with CORP or CORS, so it has to be an informed choice.
 * @module
 */
import type { HeaderCompiler, PlannedHeader } from '../header-plan.js'
import { readEnum, readOptions } from './option-checks.js'

/** The policies helmet accepts, in helmet's order. */
export const CROSS_ORIGIN_EMBEDDER_POLICIES = [
  'require-corp',
  'credentialless',
  'unsafe-none',
] as const

/** A `Cross-Origin-Embedder-Policy` policy. */
export type CrossOriginEmbedderPolicy = (typeof CROSS_ORIGIN_EMBEDDER_POLICIES)[number]

/** Options for `crossOriginEmbedderPolicy`, as in helmet. */
export interface CrossOriginEmbedderPolicyOptions {
  /** Default `'require-corp'` (when the header is turned on with `true` or `{}`). */
  readonly policy?: CrossOriginEmbedderPolicy
}

/**
 * Compiles `crossOriginEmbedderPolicy`: `undefined` and `false` → no header (helmet 8's
 * default), `true`/`{}` → `require-corp`, `{ policy }` → that policy.
 */
export const compileCrossOriginEmbedderPolicy: HeaderCompiler =
  function compileCrossOriginEmbedderPolicy(value, path, issues): readonly PlannedHeader[] {
    // Count from here: the sink may already hold other options' issues.
    const start = issues.length
    const options = readOptions(value, path, issues, {
      header: 'Cross-Origin-Embedder-Policy',
      defaultOn: false,
      keys: ['policy'],
    })
    if (options === undefined) return []
    const policy =
      options.policy === undefined
        ? 'require-corp'
        : readEnum(
            options.policy,
            CROSS_ORIGIN_EMBEDDER_POLICIES,
            `${path}.policy`,
            issues,
            'a Cross-Origin-Embedder-Policy policy',
          )
    if (policy === undefined || issues.length > start) return []
    return [{ name: 'Cross-Origin-Embedder-Policy', value: policy }]
  }
