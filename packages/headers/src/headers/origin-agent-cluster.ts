/**
 * `Origin-Agent-Cluster`: asks the browser to give this origin its own agent cluster (often
 * its own process) instead of sharing one with same-site pages, so `document.domain`
 * relaxation and cross-origin memory sharing stop working.
 * @module
 */
import type { HeaderCompiler, PlannedHeader } from '../header-plan.js'
import { readOptions } from './option-checks.js'

/**
 * Compiles `originAgentCluster`: `undefined`/`true`/`{}` → `Origin-Agent-Cluster: ?1`,
 * `false` → no header. The header takes no options: helmet only warns about an options
 * object, here any key in one is an issue.
 */
export const compileOriginAgentCluster: HeaderCompiler = function compileOriginAgentCluster(
  value,
  path,
  issues,
): readonly PlannedHeader[] {
  // Count from here: the sink may already hold other options' issues.
  const start = issues.length
  const options = readOptions(value, path, issues, {
    header: 'Origin-Agent-Cluster',
    defaultOn: true,
    keys: [],
  })
  if (options === undefined || issues.length > start) return []
  return [{ name: 'Origin-Agent-Cluster', value: '?1' }]
}
