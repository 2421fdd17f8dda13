/**
 * `X-Content-Type-Options`: stops browsers from MIME-sniffing a response into an executable
 * type (an uploaded "image" run as a script).
 * @module
 */
import type { HeaderCompiler, PlannedHeader } from '../header-plan.js'
import { readOptions } from './option-checks.js'

/**
 * Compiles `xContentTypeOptions`: `undefined`/`true`/`{}` → `X-Content-Type-Options: nosniff`,
 * `false` → no header. The header takes no options: helmet only warns about an options
 * object, here any key in one is an issue.
 */
export const compileXContentTypeOptions: HeaderCompiler = function compileXContentTypeOptions(
  value,
  path,
  issues,
): readonly PlannedHeader[] {
  // Count from here: the sink may already hold other options' issues.
  const start = issues.length
  const options = readOptions(value, path, issues, {
    header: 'X-Content-Type-Options',
    defaultOn: true,
    keys: [],
  })
  if (options === undefined || issues.length > start) return []
  return [{ name: 'X-Content-Type-Options', value: 'nosniff' }]
}
