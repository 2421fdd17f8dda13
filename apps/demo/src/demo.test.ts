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
  async function start(allow?: string[]) {
    const events: SecurityEvent[] = []
    const server = startDemo(
      framework,
      { guards: demoGuards(allow), onEvent: (e) => events.push(e) },
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
    expect(await res.json()).toMatchObject({ framework, message: 'hello 127.0.0.1, from GET /' })
  })

  it('refuses a client outside the allow list with a 403 problem and an event', async () => {
    const { origin, events } = await start(['10.0.0.0/8'])
    const res = await fetch(`${origin}/`)
    expect(res.status).toBe(403)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(events.map((e) => e.type)).toContain('ip-filter.denied')
  })
})
