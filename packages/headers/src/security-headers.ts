/**
 * `securityHeaders()`: helmet's headers (and more) as one guard for every framework.
 * @module
 */
import type { Guard, PreparedHeader, SecurityContext } from '@rampart/core'
import { type HeaderPlan, resolveAndCompile } from './compile.js'
import type { CspPlan } from './header-plan.js'
import { noncePool } from './nonce.js'
import type { SecurityHeadersOptions } from './options.js'
import { layer } from './resolve-options.js'
import { cspNonce } from './state.js'

/** The guard `securityHeaders()` returns. */
export interface SecurityHeadersGuard extends Guard {
  readonly name: 'security-headers'
  /**
   * A guard for one route that extends or relaxes this policy without re-declaring it: options
   * are laid over this guard's, CSP directives one by one. Mount it after the global guard; it
   * replaces what the global one staged, and forgets headers it turns off.
   * @example app.get('/embed', rampart(headers.with({ xFrameOptions: false,
   *   contentSecurityPolicy: { directives: { frameAncestors: ['https://partner.example'] } } })), embed)
   */
  with(overrides: SecurityHeadersOptions): SecurityHeadersGuard
  /** The headers sent on every request whose value does not depend on it (for tests and docs). */
  readonly fixedHeaders: readonly PreparedHeader[]
}

const SCOPE = '@rampart/headers securityHeaders()'

/**
 * The per-request policies as staged entries, appended to the fixed list so the request stages
 * one array (no Map is built for the common case).
 */
function withCsp(ctx: SecurityContext, plan: HeaderPlan): PreparedHeader[] {
  const { perRequest: plans, usesNonce, needsScheme } = plan
  let nonce: string | undefined
  if (usesNonce) {
    // One nonce per request, shared by both policies and by a per-route guard after this one.
    nonce = ctx.state.get(cspNonce)
    if (nonce === undefined) {
      nonce = noncePool.next()
      ctx.state.set(cspNonce, nonce)
    }
  }
  const https = needsScheme && ctx.url.protocol === 'https:'
  // Spread, not slice + push: the fixed list is frozen, and pushing onto a slice of a frozen
  // array sends V8 down a slow path (~2 µs measured).
  const out = [...plan.fixed]
  for (let i = 0; i < plans.length; i++) {
    const csp = plans[i] as CspPlan
    out.push({
      name: csp.name,
      key: plan.perRequestKeys[i] as string,
      mode: 'default',
      value: csp.render({ nonce, https, ctx }),
    })
  }
  return out
}

function buildGuard(
  options: Record<string, unknown>,
  plan: HeaderPlan,
  forget: readonly string[],
): SecurityHeadersGuard {
  const { fixed, perRequest } = plan
  const guard: SecurityHeadersGuard = {
    name: 'security-headers',
    fixedHeaders: fixed,
    request(ctx) {
      const staged = ctx.response.headers
      for (let i = 0; i < forget.length; i++) staged.delete(forget[i] as string)
      staged.stage(perRequest.length === 0 ? fixed : withCsp(ctx, plan))
    },
    with(overrides) {
      const child = resolveAndCompile(`${SCOPE}.with()`, overrides, (canonical, issues) => {
        if ('preset' in canonical) {
          issues.push({
            path: 'preset',
            message:
              'a per-route override builds on its parent guard; choose the preset on the parent',
          })
        }
        return layer(options, canonical, issues)
      })
      const dropped = [...plan.names].filter((name) => !child.plan.names.has(name))
      return buildGuard(child.options, child.plan, dropped)
    },
  }
  return Object.freeze(guard)
}

/**
 * Security response headers as one guard. With no options it sends exactly helmet 8's default
 * set and removes `X-Powered-By`; it accepts helmet's option names (and legacy aliases), so a
 * helmet user migrates by changing an import. Beyond helmet: presets (`'strict'` OWASP,
 * `'api'`), per-request CSP nonces (`nonce: true`, read with your adapter's
 * `getState(…, cspNonce)`), a second report-only policy, `Permissions-Policy`,
 * `Reporting-Endpoints`, `Cache-Control`, removal of disclosure headers, https-only
 * `upgrade-insecure-requests`, and per-route overrides with `.with()`.
 *
 * Everything is validated and computed here, once; a request stages a prepared list (plus a
 * nonce when asked). Headers the handler sets itself win.
 * @throws RampartConfigError (`ERR_RAMPART_HEADERS_CONFIG`) listing every invalid option.
 * @example app.use(rampart(securityHeaders()))
 * @example app.use(rampart(securityHeaders({ preset: 'strict', nonce: true })))
 */
export function securityHeaders(options?: SecurityHeadersOptions): SecurityHeadersGuard {
  const { options: resolved, plan } = resolveAndCompile(SCOPE, options)
  return buildGuard(resolved, plan, [])
}
