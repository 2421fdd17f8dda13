import { testApp } from '@rampart/core/testing'
// Integration: the guard against a real Redis (REDIS_URL, default redis://127.0.0.1:6379) through
// @rampart/redis and ioredis. Node only: excluded from the edge run.
import { redisStore } from '@rampart/redis'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rateLimit } from './rate-limit.js'
import { rateLimitInfo } from './state.js'

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const realClock = { now: () => Date.now(), advance: () => {} }

let client: Redis
/** A store prefix no other run shares; keys expire on their own and are deleted after. */
const runPrefix = `rampart-rate-limiter-test:${crypto.randomUUID()}:`

beforeAll(async () => {
  client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 })
  client.on('error', () => {})
  await client.connect()
})

afterAll(async () => {
  let cursor = '0'
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${runPrefix}*`, 'COUNT', 1000)
    cursor = next
    if (keys.length > 0) await client.del(...keys)
  } while (cursor !== '0')
  client.disconnect()
})

const store = () => redisStore({ client, prefix: runPrefix })

describe('rateLimit on Redis', () => {
  it('admits up to the limit, then 429 with headers and Retry-After', async () => {
    const limiter = rateLimit({ limit: 3, window: '1m', algorithm: 'fixed-window', store: store() })
    expect(limiter.store.kind).toBe('fallback')
    const app = testApp([limiter], realClock)
    const first = await app.send({ ip: '198.51.100.1' })
    expect(first.status).toBe(200)
    expect(first.headers['ratelimit-policy']).toBe('"3-per-1m";q=3;w=60')
    expect(first.headers.ratelimit).toMatch(/^"3-per-1m";r=2;t=(59|60)$/)
    expect(first.state.get(rateLimitInfo)?.policies[0]?.remaining).toBe(2)
    await app.send({ ip: '198.51.100.1' })
    await app.send({ ip: '198.51.100.1' })
    const refused = await app.send({ ip: '198.51.100.1' })
    expect(refused.status).toBe(429)
    expect(['59', '60']).toContain(refused.headers['retry-after'])
    expect(refused.body).toMatchObject({ type: 'urn:rampart:problem:rate-limited', blocked: false })
    // The keys share the client's hash tag.
    const keys = await client.keys(`${runPrefix}${limiter.prefix}*`)
    expect(keys).toEqual([`${runPrefix}${limiter.prefix}{198.51.100.1}:0`])
    expect(app.eventsOf('store.failover')).toHaveLength(0)
  })

  it('every algorithm limits, and several policies spend nothing when one refuses', async () => {
    for (const algorithm of ['fixed-window', 'sliding-window', 'token-bucket', 'gcra'] as const) {
      const limiter = rateLimit({
        policies: [
          { limit: 2, window: '1h', algorithm },
          { limit: 10, window: '1d', algorithm },
        ],
        store: store(),
      })
      const key = `client-${algorithm}`
      expect((await limiter.consume(key)).allowed).toBe(true)
      expect((await limiter.consume(key)).allowed).toBe(true)
      const refused = await limiter.consume(key)
      expect(refused.allowed).toBe(false)
      expect(refused.retryAfter).toBeGreaterThan(0)
      expect((await limiter.peek(key)).policies.map((p) => p.remaining)).toEqual([0, 8])
    }
  })

  it('two instances sharing Redis never admit more than the limit, even all at once', async () => {
    const prefix = `shared-${crypto.randomUUID()}:`
    const instances = [1, 2, 3].map(() =>
      rateLimit({ limit: 25, window: '1m', prefix, store: store() }),
    )
    const results = await Promise.all(
      Array.from({ length: 120 }, (_, i) => instances[i % 3]?.consume('203.0.113.50')),
    )
    expect(results.filter((r) => r?.allowed)).toHaveLength(25)
  })

  it('escalation blocks on Redis, and the block is checked in the same batch', async () => {
    const limiter = rateLimit({
      limit: 1,
      window: '1m',
      store: store(),
      block: { after: 2, within: '1h', for: '10m' },
    })
    const app = testApp([limiter], realClock)
    const ip = '198.51.100.77'
    expect((await app.send({ ip })).status).toBe(200)
    expect((await app.send({ ip })).body).toMatchObject({ blocked: false })
    const blocked = await app.send({ ip })
    expect(blocked.body).toMatchObject({ blocked: true })
    expect(['599', '600']).toContain(blocked.headers['retry-after'])
    expect(app.eventsOf('rate-limit.blocked')).toHaveLength(1)
    const ttl = await client.pttl(`${runPrefix}${limiter.prefix}{${ip}}:block`)
    expect(ttl).toBeGreaterThan(590_000)
    await limiter.unblock(ip)
    await limiter.reset(ip)
    expect((await app.send({ ip })).status).toBe(200)
  })

  it('refunds, penalties and rewards land on Redis', async () => {
    for (const algorithm of ['fixed-window', 'sliding-window', 'token-bucket', 'gcra'] as const) {
      const limiter = rateLimit({
        limit: 3,
        window: '1h',
        algorithm,
        store: store(),
        skipFailedRequests: true,
      })
      const app = testApp([limiter], realClock)
      const ip = `198.51.100.${algorithm.length}`
      await limiter.reset(ip)
      await app.send({ ip, status: 500 })
      expect((await limiter.peek(ip)).policies[0]?.remaining).toBe(3)
      expect((await limiter.penalty(ip, 5)).allowed).toBe(false)
      expect((await limiter.consume(ip)).allowed).toBe(false)
      await limiter.reset(ip)
      await limiter.consume(ip, { cost: 2 })
      expect((await limiter.reward(ip, 1)).policies[0]?.remaining).toBe(2)
    }
  })

  it('an unreachable Redis degrades as onStoreFailure says', async () => {
    const dead = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    })
    dead.on('error', () => {})
    try {
      const closed = testApp(
        [
          rateLimit({
            limit: 1,
            window: '1m',
            store: redisStore({ client: dead }),
            onStoreFailure: 'closed',
          }),
        ],
        realClock,
      )
      const refused = await closed.send()
      expect(refused.status).toBe(503)
      expect(refused.headers['retry-after']).toBe('5')
      expect(closed.eventsOf('store.failover')).toHaveLength(1)

      const fallback = testApp(
        [rateLimit({ limit: 1, window: '1m', store: redisStore({ client: dead }) })],
        realClock,
      )
      expect((await fallback.send()).status).toBe(200)
      expect((await fallback.send()).status).toBe(429)

      const open = testApp(
        [
          rateLimit({
            limit: 1,
            window: '1m',
            store: redisStore({ client: dead }),
            onStoreFailure: 'open',
          }),
        ],
        realClock,
      )
      expect((await open.send()).status).toBe(200)
      expect((await open.send()).status).toBe(200)
    } finally {
      dead.disconnect()
    }
  })
})
