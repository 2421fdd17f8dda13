/**
 * `X-XSS-Protection`: turns OFF the XSS auditor of old browsers. The auditor itself opened
 * XS-Leaks and could be abused to disable page scripts, so the safe value is `0` (OWASP
 * agrees); CSP is the real defence.
 * @module
 */
import type { HeaderCompiler, PlannedHeader } from '../header-plan.js'
import { readOptions } from './option-checks.js'

/**
 * Compiles `xXssProtection`: `undefined`/`true`/`{}` → `X-XSS-Protection: 0`,
 * `false` → no header. The header takes no options: helmet only warns about an options
 * object, here any key in one is an issue.
 */
export const compileXXssProtection: HeaderCompiler = function compileXXssProtection(
  value,
  path,
  issues,
): readonly PlannedHeader[] {
  // Count from here: the sink may already hold other options' issues.
  const start = issues.length
  const options = readOptions(value, path, issues, {
    header: 'X-XSS-Protection',
    defaultOn: true,
    keys: [],
  })
  if (options === undefined || issues.length > start) return []
  return [{ name: 'X-XSS-Protection', value: '0' }]
}
