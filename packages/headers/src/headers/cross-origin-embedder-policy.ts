/**
 * `Cross-Origin-Embedder-Policy`: which cross-origin resources a document may load. Off by
 * default, as in helmet 8: `require-corp` breaks pages that embed third-party resources not
 * served with CORP or CORS, so it has to be an informed choice.
 * @module
 */
import { enumHeader } from './compilers.js'

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
export const compileCrossOriginEmbedderPolicy = enumHeader({
  header: 'Cross-Origin-Embedder-Policy',
  defaultOn: false,
  key: 'policy',
  values: CROSS_ORIGIN_EMBEDDER_POLICIES,
  fallback: 'require-corp',
  describe: 'a Cross-Origin-Embedder-Policy policy',
})
