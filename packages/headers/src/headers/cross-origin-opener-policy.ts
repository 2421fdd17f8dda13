/**
 * `Cross-Origin-Opener-Policy`: isolates the document's browsing context group from
 * cross-origin windows it opens or is opened by (XS-Leaks, Spectre-class attacks).
 * @module
 */
import { enumHeader } from './compilers.js'

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
export const compileCrossOriginOpenerPolicy = enumHeader({
  header: 'Cross-Origin-Opener-Policy',
  defaultOn: true,
  key: 'policy',
  values: CROSS_ORIGIN_OPENER_POLICIES,
  fallback: 'same-origin',
  describe: 'a Cross-Origin-Opener-Policy policy',
})
