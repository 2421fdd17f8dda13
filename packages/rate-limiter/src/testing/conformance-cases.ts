/**
 * `rateLimit()` behaviour every adapter must show: pass these to
 * `runConformanceSuite(harness, [rateLimitCases])`.
 * @module
 */
import type { SecurityEvent } from '@rampart/core'
import type { ConformanceCases } from '@rampart/core/testing'
import { describe, expect, it } from 'vitest'
import { type RateLimiter, rateLimit } from '../rate-limit.js'
import { rateLimitInfo } from '../state.js'

/** Polls an async condition (response phases run after the response is sent). */
async function until(condition: () => Promise<boolean>, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** Waits until the loopback client's first policy shows `remaining` again (a refund landed). */
const refunded = (limiter: RateLimiter, remaining: number) =>
  until(async () => (await limiter.peek('127.0.0.1')).policies[0]?.remaining === remaining)

/** Conformance cases for `@rampart/rate-limiter`. */
export const rateLimitCases: ConformanceCases = (_harness, start) => {
  describe('rateLimit', () => {
    it('admits up to the limit, then answers 429 with the problem, RateLimit headers and Retry-After', async () => {
      const events: SecurityEvent[] = []
      const limiter = rateLimit({ limit: 2, window: '1m', algorithm: 'fixed-window' })
      const app = await start({ guards: [limiter], onEvent: (e) => events.push(e) })
      const first = await fetch(`${app.origin}/echo`)
      expect(first.status).toBe(200)
      expect(first.headers.get('ratelimit-policy')).toBe('"2-per-1m";q=2;w=60')
      expect(first.headers.get('ratelimit')).toBe('"2-per-1m";r=1;t=60')
      await first.text()
      const second = await fetch(`${app.origin}/echo`)
      expect(second.headers.get('ratelimit')).toMatch(/^"2-per-1m";r=0;t=(59|60)$/)
      await second.text()
      const refused = await fetch(`${app.origin}/echo`, { headers: { 'x-request-id': 'rl-1' } })
      expect(refused.status).toBe(429)
      expect(refused.headers.get('content-type')).toBe('application/problem+json')
      const retryAfter = Number(refused.headers.get('retry-after'))
      expect([59, 60]).toContain(retryAfter)
      expect(refused.headers.get('ratelimit-policy')).toBe('"2-per-1m";q=2;w=60')
      // t is read a moment after the store's decision: it may be a second less across a boundary.
      expect(refused.headers.get('ratelimit')).toMatch(/^"2-per-1m";r=0;t=(59|60)$/)
      expect(await refused.json()).toEqual({
        type: 'urn:rampart:problem:rate-limited',
        title: 'Too Many Requests',
        status: 429,
        detail: `Rate limit exceeded; retry in ${retryAfter} seconds.`,
        retryAfter,
        blocked: false,
        policies: [{ name: '2-per-1m', limit: 2, window: 60, retryAfter }],
        requestId: 'rl-1',
      })
      expect(app.handlerCalls).toBe(2)
      expect(events).toContainEqual(
        expect.objectContaining({
          type: 'rate-limit.exceeded',
          source: 'rate-limit',
          ip: '127.0.0.1',
          requestId: 'rl-1',
          blocked: false,
        }),
      )
    })

    it('sends the headers on every response, whatever answers it', async () => {
      const app = await start({ guards: [rateLimit({ limit: 10, window: '1m' })] })
      for (const path of ['/nowhere', '/status/418', '/stream', '/response']) {
        const res = await fetch(`${app.origin}${path}`)
        await res.text()
        expect(res.headers.get('ratelimit-policy'), path).toBe('"10-per-1m";q=10;w=60')
        expect(res.headers.get('ratelimit'), path).toMatch(/^"10-per-1m";r=\d;t=\d+$/)
      }
    })

    it('limiter.reset() lets the client in again', async () => {
      const limiter = rateLimit({ limit: 1, window: '1h' })
      const app = await start({ guards: [limiter] })
      expect((await fetch(`${app.origin}/echo`)).status).toBe(200)
      expect((await fetch(`${app.origin}/echo`)).status).toBe(429)
      await limiter.reset('127.0.0.1')
      expect((await fetch(`${app.origin}/echo`)).status).toBe(200)
    })

    it('keys the IPv4 and IPv6 loopback clients apart', async () => {
      const app = await start({ guards: [rateLimit({ limit: 1, window: '1m' })] })
      expect((await fetch(`${app.origin}/echo`)).status).toBe(200)
      expect((await fetch(`${app.origin}/echo`)).status).toBe(429)
      expect((await fetch(`${app.origin6}/echo`)).status).toBe(200)
    })

    it('skipSuccessfulRequests refunds 2xx and counts a 4xx route', async () => {
      const limiter = rateLimit({ limit: 2, window: '1m', skipSuccessfulRequests: true })
      const app = await start({ guards: [limiter] })
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${app.origin}/echo`)
        expect(res.status).toBe(200)
        await res.text()
        await refunded(limiter, 2)
      }
      expect((await fetch(`${app.origin}/status/418`)).status).toBe(418)
      expect((await fetch(`${app.origin}/nowhere`)).status).toBe(404)
      expect((await fetch(`${app.origin}/status/418`)).status).toBe(429)
    })

    it('skipFailedRequests refunds 4xx and 5xx and counts successes', async () => {
      const limiter = rateLimit({ limit: 2, window: '1m', skipFailedRequests: true })
      const app = await start({ guards: [limiter] })
      for (const path of ['/status/418', '/throw', '/nowhere']) {
        const res = await fetch(`${app.origin}${path}`)
        expect(res.status).toBeGreaterThanOrEqual(400)
        await res.text()
        await refunded(limiter, 2)
      }
      expect((await fetch(`${app.origin}/echo`)).status).toBe(200)
      expect((await fetch(`${app.origin}/echo`)).status).toBe(200)
      expect((await fetch(`${app.origin}/echo`)).status).toBe(429)
    })

    it('deny answers 403 ip-denied (not 429); allow bypasses the limiter', async () => {
      const events: SecurityEvent[] = []
      const denied = await start({
        guards: [rateLimit({ limit: 5, window: '1m', deny: ['127.0.0.1'] })],
        onEvent: (e) => events.push(e),
      })
      const res = await fetch(`${denied.origin}/echo`)
      expect(res.status).toBe(403)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      expect(res.headers.get('ratelimit')).toBeNull()
      expect(await res.json()).toMatchObject({ type: 'urn:rampart:problem:ip-denied', status: 403 })
      expect(denied.handlerCalls).toBe(0)
      expect(events).toContainEqual(
        expect.objectContaining({
          type: 'rate-limit.denied',
          reason: 'deny-list',
          ip: '127.0.0.1',
        }),
      )
      const allowed = await start({
        guards: [rateLimit({ limit: 1, window: '1m', allow: ['127.0.0.1'] })],
      })
      for (let i = 0; i < 3; i++) {
        const ok = await fetch(`${allowed.origin}/echo`)
        expect(ok.status).toBe(200)
        expect(ok.headers.get('ratelimit')).toBeNull()
      }
      // ::1 is not on the list: limited as usual.
      expect((await fetch(`${allowed.origin6}/echo`)).status).toBe(200)
      expect((await fetch(`${allowed.origin6}/echo`)).status).toBe(429)
    })

    it('a spoofed X-Forwarded-For is ignored without trust proxy: one bucket per peer', async () => {
      const direct = await start({ guards: [rateLimit({ limit: 2, window: '1m' })] })
      const as = (ip: string) => ({ headers: { 'x-forwarded-for': ip } })
      expect((await fetch(`${direct.origin}/echo`, as('203.0.113.1'))).status).toBe(200)
      expect((await fetch(`${direct.origin}/echo`, as('203.0.113.2'))).status).toBe(200)
      expect((await fetch(`${direct.origin}/echo`, as('203.0.113.3'))).status).toBe(429)
      // Behind a trusted proxy, the forwarded clients are told apart.
      const proxied = await start({
        guards: [rateLimit({ limit: 1, window: '1m' })],
        trustProxy: true,
      })
      expect((await fetch(`${proxied.origin}/echo`, as('203.0.113.1'))).status).toBe(200)
      expect((await fetch(`${proxied.origin}/echo`, as('203.0.113.2'))).status).toBe(200)
      expect((await fetch(`${proxied.origin}/echo`, as('203.0.113.1'))).status).toBe(429)
    })

    it('the handler reads the outcome through the typed accessor', async () => {
      const app = await start({
        guards: [rateLimit({ limit: 5, window: '1m', algorithm: 'fixed-window' })],
        readState: [rateLimitInfo],
      })
      const before = Date.now()
      const res = await fetch(`${app.origin}/echo`)
      const { state } = (await res.json()) as { state: { rateLimitInfo: unknown } }
      expect(state.rateLimitInfo).toEqual({
        allowed: true,
        blocked: false,
        retryAfter: 0,
        policies: [
          { name: '5-per-1m', limit: 5, remaining: 4, resetAt: expect.any(Number), window: 60_000 },
        ],
      })
      const { resetAt } = (state.rateLimitInfo as { policies: { resetAt: number }[] })
        .policies[0] ?? {
        resetAt: 0,
      }
      expect(resetAt).toBeGreaterThanOrEqual(before + 60_000)
      expect(resetAt).toBeLessThanOrEqual(Date.now() + 60_000)
    })

    it('escalation blocks a repeat offender, Retry-After the block time left', async () => {
      const events: SecurityEvent[] = []
      const app = await start({
        guards: [
          rateLimit({ limit: 1, window: '1s', block: { after: 1, within: '1m', for: '30s' } }),
        ],
        onEvent: (e) => events.push(e),
      })
      expect((await fetch(`${app.origin}/echo`)).status).toBe(200)
      const blocked = await fetch(`${app.origin}/echo`)
      expect(blocked.status).toBe(429)
      expect(blocked.headers.get('retry-after')).toBe('30')
      expect(await blocked.json()).toMatchObject({ blocked: true, retryAfter: 30 })
      expect(events).toContainEqual(
        expect.objectContaining({ type: 'rate-limit.blocked', for: 30_000, ip: '127.0.0.1' }),
      )
      const still = await fetch(`${app.origin}/echo`)
      expect(still.status).toBe(429)
      expect(['29', '30']).toContain(still.headers.get('retry-after'))
    })
  })
}
