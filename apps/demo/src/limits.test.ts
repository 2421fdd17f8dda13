/**
 * The demo's limits on each framework, with small numbers: the global API limit and the strict
 * login limit answer 429 problems with RateLimit headers and events; with Redis, two instances
 * count against the same numbers.
 */

import { request as httpRequest } from 'node:http'
import { signRequest } from '@rampart/signer'
import { afterEach, describe, expect, it } from 'vitest'
import { FRAMEWORKS } from './app/settings.js'
import { apiClients } from './domain/clients.js'
import { type RunningDemo, startDemo } from './server.js'

const running: RunningDemo[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((d) => d.close()))
})

async function start(framework: (typeof FRAMEWORKS)[number], extra = {}) {
  const demo = await startDemo({
    framework,
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent',
    perMinute: 3,
    loginPerMinute: 2,
    ...extra,
  })
  running.push(demo)
  return demo
}

describe.each(FRAMEWORKS)('limits on %s', (framework) => {
  it('answers the request over the API limit with a 429 problem that keeps the headers', async () => {
    const demo = await start(framework)
    const types: string[] = []
    demo.app.events.subscribe((e) => types.push(e.type))
    const statuses: number[] = []
    let last: Response | undefined
    for (let i = 0; i < 4; i++) {
      last = await fetch(`${demo.origin}/api/products`)
      statuses.push(last.status)
    }
    expect(statuses).toEqual([401, 401, 401, 429])
    const refused = last as Response
    expect(refused.headers.get('content-type')).toBe('application/problem+json')
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(refused.headers.get('ratelimit')).toMatch(/^"3-per-1m";r=0;t=\d+$/)
    expect(refused.headers.get('content-security-policy')).toBe(
      "default-src 'none';frame-ancestors 'none'",
    )
    expect((await refused.json()).type).toBe('urn:rampart:problem:rate-limited')
    expect(types).toContain('rate-limit.exceeded')
    // The page, its assets and the info route are outside the API limit.
    expect((await fetch(`${demo.origin}/api/info`)).status).toBe(200)
  })

  it('limits login attempts per address, before any password is checked', async () => {
    const demo = await start(framework)
    const login = () =>
      fetch(`${demo.origin}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: `nobody-${Math.random()}`, password: 'x' }),
      })
    expect([(await login()).status, (await login()).status, (await login()).status]).toEqual([
      401, 401, 429,
    ])
  })
})

/** Sends `request` to `demo` over node:http, keeping its Host header (fetch would replace it). */
function sendTo(demo: RunningDemo, request: Request): Promise<{ status: number; body: string }> {
  const { port } = new URL(demo.origin)
  const headers = { ...Object.fromEntries(request.headers), host: new URL(request.url).host }
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path: new URL(request.url).pathname, headers },
      (res) => {
        let body = ''
        res.on('data', (chunk) => {
          body += chunk
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      },
    )
    req.on('error', reject)
    req.end()
  })
}

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

describe('two instances sharing Redis', () => {
  it('hold one API limit and one lockout between them, and accept each other’s sessions', async () => {
    const shared = {
      redisUrl: REDIS_URL,
      storePrefix: `rampart-demo-test:${Math.random().toString(36).slice(2)}:`,
      sessionSecret: 'x'.repeat(32),
      lockoutSecret: 'lockout-secret-for-the-test',
      perMinute: 5,
      loginPerMinute: 20,
    }
    const a = await start('hono', shared)
    const b = await start('express', shared)
    expect(a.app.stores.kind).toBe('redis')
    const login = (demo: RunningDemo, username: string, password: string) =>
      fetch(`${demo.origin}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      })

    const { token } = (await (await login(a, 'ada', 'ada-demo-password')).json()) as {
      token: string
    }
    const me = await fetch(`${b.origin}/api/me`, { headers: { authorization: `Bearer ${token}` } })
    expect(me.status).toBe(200) // a session from a, accepted by b: API request 1 of 5

    const statuses: number[] = []
    for (const demo of [a, b, a, b, a]) {
      statuses.push((await fetch(`${demo.origin}/api/products`)).status)
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429])

    const failures: number[] = []
    for (const demo of [a, b, a, b, a, b]) {
      failures.push((await login(demo, 'max', 'wrong-password')).status)
    }
    expect(failures).toEqual([401, 401, 401, 401, 401, 429])
  }, 30_000)

  it('refuse on one instance a signed request the other accepted (shared nonces)', async () => {
    const shared = {
      redisUrl: REDIS_URL,
      storePrefix: `rampart-demo-test:${Math.random().toString(36).slice(2)}:`,
      lockoutSecret: 'lockout-secret-for-the-test',
    }
    const a = await start('koa', shared)
    const b = await start('hono', shared)
    const [client] = apiClients()
    const key = { id: client?.keyId ?? '', alg: 'hmac-sha256', key: client?.secret ?? '' } as const
    const signed = await signRequest(new Request(`${a.origin}/api/server/partners`), { key })
    expect((await fetch(signed.clone())).status).toBe(200)
    // The same bytes sent to the other instance, as a load balancer would: same Host header.
    const replayed = await sendTo(b, signed)
    expect(replayed.status).toBe(401)
    expect(JSON.parse(replayed.body)).toMatchObject({ code: 'replayed' })
  }, 30_000)
})
