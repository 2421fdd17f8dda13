/**
 * `X-DNS-Prefetch-Control`: whether the browser may resolve the domains of links on the page
 * before they are clicked. Off by default: prefetching tells DNS observers which links a page
 * shows.
 * @module
 */
import type { HeaderCompiler, PlannedHeader } from '../header-plan.js'
import { readBoolean, readOptions } from './option-checks.js'

/** Options for `xDnsPrefetchControl` (alias `dnsPrefetchControl`), as in helmet. */
export interface XDnsPrefetchControlOptions {
  /** `true` sends `on` (allow prefetching, faster links); default `false` sends `off`. */
  readonly allow?: boolean
}

/**
 * Compiles `xDnsPrefetchControl`: `undefined`/`true`/`{}` → `off`, `false` → no header,
 * `{ allow: true }` → `on`. Helmet reads `allow` by truthiness; here it must be a boolean.
 */
export const compileXDnsPrefetchControl: HeaderCompiler = function compileXDnsPrefetchControl(
  value,
  path,
  issues,
): readonly PlannedHeader[] {
  // Count from here: the sink may already hold other options' issues.
  const start = issues.length
  const options = readOptions(value, path, issues, {
    header: 'X-DNS-Prefetch-Control',
    defaultOn: true,
    keys: ['allow'],
  })
  if (options === undefined) return []
  const allow = readBoolean(options.allow, false, `${path}.allow`, issues)
  if (issues.length > start) return []
  return [{ name: 'X-DNS-Prefetch-Control', value: allow ? 'on' : 'off' }]
}
