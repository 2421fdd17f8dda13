import { type Guard, memoryStore, type SecurityContext } from '@rampart/core'
import { type ManualClock, manualClock, testApp } from '@rampart/core/testing'
import { describe, expect, it } from 'vitest'
import type { RateLimitOptions } from './options.js'
import { rateLimit, WARN_NO_KEY } from './rate-limit.js'
import { rateLimitInfo } from './state.js'
import { switchableStore } from './test-support/switchable-store.js'

/** An instant aligned to every window used here (1 s, 1 m, 1 h), so sliding windows start clean. */
const ALIGNED = 1_800_000_000_000

function setup(options: RateLimitOptions, extra: readonly Guard[] = []) {
  const clock: ManualClock = manualClock(ALIGNED)
  const limiter = rateLimit({
    store: memoryStore({ clock: clock.now }),
    ...options,
  } as RateLimitOptions)
  return { limiter, app: testApp([limiter, ...extra], clock), clock }
}

async function statuses(app: ReturnType<typeof testApp>, count: number, o = {}): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < count; i++) out.push((await app.send(o)).status)
  return out
}

describe('admission and refusal', () => {
  it('admits up to the limit, then answers 429 with an exact problem and headers', async () => {
    const { app, clock } = setup({ limit: 3, window: '1m', algorithm: 'fixed-window' })
    const first = await app.send()
    expect(first.status).toBe(200)
    expect(first.headers).toEqual({
      'ratelimit-policy': '"3-per-1m";q=3;w=60',
      ratelimit: '"3-per-1m";r=2;t=60',
    })
    clock.advance(10_500)
    expect((await app.send()).headers.ratelimit).toBe('"3-per-1m";r=1;t=50')
    expect((await app.send()).headers.ratelimit).toBe('"3-per-1m";r=0;t=50')
    const refused = await app.send({ headers: { 'x-request-id': 'req-1' } })
    expect(refused.status).toBe(429)
    expect(refused.headers).toEqual({
      'content-type': 'application/problem+json',
      'retry-after': '50',
      'ratelimit-policy': '"3-per-1m";q=3;w=60',
      ratelimit: '"3-per-1m";r=0;t=50',
      'cache-control': 'no-store',
    })
    expect(refused.body).toEqual({
      type: 'urn:rampart:problem:rate-limited',
      title: 'Too Many Requests',
      status: 429,
      detail: 'Rate limit exceeded; retry in 50 seconds.',
      retryAfter: 50,
      blocked: false,
      policies: [{ name: '3-per-1m', limit: 3, window: 60, retryAfter: 50 }],
      requestId: 'req-1',
    })
    expect(JSON.stringify(refused.body)).not.toContain('203.0.113.1')
    expect(app.eventsOf('rate-limit.exceeded')).toEqual([
      expect.objectContaining({
        type: 'rate-limit.exceeded',
        source: 'rate-limit',
        ip: '203.0.113.1',
        blocked: false,
        retryAfter: 49_500,
        policies: [{ name: '3-per-1m', limit: 3, window: 60_000, retryAfter: 49_500 }],
      }),
    ])
    expect(app.eventsOf('rate-limit.exceeded')[0]).not.toHaveProperty('key')
    clock.advance(49_500)
    expect((await app.send()).status).toBe(200)
  })

  it('never tells a client to retry in 0 seconds', async () => {
    const { app, clock } = setup({ limit: 1, window: '1m', algorithm: 'fixed-window' })
    await app.send()
    clock.advance(59_999)
    const refused = await app.send()
    expect(refused.status).toBe(429)
    expect(refused.headers['retry-after']).toBe('1')
    expect(refused.body?.retryAfter).toBe(1)
  })

  it('defaults to a sliding window: no burst at the window boundary', async () => {
    const { limiter, app, clock } = setup({ limit: 10, window: '1m' })
    expect(limiter.policies[0]?.algorithm).toBe('sliding-window')
    expect(await statuses(app, 10)).toEqual(Array(10).fill(200))
    expect((await app.send()).status).toBe(429)
    // A fixed window would admit 10 more here; the previous window still weighs fully.
    clock.advance(60_000)
    const refused = await app.send()
    expect(refused.status).toBe(429)
    expect(refused.headers['retry-after']).toBe('6')
    clock.advance(6_000)
    expect((await app.send()).status).toBe(200)
    expect((await app.send()).status).toBe(429)
  })

  it('a fixed window resets whole at its end', async () => {
    const { app, clock } = setup({ limit: 2, window: '1s', algorithm: 'fixed-window' })
    expect(await statuses(app, 3)).toEqual([200, 200, 429])
    clock.advance(1_000)
    expect(await statuses(app, 3)).toEqual([200, 200, 429])
  })

  it('a token bucket allows a burst, then the steady rate', async () => {
    const { app, clock } = setup({ limit: 60, window: '1m', algorithm: 'token-bucket', burst: 10 })
    const first = await app.send()
    expect(first.headers['ratelimit-policy']).toBe('"60-per-1m";q=60;w=60')
    expect(first.headers.ratelimit).toBe('"60-per-1m";r=9;t=1')
    expect(await statuses(app, 9)).toEqual(Array(9).fill(200))
    const refused = await app.send()
    expect(refused.status).toBe(429)
    expect(refused.headers['retry-after']).toBe('1')
    clock.advance(1_000)
    expect(await statuses(app, 2)).toEqual([200, 429])
  })

  it('GCRA spreads requests: a burst, then one per emission interval', async () => {
    const { app, clock } = setup({ limit: 6, window: '1m', algorithm: 'gcra', burst: 2 })
    expect(await statuses(app, 3)).toEqual([200, 200, 429])
    clock.advance(10_000)
    expect(await statuses(app, 2)).toEqual([200, 429])
  })

  it('several policies are checked together and a refusal spends nothing', async () => {
    const { limiter, app, clock } = setup({
      policies: [
        { limit: 2, window: '1s', algorithm: 'fixed-window' },
        { limit: 5, window: '1m', algorithm: 'fixed-window' },
      ],
    })
    const first = await app.send()
    expect(first.headers).toEqual({
      'ratelimit-policy': '"2-per-1s";q=2;w=1, "5-per-1m";q=5;w=60',
      ratelimit: '"2-per-1s";r=1;t=1, "5-per-1m";r=4;t=60',
    })
    await app.send()
    const refused = await app.send()
    expect(refused.status).toBe(429)
    expect(refused.body?.policies).toEqual([
      { name: '2-per-1s', limit: 2, window: 1, retryAfter: 1 },
    ])
    // The minute policy was not charged for the refused request.
    expect((await limiter.peek('203.0.113.1')).policies.map((p) => p.remaining)).toEqual([0, 3])
    clock.advance(1_000)
    expect(await statuses(app, 3)).toEqual([200, 200, 429])
    clock.advance(1_000)
    const last = await app.send()
    expect(last.status).toBe(200)
    const overMinute = await app.send()
    expect(overMinute.status).toBe(429)
    expect(overMinute.body?.policies).toEqual([
      { name: '5-per-1m', limit: 5, window: 60, retryAfter: 58 },
    ])
    expect((await limiter.peek('203.0.113.1')).policies.map((p) => p.remaining)).toEqual([1, 0])
  })

  it('reports the largest wait when several policies refuse', async () => {
    const { app } = setup({
      policies: [
        { name: 'second', limit: 1, window: '1s', algorithm: 'fixed-window' },
        { name: 'minute', limit: 1, window: '1m', algorithm: 'fixed-window' },
      ],
    })
    await app.send()
    const refused = await app.send()
    expect(refused.headers['retry-after']).toBe('60')
    expect(refused.body?.policies).toEqual([
      { name: 'second', limit: 1, window: 1, retryAfter: 1 },
      { name: 'minute', limit: 1, window: 60, retryAfter: 60 },
    ])
  })
})

