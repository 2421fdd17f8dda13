/**
 * Removal of response headers that disclose the server's technology (framework, language,
 * CMS, proxy and tracing internals) and so help an attacker pick exploits.
 * @module
 */
import type { IssueSink } from '../header-plan.js'
import { describeValue, isToken } from './option-checks.js'

/**
 * Like a `HeaderCompiler` but for headers to strip: compiles an option into the header
 * names to remove from every response, reporting every problem to `issues`.
 */
export type RemovalCompiler = (value: unknown, path: string, issues: IssueSink) => readonly string[]

/**
 * The OWASP Secure Headers Project's list of headers to remove, copied from
 * `ci/headers_remove.json` of github.com/OWASP/www-project-secure-headers (list dated
 * 2026-07-19, repository commit a4a09007). Kept in the project's (alphabetical) order and
 * spelling; `$wsep` is a real header name (IBM WebSphere), and a valid token.
 */
export const OWASP_REMOVE_HEADERS: readonly string[] = Object.freeze([
  '$wsep',
  'Host-Header',
  'K-Proxy-Request',
  'Liferay-Portal',
  'OracleCommerceCloud-Version',
  'Pega-Host',
  'Powered-By',
  'Product',
  'Server',
  'SourceMap',
  'X-AspNet-Version',
  'X-AspNetMvc-Version',
  'X-Atmosphere-error',
  'X-Atmosphere-first-request',
  'X-Atmosphere-tracking-id',
  'X-B3-ParentSpanId',
  'X-B3-Sampled',
  'X-B3-SpanId',
  'X-B3-TraceId',
  'X-BEServer',
  'X-Backside-Transport',
  'X-CF-Powered-By',
  'X-CMS',
  'X-CalculatedBETarget',
  'X-Cocoon-Version',
  'X-Content-Encoded-By',
  'X-Datadog-Origin',
  'X-Datadog-Parent-Id',
  'X-Datadog-Sampling-Priority',
  'X-Datadog-Tags',
  'X-Datadog-Trace-Id',
  'X-DiagInfo',
  'X-Envoy-Attempt-Count',
  'X-Envoy-External-Address',
  'X-Envoy-Internal',
  'X-Envoy-Original-Dst-Host',
  'X-Envoy-Upstream-Service-Time',
  'X-FEServer',
  'X-Framework',
  'X-Generated-By',
  'X-Generator',
  'X-Gitlab-Meta',
  'X-Jitsi-Release',
  'X-Joomla-Version',
  'X-Kong-Admin-Latency',
  'X-Kong-Client-Latency',
  'X-Kong-Proxy-Latency',
  'X-Kong-Request-Id',
  'X-Kong-Response-Latency',
  'X-Kong-Third-Party-Latency',
  'X-Kong-Total-Latency',
  'X-Kong-Upstream-Latency',
  'X-Kong-Upstream-Status',
  'X-Kubernetes-PF-FlowSchema-UI',
  'X-Kubernetes-PF-PriorityLevel-UID',
  'X-LiteSpeed-Cache',
  'X-LiteSpeed-Purge',
  'X-LiteSpeed-Tag',
  'X-LiteSpeed-Vary',
  'X-Litespeed-Cache-Control',
  'X-Mod-Pagespeed',
  'X-Nextjs-Cache',
  'X-Nextjs-Matched-Path',
  'X-Nextjs-Page',
  'X-Nextjs-Redirect',
  'X-OWA-Version',
  'X-Old-Content-Length',
  'X-OneAgent-JS-Injection',
  'X-Page-Speed',
  'X-Php-Version',
  'X-Powered-By',
  'X-Powered-By-Plesk',
  'X-Powered-CMS',
  'X-Redirect-By',
  'X-Server-Powered-By',
  'X-SourceFiles',
  'X-SourceMap',
  'X-Turbo-Charged-By',
  'X-Tyk-Trace-Id',
  'X-Umbraco-Version',
  'X-Varnish-Backend',
  'X-Varnish-Server',
  'X-Woodpecker-Version',
  'X-dtAgentId',
  'X-dtHealthCheck',
  'X-dtInjectedServlet',
  'X-ruxit-JS-Agent',
])

/**
 * Compiles `removeHeaders`: `undefined`/`false` → nothing, `true` → {@link OWASP_REMOVE_HEADERS},
 * an array → exactly those names (it replaces the OWASP list; spread `OWASP_REMOVE_HEADERS`
 * into it to extend). Each name must be a header-name token, listed once (case-insensitive,
 * as header names are).
 */
export const compileRemovals: RemovalCompiler = function compileRemovals(
  value,
  path,
  issues,
): readonly string[] {
  if (value === undefined || value === false) return []
  if (value === true) return [...OWASP_REMOVE_HEADERS]
  if (!Array.isArray(value)) {
    issues.push({
      path,
      message: `must be true (the OWASP list), false, or an array of header names, received ${describeValue(value)}`,
    })
    return []
  }
  const before = issues.length
  const names: string[] = []
  const seen = new Map<string, number>()
  for (let i = 0; i < value.length; i++) {
    const name: unknown = value[i]
    const itemPath = `${path}[${i}]`
    if (typeof name !== 'string' || !isToken(name)) {
      issues.push({
        path: itemPath,
        message: `must be a header name (letters, digits and !#$%&'*+-.^_\`|~, no spaces or colon), received ${describeValue(name)}`,
      })
      continue
    }
    const key = name.toLowerCase()
    const first = seen.get(key)
    if (first !== undefined) {
      issues.push({
        path: itemPath,
        message: `duplicate header name ${describeValue(name)} (already at ${path}[${first}]; names are case-insensitive)`,
      })
      continue
    }
    seen.set(key, i)
    names.push(name)
  }
  return issues.length > before ? [] : names
}
