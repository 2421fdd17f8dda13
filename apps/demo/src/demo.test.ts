import type { AddressInfo } from 'node:net'
import type { SecurityEvent } from '@rampart/core'
import { afterEach, describe, expect, it } from 'vitest'
import { FRAMEWORKS, startDemo } from './apps.js'
import { demoGuards } from './guards.js'

const servers: { close(cb: () => void): void }[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))))
})

describe.each(FRAMEWORKS)('demo on %s', (framework) => {
  async function start(options?: Parameters<typeof demoGuards>[0]) {
    const events: SecurityEvent[] = []
    const server = startDemo(
      framework,
      { guards: demoGuards(options), onEvent: (e) => events.push(e) },
      0,
      '127.0.0.1',
    )
    servers.push(server)
    await new Promise<void>((r) => server.once('listening', () => r()))
    return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, events }
  }

  it('serves the API through the guards', async () => {
    const { origin } = await start()
    const res = await fetch(`${origin}/`)
    expect(res.status).toBe(200)
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none';frame-ancestors 'none'",
    )
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('x-powered-by')).toBeNull()
    expect(res.headers.get('ratelimit-policy')).toBe('"100-per-1m";q=100;w=60')
    expect(res.headers.get('ratelimit')).toMatch(/^"100-per-1m";r=99;t=\d+$/)
    expect(await res.json()).toMatchObject({ framework, message: 'hello 127.0.0.1, from GET /' })
  })

  it('rate-limits a client with a 429 problem that keeps the security headers', async () => {
    const { origin, events } = await start({ perMinute: 2 })
    const statuses: number[] = []
    let last: Response | undefined
    for (let i = 0; i < 3; i++) {
      last = await fetch(`${origin}/`)
      statuses.push(last.status)
    }
    const refused = last as Response
    expect(statuses).toEqual([200, 200, 429])
    expect(refused.headers.get('content-type')).toBe('application/problem+json')
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(refused.headers.get('content-security-policy')).toBe(
      "default-src 'none';frame-ancestors 'none'",
    )
    expect((await refused.json()).type).toBe('urn:rampart:problem:rate-limited')
    expect(events.map((e) => e.type)).toContain('rate-limit.exceeded')
  })

  it('refuses a client outside the allow list with a 403 problem and an event', async () => {
    const { origin, events } = await start({ allow: ['10.0.0.0/8'] })
    const res = await fetch(`${origin}/`)
    expect(res.status).toBe(403)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(events.map((e) => e.type)).toContain('ip-filter.denied')
  })
})
