/**
 * `securityHeaders()` behaviour every adapter must show: pass these to
 * `runConformanceSuite(harness, [securityHeadersCases])`.
 * @module
 */
import type { ConformanceCases } from '@rampart/core/testing'
import { describe, expect, it } from 'vitest'
import { clearSiteData } from '../clear-site-data.js'
import { securityHeaders } from '../security-headers.js'
import { cspNonce } from '../state.js'
import { HELMET_DEFAULT_HEADERS } from './helmet-defaults.js'

const NONCE_SOURCE = /'nonce-([A-Za-z0-9+/]{24})'/g

function expectHelmetDefaults(headers: Headers, except: readonly string[] = []): void {
  for (const [name, value] of Object.entries(HELMET_DEFAULT_HEADERS)) {
    if (!except.includes(name)) expect(headers.get(name), name).toBe(value)
  }
  expect(headers.get('x-powered-by')).toBeNull()
}

/** Conformance cases for `@rampart/headers`. */
export const securityHeadersCases: ConformanceCases = (_harness, start) => {
  describe('securityHeaders', () => {
    for (const path of ['/echo', '/stream', '/response']) {
      it(`sends helmet's default set byte for byte on ${path}`, async () => {
        const app = await start({ guards: [securityHeaders()] })
        const res = await fetch(`${app.origin}${path}`)
        await res.text()
        expectHelmetDefaults(res.headers)
      })
    }

    for (const path of ['/nowhere', '/throw']) {
      it(`sends the default set on ${path}, deferring to a CSP the framework's error page sets`, async () => {
        const app = await start({ guards: [securityHeaders()] })
        const res = await fetch(`${app.origin}${path}`)
        await res.text()
        // Express's final handler sets its own, stricter CSP (default-src 'none') on 404 and
        // error pages; a header set by the response's author wins, as it does with helmet.
        expect(res.headers.get('content-security-policy')).not.toBeNull()
        expectHelmetDefaults(res.headers, ['content-security-policy'])
      })
    }

    it('lets headers the handler set win', async () => {
      const app = await start({ guards: [securityHeaders()] })
      const res = await fetch(`${app.origin}/own-header`)
      expect(res.headers.get('referrer-policy')).toBe('same-origin')
      expectHelmetDefaults(res.headers, ['referrer-policy'])
    })

    it('gives each request its own nonce, the one the handler sees', async () => {
      const app = await start({ guards: [securityHeaders({ nonce: true })], readState: [cspNonce] })
      const nonces: string[] = []
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${app.origin}/echo`)
        const csp = res.headers.get('content-security-policy') ?? ''
        const inHeader = [...csp.matchAll(NONCE_SOURCE)].map((m) => m[1])
        const { state } = (await res.json()) as { state: { cspNonce: string } }
        // One nonce, in script-src and style-src, equal to the handler's.
        expect(inHeader).toEqual([state.cspNonce, state.cspNonce])
        nonces.push(state.cspNonce)
      }
      expect(new Set(nonces).size).toBe(3)
    })

    it('a per-route override relaxes the global policy without re-declaring it', async () => {
      const global = securityHeaders()
      const embed = global.with({
        xFrameOptions: false,
        contentSecurityPolicy: { directives: { frameAncestors: ['https://partner.example'] } },
      })
      const app = await start({ guards: [global], secondGuards: [embed] })
      const res = await fetch(`${app.origin}/echo`)
      expect(res.headers.get('x-frame-options')).toBeNull()
      const csp = res.headers.get('content-security-policy') ?? ''
      expect(csp).toContain('frame-ancestors https://partner.example;')
      expect(csp).toContain("script-src 'self';")
      expectHelmetDefaults(res.headers, ['x-frame-options', 'content-security-policy'])
    })

    it('sends upgrade-insecure-requests only over HTTPS when asked to', async () => {
      const app = await start({
        guards: [securityHeaders({ upgradeInsecureRequests: 'https-only' })],
        trustProxy: true,
      })
      const plain = await fetch(`${app.origin}/echo`)
      expect(plain.headers.get('content-security-policy')).not.toContain(
        'upgrade-insecure-requests',
      )
      const viaTls = await fetch(`${app.origin}/echo`, {
        headers: { 'x-forwarded-proto': 'https' },
      })
      expect(viaTls.headers.get('content-security-policy')).toContain('upgrade-insecure-requests')
    })

    it('clearSiteData() tells the browser to drop cache, cookies and storage', async () => {
      const app = await start({ guards: [clearSiteData()] })
      const res = await fetch(`${app.origin}/echo`)
      expect(res.headers.get('clear-site-data')).toBe('"cache", "cookies", "storage"')
    })
  })
}
