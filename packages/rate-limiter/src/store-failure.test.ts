import { fallbackStore, type SecurityEvent } from '@rampart/core'
import { testApp } from '@rampart/core/testing'
import { describe, expect, it } from 'vitest'
import type { RateLimitOptions } from './options.js'
import { rateLimit, WARN_STORE_DEGRADED } from './rate-limit.js'
import { switchableStore } from './test-support/switchable-store.js'

/** The stores here run on the real clock, so the engine does too. */
const realClock = { now: () => Date.now(), advance: () => {} }

const base = { limit: 2, window: '1m', algorithm: 'fixed-window' } as const

function setup(options: Partial<RateLimitOptions> = {}) {
  const primary = switchableStore()
  const limiter = rateLimit({ ...base, store: primary, ...options } as RateLimitOptions)
  return { primary, limiter, app: testApp([limiter], realClock) }
}

describe('a shared store that fails', () => {
  it('is wrapped in a fallback store; a memory store is not', () => {
    const { limiter, primary } = setup()
    expect(limiter.store.kind).toBe('fallback')
    expect(limiter.store.name).toBe(primary.name)
    expect(limiter.store.shared).toBe(true)
    expect(rateLimit(base).store.kind).toBe('memory')
  })

  it("'fallback' (default) keeps limiting in memory and reports the switch through a request", async () => {
    const { primary, app } = setup()
    expect((await app.send()).status).toBe(200)
    primary.down = true
    // Counting starts afresh in memory: two more admitted, then refused.
    expect((await app.send()).status).toBe(200)
    expect((await app.send()).status).toBe(200)
    const refused = await app.send()
    expect(refused.status).toBe(429)
    expect(refused.headers['retry-after']).toBe('60')
    const failover = app.eventsOf('store.failover')
    expect(failover).toHaveLength(1)
    expect(failover[0]).toMatchObject({ store: 'switchable', source: 'rate-limit' })
    expect(String((failover[0] as { error: unknown }).error)).toContain('connection lost')
    const warnings = app.eventsOf('rampart.warning').filter((e) => e.code === WARN_STORE_DEGRADED)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]?.message).toContain("onStoreFailure: 'fallback'")
  })

  it("'open' admits every request while the store is down, full quota shown", async () => {
    const { primary, app } = setup({ onStoreFailure: 'open' })
    primary.down = true
    for (let i = 0; i < 4; i++) {
      const res = await app.send()
      expect(res.status).toBe(200)
      expect(res.headers.ratelimit).toBe('"2-per-1m";r=2;t=0')
    }
    expect(app.eventsOf('store.failover')).toHaveLength(1)
    expect(app.eventsOf('rampart.warning')[0]?.message).toContain('admitted without limits')
  })

  it("'closed' answers 503 with Retry-After while the store is down", async () => {
    const { primary, app } = setup({ onStoreFailure: 'closed' })
    primary.down = true
    const res = await app.send()
    expect(res.status).toBe(503)
    expect(res.headers['retry-after']).toBe('5')
    expect(res.body).toMatchObject({
      type: 'urn:rampart:problem:rate-limit-unavailable',
      title: 'Service Unavailable',
      status: 503,
    })
    expect(JSON.stringify(res.body)).not.toContain('connection lost')
    expect(app.eventsOf('store.failover')).toHaveLength(1)
    expect(app.eventsOf('guard.failed')).toHaveLength(0)
    expect(app.eventsOf('rampart.warning')[0]?.message).toContain('refused with 503')
  })

  it('counts a store that does not answer within storeTimeout as failed', async () => {
    const { primary, app } = setup({ onStoreFailure: 'open', storeTimeout: 20 })
    primary.hang = true
    const res = await app.send()
    expect(res.status).toBe(200)
    expect(app.eventsOf('store.failover')).toHaveLength(1)
    const error = (app.eventsOf('store.failover')[0] as { error: Error }).error
    expect(error.name).toBe('StoreTimeoutError')
  })

  it('sends store events to onEvent when given, outside any request', async () => {
    const seen: SecurityEvent[] = []
    const { primary, app } = setup({ onStoreFailure: 'open', onEvent: (e) => seen.push(e) })
    primary.down = true
    await app.send()
    expect(seen.map((e) => e.type)).toEqual(['store.failover'])
    expect(app.eventsOf('store.failover')).toHaveLength(0)
  })

  it('escalation failing with a closed store still answers 429, not 503', async () => {
    const primary = switchableStore()
    const store = fallbackStore({ primary, onFailure: 'closed', timeout: false })
    const limiter = rateLimit({
      ...base,
      limit: 1,
      store,
      block: { after: 1, within: '1h', for: '1h' },
    })
    const app = testApp([limiter], realClock)
    await app.send()
    // Fail only the calls after the batch: the increment of the violations counter.
    const consume = primary.consume
    primary.consume = async (requests) => {
      const result = await consume(requests)
      primary.down = true
      return result
    }
    const res = await app.send()
    expect(res.status).toBe(429)
    expect(res.body).toMatchObject({ blocked: false })
  })

  it('a user-supplied fallback store is used as it is', () => {
    const store = fallbackStore({ primary: switchableStore(), onFailure: 'open' })
    expect(rateLimit({ ...base, store }).store).toBe(store)
  })

  it('a store that is not shared and throws fails the request with 500', async () => {
    const broken = switchableStore({ shared: false })
    broken.down = true
    const app = testApp([rateLimit({ ...base, store: broken })], realClock)
    const res = await app.send()
    expect(res.status).toBe(500)
    expect(app.eventsOf('guard.failed')).toHaveLength(1)
  })

  it('refunds swallow an unavailable store instead of reporting a failure', async () => {
    const { primary, app } = setup({ onStoreFailure: 'closed', skipFailedRequests: true })
    const consume = primary.consume
    let calls = 0
    primary.consume = async (requests) => {
      calls++
      if (calls > 1) primary.down = true
      return consume(requests)
    }
    const res = await app.send({ status: 500 })
    expect(res.status).toBe(500)
    expect(app.eventsOf('guard.failed')).toHaveLength(0)
  })
})
