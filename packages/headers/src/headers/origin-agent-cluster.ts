/**
 * `Origin-Agent-Cluster`: asks the browser to give this origin its own agent cluster (often
 * its own process) instead of sharing one with same-site pages, so `document.domain`
 * relaxation and cross-origin memory sharing stop working.
 * @module
 */
import { fixedValueHeader } from './compilers.js'

/**
 * Compiles `originAgentCluster`: `undefined`/`true`/`{}` → `Origin-Agent-Cluster: ?1`,
 * `false` → no header. The header takes no options: helmet only warns about an options
 * object, here any key in one is an issue.
 */
export const compileOriginAgentCluster = fixedValueHeader('Origin-Agent-Cluster', '?1')
