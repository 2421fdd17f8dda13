import { memoryStore, type SecurityEvent } from '@rampart/core'
import { manualClock, testApp } from '@rampart/core/testing'
import { describe, expect, it } from 'vitest'
import type { RateLimitOptions } from './options.js'
import { rateLimit } from './rate-limit.js'

const START = 1_800_000_000_000

function setup(options: Partial<RateLimitOptions> = {}) {
  const clock = manualClock(START)
  const events: SecurityEvent[] = []
  const policy = 'policies' in options ? {} : { limit: 3, window: '1m', algorithm: 'fixed-window' }
  const limiter = rateLimit({
    ...policy,
    store: memoryStore({ clock: clock.now }),
    onEvent: (e) => events.push(e),
    ...options,
  } as RateLimitOptions)
  return { limiter, clock, events, app: testApp([limiter], clock) }
}

const remaining = async (limiter: ReturnType<typeof setup>['limiter'], key: string) =>
  (await limiter.peek(key)).policies.map((p) => p.remaining)

describe('programmatic API', () => {
  it('consume spends like a request and shares its buckets', async () => {
    const { limiter, app } = setup()
    expect(await limiter.consume('203.0.113.1')).toEqual({
      allowed: true,
      blocked: false,
      retryAfter: 0,
      policies: [
        { name: '3-per-1m', limit: 3, remaining: 2, resetAt: START + 60_000, window: 60_000 },
      ],
    })
    await limiter.consume('203.0.113.1', { cost: 2 })
    expect((await app.send()).status).toBe(429)
    const refused = await limiter.consume('203.0.113.1')
    expect(refused).toMatchObject({ allowed: false, blocked: false, retryAfter: 60_000 })
  })

  it('consume emits rate-limit.exceeded to onEvent, without the key unless asked', async () => {
    const { limiter, events } = setup({ limit: 1 })
    await limiter.consume('user-1')
    await limiter.consume('user-1')
    expect(events).toEqual([
      expect.objectContaining({
        type: 'rate-limit.exceeded',
        source: 'rate-limit',
        blocked: false,
        policies: [{ name: '1-per-1m', limit: 1, window: 60_000, retryAfter: 60_000 }],
      }),
    ])
    expect(events[0]).not.toHaveProperty('key')
    const keyed = setup({ limit: 1, includeKeyInEvents: true })
    await keyed.limiter.consume('user-1')
    await keyed.limiter.consume('user-1')
    expect(keyed.events[0]).toMatchObject({ key: 'user-1' })
  })

  it('normalises keys as requests do with the default key', async () => {
    const { limiter, app } = setup({ limit: 1 })
    await limiter.consume('2001:db8:ab:cd12::99')
    // Same /56 as the request's address.
    expect((await app.send({ ip: '2001:db8:ab:cd00::1' })).status).toBe(429)
    await limiter.reset('::ffff:198.51.100.1')
    await limiter.consume('::ffff:198.51.100.1')
    expect((await app.send({ ip: '198.51.100.1' })).status).toBe(429)
  })

  it('uses keys as they are with a custom key function', async () => {
    const { limiter, app } = setup({
      limit: 1,
      key: (ctx) => ctx.headers.get('x-user') ?? undefined,
    })
    await limiter.consume('alice')
    expect((await app.send({ headers: { 'x-user': 'alice' } })).status).toBe(429)
    expect((await app.send({ headers: { 'x-user': 'bob' } })).status).toBe(200)
  })

  it('peek spends nothing', async () => {
    const { limiter } = setup()
    for (let i = 0; i < 5; i++) {
      expect(await limiter.peek('k')).toMatchObject({ allowed: true, retryAfter: 0 })
    }
    expect(await remaining(limiter, 'k')).toEqual([3])
    await limiter.consume('k', { cost: 3 })
    expect(await limiter.peek('k')).toMatchObject({ allowed: false, blocked: false })
  })

  it('reset forgets every policy, violations and the block', async () => {
    const { limiter, app } = setup({
      policies: [
        { limit: 1, window: '1s' },
        { limit: 5, window: '1h' },
      ],
      block: { after: 1, within: '1h', for: '1h' },
    })
    await app.send()
    expect((await app.send()).body).toMatchObject({ blocked: true })
    await limiter.reset('203.0.113.1')
    expect(await remaining(limiter, '203.0.113.1')).toEqual([1, 5])
    expect((await app.send()).status).toBe(200)
  })

  it('reward gives units back, never above a full quota', async () => {
    const { limiter } = setup()
    await limiter.consume('k', { cost: 3 })
    expect((await limiter.reward('k', 2)).policies[0]?.remaining).toBe(2)
    expect((await limiter.reward('k', 10)).policies[0]?.remaining).toBe(3)
    expect((await limiter.reward('k')).allowed).toBe(true)
  })

  it('penalty spends past the limit on windows and GCRA: a debt that must pass', async () => {
    for (const algorithm of ['fixed-window', 'sliding-window', 'gcra'] as const) {
      const { limiter, clock } = setup({ limit: 3, window: '1m', algorithm })
      const after = await limiter.penalty('k', 5)
      expect(after).toMatchObject({ allowed: false, policies: [{ remaining: 0 }] })
      expect((await limiter.consume('k')).allowed).toBe(false)
      clock.advance(algorithm === 'gcra' ? 60_000 : 120_000)
      expect((await limiter.consume('k')).allowed).toBe(true)
    }
  })

  it('penalty empties a token bucket (it cannot hold a debt)', async () => {
    const { limiter, clock } = setup({
      limit: 60,
      window: '1m',
      algorithm: 'token-bucket',
      burst: 10,
    })
    await limiter.consume('k', { cost: 4 })
    expect((await limiter.penalty('k', 100)).policies[0]?.remaining).toBe(0)
    expect((await limiter.consume('k')).allowed).toBe(false)
    clock.advance(1_000)
    expect((await limiter.consume('k')).allowed).toBe(true)
  })

  it('block refuses every request for the duration; unblock lifts it', async () => {
    const { limiter, app, clock } = setup()
    await limiter.block('203.0.113.1', '5m')
    const refused = await app.send()
    expect(refused.status).toBe(429)
    expect(refused.headers['retry-after']).toBe('300')
    expect(refused.body).toMatchObject({ blocked: true, policies: [] })
    expect(await limiter.peek('203.0.113.1')).toMatchObject({
      allowed: false,
      blocked: true,
      retryAfter: 300_000,
    })
    clock.advance(60_000)
    await limiter.unblock('203.0.113.1')
    expect((await app.send()).status).toBe(200)
    await limiter.block('203.0.113.1', 1_000)
    clock.advance(1_000)
    expect((await app.send()).status).toBe(200)
  })

  it('refuses bad arguments with clear errors', async () => {
    const { limiter } = setup()
    await expect(limiter.consume('')).rejects.toThrow(TypeError)
    await expect(limiter.consume(42 as never)).rejects.toThrow(/key must be a non-empty string/)
    await expect(limiter.consume('k', { cost: -1 })).rejects.toThrow(RangeError)
    await expect(limiter.penalty('k', Number.NaN)).rejects.toThrow(/units must be a finite number/)
    await expect(limiter.block('k', 0)).rejects.toThrow(/block duration must be 1 ms to a year/)
    await expect(limiter.block('k', 'soon' as never)).rejects.toThrow(/is not a duration/)
  })

  it('needs { limit } for policies with a dynamic limit', async () => {
    const { limiter } = setup({ limit: () => 2 })
    await expect(limiter.consume('k')).rejects.toThrow(/dynamic limit; pass \{ limit \}/)
    expect((await limiter.consume('k', { limit: 2 })).policies[0]).toMatchObject({
      limit: 2,
      remaining: 1,
    })
    expect((await limiter.peek('k', { limit: 5 })).policies[0]).toMatchObject({
      limit: 5,
      remaining: 4,
    })
    await limiter.reset('k')
  })
})
