/**
 * `X-Download-Options`: stops old Internet Explorer from opening downloads in the site's
 * context. Legacy, kept because helmet sends it.
 * @module
 */
import type { HeaderCompiler, PlannedHeader } from '../header-plan.js'
import { readOptions } from './option-checks.js'

/**
 * Compiles `xDownloadOptions`: `undefined`/`true`/`{}` → `X-Download-Options: noopen`,
 * `false` → no header. The header takes no options: helmet only warns about an options
 * object, here any key in one is an issue.
 */
export const compileXDownloadOptions: HeaderCompiler = function compileXDownloadOptions(
  value,
  path,
  issues,
): readonly PlannedHeader[] {
  // Count from here: the sink may already hold other options' issues.
  const start = issues.length
  const options = readOptions(value, path, issues, {
    header: 'X-Download-Options',
    defaultOn: true,
    keys: [],
  })
  if (options === undefined || issues.length > start) return []
  return [{ name: 'X-Download-Options', value: 'noopen' }]
}
