import { memoryStore } from '@rampart/core'
import { manualClock, testApp } from '@rampart/core/testing'
import { describe, expect, it } from 'vitest'
import { mostRestrictive, secondsUntil } from './headers.js'
import type { RateLimitOptions } from './options.js'
import { partitionKeyer } from './partition-key.js'
import { formatWindow, sfString } from './policies.js'
import { rateLimit } from './rate-limit.js'

const START = 1_800_000_000_000

function app(options: RateLimitOptions) {
  const clock = manualClock(START)
  return testApp(
    [rateLimit({ store: memoryStore({ clock: clock.now }), ...options } as RateLimitOptions)],
    clock,
  )
}

const fixed = { limit: 2, window: '1m', algorithm: 'fixed-window' } as const

describe('draft headers', () => {
  it('serialise names as Structured Fields strings', () => {
    expect(sfString('100-per-1m')).toBe('"100-per-1m"')
    expect(sfString('say "hi" \\ bye')).toBe('"say \\"hi\\" \\\\ bye"')
  })

  it('send escaped names', async () => {
    const res = await app({ ...fixed, name: 'a "quoted" \\ name' }).send()
    expect(res.headers['ratelimit-policy']).toBe('"a \\"quoted\\" \\\\ name";q=2;w=60')
    expect(res.headers.ratelimit).toBe('"a \\"quoted\\" \\\\ name";r=1;t=60')
  })

  it('round w and t up to whole seconds, w at least 1', async () => {
    const sub = app({ limit: 5, window: 1_500, algorithm: 'fixed-window' })
    expect((await sub.send()).headers).toEqual({
      'ratelimit-policy': '"5-per-1500ms";q=5;w=2',
      ratelimit: '"5-per-1500ms";r=4;t=2',
    })
    const tiny = app({ limit: 5, window: 10, algorithm: 'fixed-window' })
    expect((await tiny.send()).headers.ratelimit).toBe('"5-per-10ms";r=4;t=1')
    expect(secondsUntil(START + 1, START)).toBe(1)
    expect(secondsUntil(START + 1_000, START)).toBe(1)
    expect(secondsUntil(START + 1_001, START)).toBe(2)
    expect(secondsUntil(START - 5, START)).toBe(0)
  })

  it('report remaining as whole units, rounded down', async () => {
    const bucket = app({ limit: 10, window: '1s', algorithm: 'token-bucket' })
    const a = bucket.clock
    await bucket.send()
    a.advance(50) // half a token back
    expect((await bucket.send()).headers.ratelimit).toBe('"10-per-1s";r=8;t=1')
  })

  it('are staged on admitted responses and handler headers win', async () => {
    const res = await app(fixed).send()
    expect(Object.keys(res.headers).sort()).toEqual(['ratelimit', 'ratelimit-policy'])
  })
})

describe('legacy and combined headers', () => {
  it("'legacy' sends X-RateLimit-* for the most restrictive policy, reset in epoch seconds", async () => {
    const limited = app({
      headers: 'legacy',
      policies: [
        { limit: 10, window: '1s', algorithm: 'fixed-window' },
        { limit: 2, window: '1m', algorithm: 'fixed-window' },
      ],
    })
    expect((await limited.send()).headers).toEqual({
      'x-ratelimit-limit': '2',
      'x-ratelimit-remaining': '1',
      'x-ratelimit-reset': String((START + 60_000) / 1_000),
    })
    await limited.send()
    const refused = await limited.send()
    expect(refused.status).toBe(429)
    expect(refused.headers).toMatchObject({
      'retry-after': '60',
      'x-ratelimit-limit': '2',
      'x-ratelimit-remaining': '0',
    })
    expect(refused.headers.ratelimit).toBeUndefined()
  })

  it("'both' sends the draft and the legacy headers", async () => {
    const res = await app({ ...fixed, headers: 'both' }).send()
    expect(res.headers).toEqual({
      'ratelimit-policy': '"2-per-1m";q=2;w=60',
      ratelimit: '"2-per-1m";r=1;t=60',
      'x-ratelimit-limit': '2',
      'x-ratelimit-remaining': '1',
      'x-ratelimit-reset': String((START + 60_000) / 1_000),
    })
  })

  it('false sends none, but a 429 still carries Retry-After', async () => {
    const quiet = app({ ...fixed, limit: 1, headers: false })
    expect((await quiet.send()).headers).toEqual({})
    const refused = await quiet.send()
    expect(refused.headers).toEqual({
      'content-type': 'application/problem+json',
      'retry-after': '60',
      'cache-control': 'no-store',
    })
  })

  it('the most restrictive policy: least remaining, then the latest reset', () => {
    const p = (remaining: number, resetAt: number) => ({
      name: 'x',
      limit: 10,
      remaining,
      resetAt,
      window: 1,
    })
    const info = (...policies: ReturnType<typeof p>[]) => ({
      allowed: true,
      blocked: false,
      retryAfter: 0,
      policies,
    })
    expect(mostRestrictive(info(p(5, 1), p(3, 1), p(4, 9)))).toBe(1)
    expect(mostRestrictive(info(p(3, 1), p(3, 9)))).toBe(1)
    expect(mostRestrictive(info(p(3, 9), p(3, 1)))).toBe(0)
  })
})

