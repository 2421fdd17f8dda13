/**
 * The demo's API over real HTTP, on each framework: the same requests, the same answers.
 */
import { request as httpRequest } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FRAMEWORKS } from './app/settings.js'
import { type RunningDemo, startDemo } from './server.js'

const PROBLEM = 'application/problem+json'

describe.each(FRAMEWORKS)('demo on %s', (framework) => {
  let demo: RunningDemo
  const logged: string[] = []
  const tokens: Record<string, string> = {}

  beforeAll(async () => {
    demo = await startDemo({ framework, port: 0, host: '127.0.0.1', logLevel: 'silent' })
    demo.app.events.subscribe((e) => logged.push(JSON.stringify(e)))
    for (const name of ['vera', 'ed', 'max', 'ada']) {
      const res = await post('/login', { username: name, password: `${name}-demo-password` })
      expect(res.status).toBe(200)
      tokens[name] = ((await res.json()) as { token: string }).token
    }
  }, 30_000)
  afterAll(() => demo.close())

  const url = (path: string) => `${demo.origin}${path}`
  const auth = (name?: string) =>
    name ? { authorization: `Bearer ${tokens[name]}` } : ({} as Record<string, string>)
  function post(path: string, body: unknown, name?: string, method = 'POST') {
    return fetch(url(path), {
      method,
      headers: { 'content-type': 'application/json', ...auth(name) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
  }
  const get = (path: string, name?: string) => fetch(url(path), { headers: auth(name) })

  /**
   * PATCHes a JSON body of `size` bytes over node:http and resolves with the status. The server
   * may answer 413 and close before the upload ends; fetch reports that as a socket error, so
   * the answer is read here, and a write error after it is expected.
   */
  function sendLarge(path: string, size: number, token: string): Promise<number> {
    const body = JSON.stringify({ name: 'x'.repeat(size) })
    return new Promise((resolve, reject) => {
      const req = httpRequest(url(path), {
        method: 'PATCH',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${token}`,
        },
      })
      let status: number | undefined
      req.on('response', (res) => {
        status = res.statusCode
        res.resume()
        resolve(status ?? 0)
      })
      req.on('error', (error) => {
        if (status === undefined) reject(error)
      })
      req.end(body)
    })
  }

  it('serves the page with a strict CSP whose nonce is on the script tag', async () => {
    const res = await get('/')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    const csp = res.headers.get('content-security-policy') ?? ''
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1]
    expect(nonce).toBeDefined()
    expect(csp).toContain("script-src 'strict-dynamic' 'nonce-")
    expect(csp).not.toContain('unsafe-inline')
    const html = await res.text()
    expect(html).toContain(`nonce="${nonce}"`)
    expect(html).not.toContain('{{nonce}}')
    const again = await get('/')
    expect(again.headers.get('content-security-policy')).not.toBe(csp)
  })

  it('gives API answers the API headers and the global rate limit', async () => {
    const res = await get('/api/partners', 'vera')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none';frame-ancestors 'none'",
    )
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('x-powered-by')).toBeNull()
    expect(res.headers.get('ratelimit-policy')).toBe('"100-per-1m";q=100;w=60')
    expect(res.headers.get('ratelimit')).toMatch(/^"100-per-1m";r=\d+;t=\d+$/)
  })

  it('answers an unknown path with a 404 problem', async () => {
    const res = await get('/nope')
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toBe(PROBLEM)
  })

  it('masks the credit limit and VAT id for viewers and editors, not for managers', async () => {
    const asVera = (await (await get('/api/partners', 'vera')).json()) as Record<string, unknown>[]
    const asMax = (await (await get('/api/partners', 'max')).json()) as Record<string, unknown>[]
    expect(asVera.length).toBeGreaterThanOrEqual(3)
    for (const p of asVera) {
      expect(p).not.toHaveProperty('creditLimit')
      expect(p).not.toHaveProperty('vatId')
      expect(p).toHaveProperty('email')
    }
    expect(asMax[0]).toHaveProperty('creditLimit')
    expect(asMax[0]).toHaveProperty('vatId')
    const products = (await (await get('/api/products', 'vera')).json()) as object[]
    expect(products[0]).not.toHaveProperty('cost')
    expect((await (await get('/api/products', 'ada')).json())[0]).toHaveProperty('cost')
  })

  it('needs a session: 401 without one, or with a forged token', async () => {
    expect((await get('/api/partners')).status).toBe(401)
    const forged = await fetch(url('/api/partners'), {
      headers: { authorization: `Bearer ${tokens.vera?.slice(0, -2)}xx` },
    })
    expect(forged.status).toBe(401)
    expect(forged.headers.get('content-type')).toBe(PROBLEM)
    expect((await get('/api/me', 'ed')).status).toBe(200)
  })

  it('lets editors change their own partners only, and never the credit limit', async () => {
    const own = await post('/api/partners/p-1001', { phone: '+49 40 7654321' }, 'ed', 'PATCH')
    expect(own.status).toBe(200)
    expect(await own.json()).toMatchObject({ id: 'p-1001', phone: '+49 40 7654321' })
    const other = await post('/api/partners/p-1002', { phone: '+40 21 555 0102' }, 'ed', 'PATCH')
    expect(other.status).toBe(403)
    const credit = await post('/api/partners/p-1001', { creditLimit: 1 }, 'ed', 'PATCH')
    expect(credit.status).toBe(403)
    expect(await credit.json()).toMatchObject({ forbidden: ['creditLimit'] })
    const byManager = await post('/api/partners/p-1001', { creditLimit: 60_000 }, 'max', 'PATCH')
    expect(byManager.status).toBe(200)
    expect(await byManager.json()).toMatchObject({ creditLimit: 60_000 })
    expect((await get('/api/partners/p-404', 'ada')).status).toBe(404)
  })

  it('creates a partner owned by its creator; the client cannot choose the owner', async () => {
    const partner = {
      name: 'Kestrel Tools Ltd',
      email: 'sales@kestrel.example',
      phone: '+44 20 7946 0000',
      website: 'https://kestrel.example',
    }
    const res = await post('/api/partners', partner, 'ed')
    expect(res.status).toBe(201)
    const created = (await res.json()) as { id: string; ownerId: string }
    expect(created.ownerId).toBe('u-ed')
    const sneaky = await post('/api/partners', { ...partner, ownerId: 'u-max' }, 'ed')
    expect(sneaky.status).toBe(400)
    expect((await post(`/api/partners/${created.id}`, {}, 'ed', 'DELETE')).status).toBe(204)
    expect((await post('/api/partners/p-1002', {}, 'ed', 'DELETE')).status).toBe(403)
  })

  it('refuses polluted, invalid and oversized bodies with precise 4xx problems', async () => {
    expect((await post('/api/partners/p-1001', '{"phone":', undefined, 'PATCH')).status).toBe(401)
    const polluted = await post(
      '/api/partners/p-1001',
      '{"phone":"+1 555","__proto__":{"isAdmin":true}}',
      'ed',
      'PATCH',
    )
    expect(polluted.status).toBe(400)
    expect(polluted.headers.get('content-type')).toBe(PROBLEM)
    const invalid = await post('/api/partners/p-1001', { email: 'not-an-email' }, 'ed', 'PATCH')
    expect(invalid.status).toBe(400)
    expect(JSON.stringify(await invalid.json())).toContain('email')
    const malformed = await post('/api/partners/p-1001', '{"phone":', 'ed', 'PATCH')
    expect(malformed.status).toBe(400)
    const huge = await sendLarge('/api/partners/p-1001', 2_000_000, tokens.ed ?? '')
    expect(huge).toBe(413)
  })

  it('locks an account after five failed logins, with Retry-After and events', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) {
      const res = await post('/login', { username: 'vera', password: 'hunter2-wrong' })
      statuses.push(res.status)
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(200)
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429])
    const locked = await post('/login', { username: 'vera', password: 'vera-demo-password' })
    expect(locked.status).toBe(429)
    expect(logged.some((e) => e.includes('"lockout.locked"'))).toBe(true)
    expect(logged.join('\n')).not.toContain('hunter2')
  })

  it('accepts a signed server-to-server request and refuses its replay', async () => {
    const { signRequest } = await import('@rampart/signer')
    const { apiClients } = await import('./domain/clients.js')
    const [reporting] = apiClients()
    const key = {
      id: reporting?.keyId ?? '',
      alg: 'hmac-sha256' as const,
      key: reporting?.secret ?? '',
    }
    const signed = await signRequest(new Request(url('/api/server/partners')), { key })
    const first = await fetch(signed.clone())
    expect(first.status).toBe(200)
    const rows = (await first.json()) as object[]
    expect(rows[0]).not.toHaveProperty('creditLimit')
    const replay = await fetch(signed.clone())
    expect(replay.status).toBe(401)
    expect(await replay.json()).toMatchObject({ code: 'replayed' })
    expect((await fetch(url('/api/server/partners'))).status).toBe(401)
    const post = await signRequest(
      new Request(url('/api/server/partners'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'Signed GmbH',
          email: 'a@signed.example',
          phone: '1',
          website: 'https://signed.example',
        }),
      }),
      { key },
    )
    expect((await fetch(post)).status).toBe(403) // the reporting key is a viewer
  })

  it('sends a Standard Webhooks event the receiver verifies, and a tampered one it refuses', async () => {
    const ok = await post('/webhooks/outgoing', {}, 'max')
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ receiver: { status: 200 } })
    const tampered = await post('/webhooks/outgoing', { tamper: true }, 'max')
    expect(await tampered.json()).toMatchObject({ receiver: { status: 401 } })
    expect((await post('/webhooks/outgoing', {})).status).toBe(401)
  })

  it('answers a throwing handler with a bare 500 problem', async () => {
    const res = await get('/api/boom', 'vera')
    expect(res.status).toBe(500)
    const text = await res.text()
    expect(text).not.toContain('sk_live')
    expect(text).not.toContain('ann@example.com')
    expect(JSON.parse(text)).toMatchObject({ status: 500, requestId: expect.any(String) })
  })

  it('streams redacted security events over SSE', async () => {
    const controller = new AbortController()
    const res = await fetch(url('/events'), { signal: controller.signal })
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    const decoder = new TextDecoder()
    let text = ''
    await get('/api/partners') // a 401: demo.unauthenticated
    await post('/api/partners/p-1002', {}, 'vera', 'DELETE') // a 403: rbac.denied
    while (!text.includes('rbac.denied')) {
      const { value, done } = await reader.read()
      if (done) break
      text += decoder.decode(value)
    }
    controller.abort()
    expect(text).toContain('event: hello')
    expect(text).toContain('event: security')
    expect(text).toContain('demo.unauthenticated')
    expect(text).toContain('rbac.denied')
    expect(text).not.toContain(tokens.vera)
  })
})

describe('event streams', () => {
  it('answers 503 once the most streams are open, and admits again when one closes', async () => {
    const { MAX_STREAMS } = await import('./app/build.js')
    const demo = await startDemo({
      framework: 'hono',
      port: 0,
      host: '127.0.0.1',
      logLevel: 'silent',
    })
    try {
      const closers = Array.from({ length: MAX_STREAMS }, () => demo.app.openEvents(() => {}))
      expect(closers.every((c) => c !== undefined)).toBe(true)
      const full = await fetch(`${demo.origin}/events`)
      expect(full.status).toBe(503)
      expect(full.headers.get('content-type')).toBe(PROBLEM)
      closers[0]?.()
      const controller = new AbortController()
      const open = await fetch(`${demo.origin}/events`, { signal: controller.signal })
      expect(open.status).toBe(200)
      controller.abort()
      for (const close of closers) close?.()
    } finally {
      await demo.close()
    }
  })
})
