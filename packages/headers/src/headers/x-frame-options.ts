/**
 * `X-Frame-Options`: the legacy clickjacking defence, for browsers that predate CSP
 * `frame-ancestors`. Helmet's default is `SAMEORIGIN`.
 * @module
 */
import type { HeaderCompiler, PlannedHeader } from '../header-plan.js'
import { describeValue, didYouMean, readOptions, withHint } from './option-checks.js'

/** Options for `xFrameOptions` (alias `frameguard`), as in helmet. */
export interface XFrameOptionsOptions {
  /**
   * `'deny'` (never framed) or `'sameorigin'` (framed by this origin only), in any case;
   * `'same-origin'` is read as `'sameorigin'`, as helmet does. Default `'sameorigin'`. The
   * header is sent upper-case (`DENY`, `SAMEORIGIN`).
   */
  readonly action?: 'deny' | 'sameorigin'
}

const ACTIONS = ['deny', 'sameorigin'] as const

/** `frameguard({ action: 'allow-from', domain })` from helmet 3 and earlier. */
const ALLOW_FROM =
  'ALLOW-FROM was dropped in helmet 4 and is ignored by current browsers; allow the framing origins with the Content-Security-Policy directive frame-ancestors instead'

/**
 * Compiles `xFrameOptions`: `undefined`/`true`/`{}` → `SAMEORIGIN`, `false` → no header,
 * `{ action }` → `DENY` or `SAMEORIGIN`.
 */
export const compileXFrameOptions: HeaderCompiler = function compileXFrameOptions(
  value,
  path,
  issues,
): readonly PlannedHeader[] {
  // Count from here: the sink may already hold other options' issues.
  const start = issues.length
  const options = readOptions(value, path, issues, {
    header: 'X-Frame-Options',
    defaultOn: true,
    keys: ['action'],
    known: { domain: `unsupported option: ${ALLOW_FROM}` },
  })
  if (options === undefined) return []
  // `=== undefined`, not `??`: helmet rejects `action: null`.
  const action = options.action === undefined ? 'sameorigin' : options.action
  // Helmet upper-cases with toUpperCase(), so the same strings are accepted here (down to the
  // odd Unicode case mappings, such as the long s in 'ſameorigin').
  const upper = typeof action === 'string' ? action.toUpperCase() : undefined
  if (upper === 'DENY' || upper === 'SAMEORIGIN' || upper === 'SAME-ORIGIN') {
    if (issues.length > start) return []
    return [{ name: 'X-Frame-Options', value: upper === 'DENY' ? 'DENY' : 'SAMEORIGIN' }]
  }
  const message =
    upper?.startsWith('ALLOW-FROM') === true
      ? `must be 'deny' or 'sameorigin', received ${describeValue(action)}: ${ALLOW_FROM}`
      : withHint(
          `must be 'deny' or 'sameorigin' (any case), received ${describeValue(action)}`,
          didYouMean(action, ACTIONS),
        )
  issues.push({ path: `${path}.action`, message })
  return []
}