describe('partition key', () => {
  const secret = 'correct horse battery staple'

  async function expectedPk(clientKey: string): Promise<string> {
    const key = await crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    )
    const mac = new Uint8Array(
      await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(clientKey)),
    )
    return btoa(String.fromCharCode(...mac.subarray(0, 12)))
  }

  it('adds pk=:<truncated HMAC-SHA256 of the client key>: to both draft headers', async () => {
    const limited = app({ ...fixed, partitionKey: { secret } })
    const res = await limited.send({ ip: '198.51.100.9' })
    const pk = await expectedPk('198.51.100.9')
    expect(pk).toMatch(/^[A-Za-z0-9+/]{16}$/)
    expect(res.headers['ratelimit-policy']).toBe(`"2-per-1m";q=2;w=60;pk=:${pk}:`)
    expect(res.headers.ratelimit).toBe(`"2-per-1m";r=1;t=60;pk=:${pk}:`)
    expect(JSON.stringify(res.headers)).not.toContain('198.51.100.9')
  })

  it('is stable per client, differs between clients and between secrets', async () => {
    const pkOf = (headers: Record<string, string>) => headers.ratelimit?.split(';pk=')[1]
    const limited = app({ ...fixed, limit: 10, partitionKey: { secret } })
    const a1 = pkOf((await limited.send({ ip: '198.51.100.1' })).headers)
    const a2 = pkOf((await limited.send({ ip: '198.51.100.1' })).headers)
    const b = pkOf((await limited.send({ ip: '198.51.100.2' })).headers)
    expect(a1).toBe(a2)
    expect(a1).not.toBe(b)
    const other = app({ ...fixed, partitionKey: { secret: `${secret}!` } })
    expect(pkOf((await other.send({ ip: '198.51.100.1' })).headers)).not.toBe(a1)
  })

  it('is the HMAC of the key, not of the raw address: IPv6 clients of one /56 share it', async () => {
    const keyer = partitionKeyer(secret)
    expect(await keyer('2001:db8:ab:cd00::/56')).toBe(await expectedPk('2001:db8:ab:cd00::/56'))
    const limited = app({ ...fixed, limit: 10, partitionKey: { secret } })
    const one = (await limited.send({ ip: '2001:db8:ab:cd00::1' })).headers.ratelimit
    const two = (await limited.send({ ip: '2001:db8:ab:cdff::2' })).headers.ratelimit
    expect(one?.split(';pk=')[1]).toBe(two?.split(';pk=')[1])
  })

  it('goes with the policy header even when limits are dynamic', async () => {
    const limited = app({ limit: () => 7, window: '1m', partitionKey: { secret } })
    const res = await limited.send()
    expect(res.headers['ratelimit-policy']).toMatch(
      /^"dynamic-per-1m";q=7;w=60;pk=:[A-Za-z0-9+/]{16}:$/,
    )
  })
})

describe('formatWindow', () => {
  it('uses the largest unit that divides the window', () => {
    expect(formatWindow(86_400_000 * 7)).toBe('7d')
    expect(formatWindow(3_600_000)).toBe('1h')
    expect(formatWindow(61_000)).toBe('61s')
    expect(formatWindow(999)).toBe('999ms')
  })
})
