/**
 * `ipFilter` behaviour, run by every adapter: the IP restriction must hold the same way whatever
 * the framework's address resolution looks like.
 * @module
 */
import { describe, expect, it } from 'vitest'
import type { SecurityEvent } from '../events.js'
import { ipFilter } from '../guards/ip-filter.js'
import type { ConformanceCases } from './conformance.js'

/** Conformance cases for `ipFilter`. */
export const ipFilterCases: ConformanceCases = (_harness, start) => {
  describe('ipFilter', () => {
    it('refuses a client outside the allow list with a 403 problem and an event', async () => {
      const events: SecurityEvent[] = []
      const app = await start({
        guards: [ipFilter({ allow: ['10.0.0.0/8'] })],
        onEvent: (e) => events.push(e),
      })
      const res = await fetch(`${app.origin}/echo`)
      expect(res.status).toBe(403)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      expect(await res.json()).toMatchObject({ type: 'urn:rampart:problem:ip-denied', status: 403 })
      expect(app.handlerCalls).toBe(0)
      expect(events).toContainEqual(
        expect.objectContaining({
          type: 'ip-filter.denied',
          reason: 'not-allowed',
          ip: '127.0.0.1',
          source: 'ip-filter',
        }),
      )
    })

    it('lets an allowed client through, IPv4 rules matching IPv4-mapped peers', async () => {
      const app = await start({ guards: [ipFilter({ allow: ['127.0.0.0/8'] })] })
      expect((await fetch(`${app.origin}/echo`)).status).toBe(200)
      // ::1 is not in 127.0.0.0/8: the IPv6 loopback is a different address.
      expect((await fetch(`${app.origin6}/echo`)).status).toBe(403)
    })

    it('the deny list wins over the allow list', async () => {
      const app = await start({ guards: [ipFilter({ allow: ['loopback'], deny: ['::1'] })] })
      expect((await fetch(`${app.origin}/echo`)).status).toBe(200)
      expect((await fetch(`${app.origin6}/echo`)).status).toBe(403)
    })

    it('filters the forwarded client behind a trusted proxy, and ignores spoofing without one', async () => {
      const guards = [ipFilter({ deny: ['203.0.113.0/24'] })]
      const proxied = await start({ guards, trustProxy: true })
      const spoof = { headers: { 'x-forwarded-for': '203.0.113.9' } }
      expect((await fetch(`${proxied.origin}/echo`, spoof)).status).toBe(403)
      const direct = await start({ guards })
      expect((await fetch(`${direct.origin}/echo`, spoof)).status).toBe(200)
    })

    it('404 mode answers like a missing route', async () => {
      const app = await start({ guards: [ipFilter({ allow: ['10.0.0.0/8'], status: 404 })] })
      const res = await fetch(`${app.origin}/echo`)
      expect(res.status).toBe(404)
      expect(await res.json()).toMatchObject({ type: 'urn:rampart:problem:not-found' })
    })
  })
}
