/**
 * `Clear-Site-Data`: tells the browser to delete this origin's cached responses, cookies and
 * storage. For logout and account-deletion routes only: sent on every response it would log
 * users out of everything on every request, so it is never on by default.
 * @module
 */
import type { HeaderCompiler, PlannedHeader } from '../header-plan.js'
import { describeValue, didYouMean, listValues, readOptions, withHint } from './option-checks.js'

/** The data types of the Clear-Site-Data spec (and its prefetch/prerender extensions). */
export const CLEAR_SITE_DATA_TYPES = [
  'cache',
  'cookies',
  'storage',
  'executionContexts',
  'clientHints',
  'prefetchCache',
  'prerenderCache',
  '*',
] as const

/** A `Clear-Site-Data` type; `'*'` means every type, present and future. */
export type ClearSiteDataType = (typeof CLEAR_SITE_DATA_TYPES)[number]

/** Options for `clearSiteData`. */
export interface ClearSiteDataOptions {
  /** What to clear, sent in this order. Default `['cache', 'cookies', 'storage']`. */
  readonly types?: readonly ClearSiteDataType[]
}

const DEFAULT_TYPES: readonly ClearSiteDataType[] = ['cache', 'cookies', 'storage']

/**
 * Compiles `clearSiteData`: `undefined`/`false` → no header, `true`/`{}` →
 * `"cache", "cookies", "storage"`, `{ types }` → those types, quoted and comma-separated
 * (a structured-fields list of strings). `'*'` must be alone.
 */
export const compileClearSiteData: HeaderCompiler = function compileClearSiteData(
  value,
  path,
  issues,
): readonly PlannedHeader[] {
  // Count from here: the sink may already hold other options' issues.
  const start = issues.length
  const options = readOptions(value, path, issues, {
    header: 'Clear-Site-Data',
    defaultOn: false,
    keys: ['types'],
  })
  if (options === undefined) return []
  // Only `undefined` means "default": `null` is a mistake worth reporting, as helmet's own
  // destructuring defaults treat it.
  const types = options.types === undefined ? DEFAULT_TYPES : options.types
  const typesPath = `${path}.types`
  if (!Array.isArray(types)) {
    const hint = typeof types === 'string' ? ` Wrap it in an array: [${describeValue(types)}]` : ''
    issues.push({
      path: typesPath,
      message: withHint(`must be an array of types, received ${describeValue(types)}`, hint),
    })
    return []
  }
  if (types.length === 0) {
    issues.push({
      path: typesPath,
      message: `must list at least one type: ${listValues(CLEAR_SITE_DATA_TYPES)}`,
    })
    return []
  }
  const seen = new Map<string, number>()
  for (let i = 0; i < types.length; i++) {
    const type: unknown = types[i]
    const itemPath = `${typesPath}[${i}]`
    if (typeof type !== 'string' || !(CLEAR_SITE_DATA_TYPES as readonly string[]).includes(type)) {
      issues.push({
        path: itemPath,
        message: withHint(
          `must be a Clear-Site-Data type: ${listValues(CLEAR_SITE_DATA_TYPES)}, received ${describeValue(type)}`,
          didYouMean(type, CLEAR_SITE_DATA_TYPES),
        ),
      })
      continue
    }
    const first = seen.get(type)
    if (first !== undefined) {
      issues.push({
        path: itemPath,
        message: `duplicate type '${type}' (already at ${typesPath}[${first}])`,
      })
      continue
    }
    seen.set(type, i)
  }
  if (issues.length > start) return []
  if (seen.has('*') && types.length > 1) {
    issues.push({
      path: typesPath,
      message: "'*' clears every type, so the other types are redundant: use ['*'] alone",
    })
    return []
  }
  return [{ name: 'Clear-Site-Data', value: types.map((type) => `"${type}"`).join(', ') }]
}