describe('state for the handler', () => {
  it('attaches rateLimitInfo to admitted and refused requests', async () => {
    const { app } = setup({ limit: 2, window: '1m', algorithm: 'fixed-window' })
    const ok = await app.send()
    expect(ok.state.get(rateLimitInfo)).toEqual({
      allowed: true,
      blocked: false,
      retryAfter: 0,
      policies: [
        { name: '2-per-1m', limit: 2, remaining: 1, resetAt: ALIGNED + 60_000, window: 60_000 },
      ],
    })
    await app.send()
    const refused = await app.send()
    expect(refused.state.get(rateLimitInfo)).toMatchObject({
      allowed: false,
      blocked: false,
      retryAfter: 60_000,
      policies: [{ remaining: 0 }],
    })
  })
})

describe('keys', () => {
  it('keys IPv6 clients by their /56 by default', async () => {
    const { app } = setup({ limit: 1, window: '1m' })
    expect((await app.send({ ip: '2001:db8:ab:cd00::1' })).status).toBe(200)
    // Same /56, another address: same bucket.
    expect((await app.send({ ip: '2001:db8:ab:cdff:1234::9' })).status).toBe(429)
    // Another /56: its own bucket.
    expect((await app.send({ ip: '2001:db8:ab:ce00::1' })).status).toBe(200)
  })

  it('honours ipv6Subnet, and false for the full address', async () => {
    const by64 = setup({ limit: 1, window: '1m', ipv6Subnet: 64 }).app
    expect((await by64.send({ ip: '2001:db8:0:1::1' })).status).toBe(200)
    expect((await by64.send({ ip: '2001:db8:0:2::1' })).status).toBe(200)
    expect((await by64.send({ ip: '2001:db8:0:1::2' })).status).toBe(429)
    const full = setup({ limit: 1, window: '1m', ipv6Subnet: false }).app
    expect((await full.send({ ip: '2001:db8::1' })).status).toBe(200)
    expect((await full.send({ ip: '2001:db8::2' })).status).toBe(200)
  })

  it('keys an IPv4-mapped IPv6 client as the IPv4 address', async () => {
    const { app } = setup({ limit: 1, window: '1m' })
    expect((await app.send({ ip: '::ffff:198.51.100.7' })).status).toBe(200)
    expect((await app.send({ ip: '198.51.100.7' })).status).toBe(429)
  })

  it('uses a custom key, sync or async', async () => {
    const byHeader = (ctx: SecurityContext) => ctx.headers.get('x-api-key') ?? undefined
    for (const key of [byHeader, async (ctx: SecurityContext) => byHeader(ctx)]) {
      const { app } = setup({ limit: 1, window: '1m', key })
      expect((await app.send({ headers: { 'x-api-key': 'a' } })).status).toBe(200)
      // Another address, same key: same bucket.
      expect((await app.send({ ip: '198.51.100.1', headers: { 'x-api-key': 'a' } })).status).toBe(
        429,
      )
      expect((await app.send({ headers: { 'x-api-key': 'b' } })).status).toBe(200)
    }
  })

  it('keeps keys with braces apart and inside one hash tag', async () => {
    const store = switchableStore({ shared: true })
    const limiter = rateLimit({
      limit: 1,
      window: '1m',
      prefix: 'api:',
      store,
      key: (ctx) => ctx.headers.get('x-key') ?? undefined,
    })
    const app = testApp([limiter])
    expect((await app.send({ headers: { 'x-key': 'a{b}' } })).status).toBe(200)
    expect((await app.send({ headers: { 'x-key': 'a%7Bb%7D' } })).status).toBe(200)
    expect((await app.send({ headers: { 'x-key': '}{' } })).status).toBe(200)
    expect(store.consumed).toEqual([
      'api:{a%7Bb%7D}:block',
      'api:{a%7Bb%7D}:0',
      'api:{a%257Bb%257D}:block',
      'api:{a%257Bb%257D}:0',
      'api:{%7D%7B}:block',
      'api:{%7D%7B}:0',
    ])
  })

  it('checks the block gate in the same batch when a block can exist', async () => {
    // A per-process store without escalation: no block can exist until block() is called here.
    // Per-process stores get compact keys: a short tag for this limiter, then the client key.
    const local = switchableStore({ shared: false })
    const limiter = rateLimit({ limit: 5, window: '1m', prefix: 'p:', store: local })
    const app = testApp([limiter])
    await app.send()
    expect(local.consumed).toEqual(['\u0001203.0.113.1'])
    await limiter.block('198.51.100.1', '1m')
    await app.send()
    expect(local.consumed.slice(1)).toEqual(['\u0001203.0.113.1\u0000block', '\u0001203.0.113.1'])
    expect((await app.send({ ip: '198.51.100.1' })).status).toBe(429)
    // With escalation, from the first request; on a shared store, with the readable layout.
    const escalating = switchableStore({ shared: true })
    await testApp([
      rateLimit({
        limit: 5,
        window: '1m',
        prefix: 'p:',
        store: escalating,
        block: { after: 3, within: '1h', for: '1h' },
      }),
    ]).send()
    expect(escalating.consumed).toEqual(['p:{203.0.113.1}:block', 'p:{203.0.113.1}:0'])
  })

  it('keeps limiters sharing a per-process store apart, unless they share a prefix', async () => {
    const store = memoryStore()
    const a = rateLimit({ limit: 1, window: '1m', prefix: 'a:', store })
    const b = rateLimit({ limit: 1, window: '1m', prefix: 'b:', store })
    const a2 = rateLimit({ limit: 1, window: '1m', prefix: 'a:', store })
    expect((await a.consume('\u0002x')).allowed).toBe(true)
    expect((await b.consume('x')).allowed).toBe(true)
    expect((await a.consume('x')).allowed).toBe(true)
    expect((await a2.consume('x')).allowed).toBe(false)
  })

  it('refuses a keyless request with 403 by default, never sharing a bucket', async () => {
    const { app } = setup({ limit: 1, window: '1m' })
    for (let i = 0; i < 2; i++) {
      const refused = await app.send({ ip: null })
      expect(refused.status).toBe(403)
      expect(refused.body).toMatchObject({
        type: 'urn:rampart:problem:unidentified-client',
        title: 'Forbidden',
        status: 403,
      })
      expect(refused.headers.ratelimit).toBeUndefined()
    }
    expect(app.eventsOf('rate-limit.denied')).toHaveLength(2)
    expect(app.eventsOf('rate-limit.denied')[0]).toMatchObject({ reason: 'no-key' })
    const warnings = app.eventsOf('rampart.warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatchObject({ code: WARN_NO_KEY })
    expect(warnings[0]?.message).toContain('client IP is unknown')
    // Clients with a key are unaffected.
    expect((await app.send()).status).toBe(200)
  })

  it("lets a keyless request through unlimited with onMissingKey: 'allow'", async () => {
    const { app } = setup({
      limit: 1,
      window: '1m',
      onMissingKey: 'allow',
      key: (ctx) => ctx.headers.get('x-user') ?? '',
    })
    expect(await statuses(app, 3)).toEqual([200, 200, 200])
    expect((await app.send()).headers.ratelimit).toBeUndefined()
    expect(app.eventsOf('rampart.warning')[0]?.message).toContain(
      'your key function returned nothing',
    )
    expect((await app.send({ headers: { 'x-user': 'u1' } })).status).toBe(200)
    expect((await app.send({ headers: { 'x-user': 'u1' } })).status).toBe(429)
  })

  it('a key function returning a non-string fails the request with 500', async () => {
    const { app } = setup({ limit: 1, window: '1m', key: () => 42 as never })
    const res = await app.send()
    expect(res.status).toBe(500)
    expect(app.eventsOf('guard.failed')[0]?.error).toBeInstanceOf(TypeError)
  })

  it('puts the key into events only when asked', async () => {
    const { app } = setup({ limit: 1, window: '1m', includeKeyInEvents: true })
    await statuses(app, 2)
    expect(app.eventsOf('rate-limit.exceeded')[0]).toMatchObject({ key: '203.0.113.1' })
  })
})

describe('cost and dynamic limits', () => {
  it('spends cost units per request', async () => {
    const { app } = setup({ limit: 5, window: '1m', algorithm: 'fixed-window', cost: 2 })
    expect(await statuses(app, 2)).toEqual([200, 200])
    const refused = await app.send()
    expect(refused.status).toBe(429)
    expect(refused.headers.ratelimit).toBe('"5-per-1m";r=1;t=60')
  })

  it('computes cost per request; a cost of 0 is free', async () => {
    const { app } = setup({
      limit: 2,
      window: '1m',
      cost: (ctx) => (ctx.path === '/free' ? 0 : ctx.path === '/heavy' ? 2 : 1),
    })
    expect((await app.send({ path: '/free' })).status).toBe(200)
    expect((await app.send({ path: '/heavy' })).status).toBe(200)
    expect((await app.send({ path: '/free' })).status).toBe(200)
    expect((await app.send({ path: '/' })).status).toBe(429)
  })

  it('a cost above the limit is refused without a Retry-After', async () => {
    const { app } = setup({ limit: 2, window: '1m', cost: () => 3 })
    const refused = await app.send()
    expect(refused.status).toBe(429)
    expect(refused.headers['retry-after']).toBeUndefined()
    expect(refused.body).toMatchObject({
      detail: 'This request costs more than the rate limit allows; it cannot be admitted.',
      retryAfter: null,
      policies: [{ name: '2-per-1m', limit: 2, window: 60, retryAfter: null }],
    })
  })

  it('an invalid cost fails the request with 500, never a crash', async () => {
    for (const cost of [-1, Number.NaN, Number.POSITIVE_INFINITY, '1']) {
      const { app } = setup({ limit: 2, window: '1m', cost: () => cost as number })
      const res = await app.send()
      expect(res.status).toBe(500)
      expect(res.body?.type).toBe('urn:rampart:problem:internal-error')
      expect(String(app.eventsOf('guard.failed')[0]?.error)).toContain('cost must return')
    }
  })

  it('computes a dynamic limit per request, sync or async', async () => {
    const plan = (ctx: SecurityContext) => (ctx.headers.get('x-plan') === 'pro' ? 3 : 1)
    for (const limit of [plan, async (ctx: SecurityContext) => plan(ctx)]) {
      const { app } = setup({ limit, window: '1m', algorithm: 'fixed-window' })
      const pro = { headers: { 'x-plan': 'pro' } }
      const first = await app.send(pro)
      expect(first.headers).toEqual({
        'ratelimit-policy': '"dynamic-per-1m";q=3;w=60',
        ratelimit: '"dynamic-per-1m";r=2;t=60',
      })
      expect((await app.send()).status).toBe(429)
      expect((await app.send(pro)).status).toBe(200)
    }
  })

  it('a dynamic limit that is not a positive finite number fails with 500 and guard.failed', async () => {
    for (const value of [0, -3, Number.NaN, Number.POSITIVE_INFINITY, '10', undefined]) {
      const { app } = setup({ name: 'plan', limit: () => value as number, window: '1m' })
      const res = await app.send()
      expect(res.status).toBe(500)
      expect(res.body).toMatchObject({ type: 'urn:rampart:problem:internal-error', status: 500 })
      const failed = app.eventsOf('guard.failed')
      expect(failed).toHaveLength(1)
      expect(failed[0]).toMatchObject({ phase: 'request', source: 'rate-limit' })
      expect(String(failed[0]?.error)).toContain("the limit function of policy 'plan'")
    }
    const throwing = setup({
      limit: () => Promise.reject(new Error('plan lookup failed')),
      window: '1m',
    })
    expect((await throwing.app.send()).status).toBe(500)
  })
})

describe('skip, allow and deny', () => {
  it('skip(ctx) bypasses the limiter, sync or async', async () => {
    for (const skip of [
      (ctx: SecurityContext) => ctx.path === '/health',
      async (ctx: SecurityContext) => ctx.path === '/health',
    ]) {
      const { app } = setup({ limit: 1, window: '1m', skip })
      const health = await app.send({ path: '/health' })
      expect(health.status).toBe(200)
      expect(health.headers.ratelimit).toBeUndefined()
      expect(await statuses(app, 3, { path: '/health' })).toEqual([200, 200, 200])
      expect(await statuses(app, 2)).toEqual([200, 429])
    }
  })

  it('allow bypasses the limiter; deny answers 403 ip-denied (not 429) and wins over allow', async () => {
    const events = setup({
      limit: 1,
      window: '1m',
      allow: ['loopback', '198.51.100.0/24'],
      deny: ['198.51.100.66'],
    })
    const { app } = events
    expect(await statuses(app, 3, { ip: '198.51.100.1' })).toEqual([200, 200, 200])
    expect((await app.send({ ip: '::1' })).headers.ratelimit).toBeUndefined()
    const denied = await app.send({ ip: '198.51.100.66' })
    expect(denied.status).toBe(403)
    expect(denied.body).toMatchObject({ type: 'urn:rampart:problem:ip-denied', status: 403 })
    expect(denied.headers['retry-after']).toBeUndefined()
    expect(app.eventsOf('rate-limit.denied')).toEqual([
      expect.objectContaining({ reason: 'deny-list', ip: '198.51.100.66', source: 'rate-limit' }),
    ])
    // IPv4 rules match IPv4-mapped clients; everyone else is limited.
    expect((await app.send({ ip: '::ffff:198.51.100.66' })).status).toBe(403)
    expect(await statuses(app, 2)).toEqual([200, 429])
  })
})

describe('escalation', () => {
  it('blocks after repeated violations, spending nothing while blocked', async () => {
    const { limiter, app, clock } = setup({
      limit: 1,
      window: '1m',
      algorithm: 'fixed-window',
      block: { after: 2, within: '1h', for: '10m' },
    })
    expect((await app.send()).status).toBe(200)
    const first = await app.send()
    expect(first.body).toMatchObject({ blocked: false, retryAfter: 60 })
    expect(app.eventsOf('rate-limit.blocked')).toHaveLength(0)
    const second = await app.send()
    expect(second.status).toBe(429)
    expect(second.headers['retry-after']).toBe('600')
    expect(second.headers.ratelimit).toBe('"1-per-1m";r=0;t=600')
    expect(second.body).toMatchObject({
      blocked: true,
      retryAfter: 600,
      detail: 'This client is blocked after repeated rate-limit violations; retry in 600 seconds.',
    })
    expect(app.eventsOf('rate-limit.blocked')).toEqual([
      expect.objectContaining({ for: 600_000, violations: 2, ip: '203.0.113.1' }),
    ])
    expect(app.eventsOf('rate-limit.exceeded').map((e) => e.blocked)).toEqual([false, true])
    // The window resets, the block does not.
    clock.advance(120_000)
    const blocked = await app.send()
    expect(blocked.status).toBe(429)
    expect(blocked.headers['retry-after']).toBe('480')
    expect(blocked.body).toMatchObject({ blocked: true, policies: [] })
    expect(blocked.state.get(rateLimitInfo)).toMatchObject({
      allowed: false,
      blocked: true,
      retryAfter: 480_000,
      policies: [{ remaining: 0, resetAt: clock.now() + 480_000 }],
    })
    // Nothing was spent while blocked, and no further block started.
    expect((await limiter.peek('203.0.113.1')).policies[0]?.remaining).toBe(0)
    expect(app.eventsOf('rate-limit.blocked')).toHaveLength(1)
    clock.advance(480_000)
    expect(await statuses(app, 2)).toEqual([200, 429])
    // Violations started afresh with the block: one more is not enough for another.
    expect(app.eventsOf('rate-limit.blocked')).toHaveLength(1)
  })

  it('forgets violations older than within', async () => {
    const { app, clock } = setup({
      limit: 1,
      window: '1s',
      algorithm: 'fixed-window',
      block: { after: 2, within: '10s', for: '1m' },
    })
    await statuses(app, 2)
    clock.advance(11_000)
    expect(await statuses(app, 2)).toEqual([200, 429])
    expect(app.eventsOf('rate-limit.blocked')).toHaveLength(0)
  })
})
