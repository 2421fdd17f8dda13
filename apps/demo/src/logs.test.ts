/**
 * What the demo's log holds after a session of typical and hostile requests, on each framework:
 * one access line per request with its status, the thrown error with its request id, the
 * security events — and no password, token, key or e-mail address anywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FRAMEWORKS } from './app/settings.js'
import { type RunningDemo, startDemo } from './server.js'

describe.each(FRAMEWORKS)('the log on %s', (framework) => {
  let demo: RunningDemo
  const lines: Record<string, unknown>[] = []
  let raw = ''
  let token = ''

  beforeAll(async () => {
    const destination = {
      write(line: string) {
        raw += line
        lines.push(JSON.parse(line))
      },
    }
    demo = await startDemo({ framework, port: 0, host: '127.0.0.1', logLevel: 'info' }, destination)
    const login = (password: string) =>
      fetch(`${demo.origin}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'ada', password }),
      })
    await login('Tr0ub4dor&3-wrong')
    token = ((await (await login('ada-demo-password')).json()) as { token: string }).token
    const headers = { authorization: `Bearer ${token}` }
    await fetch(`${demo.origin}/api/partners?token=query-secret-123&q=1`, { headers })
    await fetch(`${demo.origin}/api/boom`, { headers })
    await new Promise((r) => setTimeout(r, 50)) // access lines are written when responses end
  }, 30_000)
  afterAll(() => demo.close())

  it('writes one access line per request, with its status', () => {
    const access = lines.filter((l) => typeof l.durationMs === 'number')
    expect(access.map((l) => `${l.method} ${l.path} ${l.status}`)).toEqual([
      'POST /login 401',
      'POST /login 200',
      'GET /api/partners 200',
      'GET /api/boom 500',
    ])
    const partners = access[2] as { headers: Record<string, string>; query: Record<string, string> }
    expect(partners.headers.authorization).toBe('[REDACTED]')
    expect(partners.query).toMatchObject({ token: '[REDACTED]', q: '1' })
  })

  it('logs the thrown error with the request id, its secrets masked', () => {
    const error = lines.find((l) => l.level === 50 && typeof l.error === 'object') as {
      requestId: string
      error: { message: string }
    }
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/)
    expect(error.error.message).toBe('payment gateway refused key [REDACTED] for [REDACTED]')
  })

  it('logs the security events', () => {
    expect(lines.map((l) => l.msg)).toContain('lockout.attempt')
  })

  it('holds no password, token, key or e-mail address', () => {
    for (const secret of [
      'Tr0ub4dor',
      'ada-demo-password',
      token,
      'query-secret-123',
      'sk_live',
      'ann@example.com',
    ]) {
      expect(raw).not.toContain(secret)
    }
  })
})
