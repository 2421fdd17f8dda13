import { describe, expect, it, vi } from 'vitest'
import { RampartConfigError } from '../config.js'
import type { SecurityEvent } from '../events.js'
import { manualClock, runStoreSuite } from '../testing/store-suite.js'
import { isStoreUnavailableError, StoreTimeoutError, StoreUnavailableError } from './errors.js'
import { type FallbackStoreOptions, fallbackStore } from './fallback.js'
import { memoryStore } from './memory.js'
import type { RampartStore } from './types.js'

type Mode = 'ok' | 'throw' | 'hang'

/** A primary whose health the test controls, backed by a memory store. */
function controllablePrimary(clock?: () => number) {
  const inner = memoryStore({ name: 'inner', clock })
  const state = { mode: 'ok' as Mode, calls: 0 }
  const gate = <T>(run: () => Promise<T>): Promise<T> => {
    state.calls++
    if (state.mode === 'throw') return Promise.reject(new Error('connect ECONNREFUSED'))
    if (state.mode === 'hang') return new Promise<T>(() => {})
    return run()
  }
  const store: RampartStore = {
    name: 'redis-main',
    kind: 'redis',
    shared: true,
    consume: (requests) => gate(() => inner.consume(requests)),
    hit: (key, options) => gate(() => inner.hit(key, options)),
    slidingHit: (key, options) => gate(() => inner.slidingHit(key, options)),
    take: (key, options) => gate(() => inner.take(key, options)),
    setIfAbsent: (key, value, ttl) => gate(() => inner.setIfAbsent(key, value, ttl)),
    set: (key, value, ttl) => gate(() => inner.set(key, value, ttl)),
    get: (key) => gate(() => inner.get(key)),
    increment: (key, by, ttl) => gate(() => inner.increment(key, by, ttl)),
    delete: (key) => gate(() => inner.delete(key)),
    close: vi.fn(async () => {}),
  }
  return { store, inner, state }
}

/** A fallback store over a controllable primary, on a manual clock, recording events. */
function setup(options: Partial<FallbackStoreOptions> = {}) {
  const clock = manualClock()
  const primary = controllablePrimary(clock.now)
  const fallback = memoryStore({ name: 'spare', clock: clock.now })
  const events: SecurityEvent[] = []
  const store = fallbackStore({
    primary: primary.store,
    fallback:
      options.onFailure === undefined || options.onFailure === 'fallback' ? fallback : undefined,
    probeInterval: 1_000,
    timeout: 50,
    clock: clock.now,
    onEvent: (event) => events.push(event),
    ...options,
  })
  return { store, primary, fallback, events, clock }
}

const window = { window: 60_000, limit: 10 }

// The fallback wrapper must be indistinguishable from a store while healthy and while failed over.
const suiteClock = manualClock()
runStoreSuite(
  'fallback (healthy primary)',
  () => fallbackStore({ primary: memoryStore({ clock: suiteClock.now }), clock: suiteClock.now }),
  { clock: suiteClock },
)
runStoreSuite(
  'fallback (primary down)',
  () => {
    const primary = controllablePrimary(suiteClock.now)
    primary.state.mode = 'throw'
    return fallbackStore({
      primary: primary.store,
      fallback: memoryStore({ clock: suiteClock.now }),
      clock: suiteClock.now,
      onEvent: () => {},
    })
  },
  { clock: suiteClock },
)

describe('fallbackStore', () => {
  it('uses the primary while it answers, and says nothing', async () => {
    const { store, primary, fallback, events } = setup()
    expect((await store.hit('a', window)).count).toBe(1)
    expect((await primary.inner.hit('a', { ...window, cost: 0 })).count).toBe(1)
    expect(fallback.size).toBe(0)
    expect(events).toEqual([])
    expect(store.degraded).toBe(false)
  })

  it('describes itself from the primary', () => {
    const { store } = setup()
    expect(store).toMatchObject({ name: 'redis-main', kind: 'fallback', shared: true })
    expect(fallbackStore({ primary: memoryStore(), name: 'limits' }).name).toBe('limits')
  })

  it('serves from the fallback when the primary throws, and reports the switch once', async () => {
    const { store, primary, fallback, events } = setup()
    primary.state.mode = 'throw'
    expect(await store.hit('a', window)).toMatchObject({ allowed: true, count: 1 })
    expect(await store.hit('a', window)).toMatchObject({ allowed: true, count: 2 })
    expect(await store.setIfAbsent('n', 'v', 1_000)).toBe(true)
    expect(await fallback.get('n')).toBe('v')
    expect(store.degraded).toBe(true)
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ type: 'store.failover', store: 'redis-main' })
    expect((events[0] as { error: Error }).error.message).toContain('ECONNREFUSED')
  })

  it('reports one switch when many calls in flight fail together', async () => {
    const { store, primary, events } = setup()
    primary.state.mode = 'throw'
    await Promise.all(Array.from({ length: 20 }, () => store.hit('a', window)))
    expect(events.filter((e) => e.type === 'store.failover')).toHaveLength(1)
  })

  it('times out a hanging primary and falls back', async () => {
    const { store, primary, events } = setup({ timeout: 30 })
    primary.state.mode = 'hang'
    const started = Date.now()
    expect(await store.hit('a', window)).toMatchObject({ allowed: true, count: 1 })
    expect(Date.now() - started).toBeLessThan(1_000)
    expect(events).toHaveLength(1)
    const error = (events[0] as { error: unknown }).error
    expect(error).toBeInstanceOf(StoreTimeoutError)
    expect(error).toMatchObject({ store: 'redis-main', timeout: 30 })
  })

  it('does not keep the process alive for its timeout timer', async () => {
    const timers: unknown[] = []
    const real = globalThis.setTimeout
    const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((
      ...args: Parameters<typeof setTimeout>
    ) => {
      const timer = real(...args)
      timers.push(timer)
      return timer
    }) as typeof setTimeout)
    try {
      const { store } = setup({ timeout: 10_000 })
      await store.get('a')
    } finally {
      spy.mockRestore()
    }
    expect(timers).toHaveLength(1)
    expect((timers[0] as { hasRef(): boolean }).hasRef()).toBe(false)
  })

  it('probes the primary at most once per interval', async () => {
    const { store, primary, clock } = setup()
    primary.state.mode = 'throw'
    await store.hit('a', window)
    expect(primary.state.calls).toBe(1)
    for (let i = 0; i < 10; i++) await store.hit('a', window)
    expect(primary.state.calls).toBe(1)
    clock.advance(1_000)
    await store.hit('a', window)
    expect(primary.state.calls).toBe(2)
    for (let i = 0; i < 10; i++) await store.hit('a', window)
    expect(primary.state.calls).toBe(2)
  })

  it('sends one probe at a time to a struggling primary', async () => {
    const { store, primary, clock } = setup({ timeout: 30 })
    primary.state.mode = 'hang'
    await store.get('a')
    clock.advance(1_000)
    const probe = store.get('a')
    // Even past the next interval, nothing else is sent while the probe is in flight.
    clock.advance(5_000)
    await Promise.all([probe, ...Array.from({ length: 5 }, () => store.get('a'))])
    expect(primary.state.calls).toBe(2)
  })

  it('switches back when a probe succeeds, and reports it once', async () => {
    const { store, primary, fallback, events, clock } = setup()
    primary.state.mode = 'throw'
    await store.hit('a', window)
    primary.state.mode = 'ok'
    await store.hit('a', window)
    expect(store.degraded).toBe(true) // not probed yet: the interval has not passed
    expect(fallback.size).toBe(1)
    clock.advance(1_000)
    expect((await store.hit('a', window)).count).toBe(1) // from the primary, which saw nothing
    expect(store.degraded).toBe(false)
    await store.hit('a', window)
    expect(events.map((e) => e.type)).toEqual(['store.failover', 'store.recovered'])
    expect(events[1]).toMatchObject({ store: 'redis-main', source: 'redis-main' })
    expect((await primary.inner.hit('a', { ...window, cost: 0 })).count).toBe(2)
  })

  it('fails over again after a recovery', async () => {
    const { store, primary, events, clock } = setup()
    primary.state.mode = 'throw'
    await store.get('a')
    primary.state.mode = 'ok'
    clock.advance(1_000)
    await store.get('a')
    primary.state.mode = 'throw'
    await store.get('a')
    expect(events.map((e) => e.type)).toEqual([
      'store.failover',
      'store.recovered',
      'store.failover',
    ])
  })

  it('rethrows errors that isFailure excludes without switching', async () => {
    const { store, primary, events } = setup({ isFailure: () => false })
    primary.state.mode = 'throw'
    await expect(store.get('a')).rejects.toThrow('ECONNREFUSED')
    expect(store.degraded).toBe(false)
    expect(events).toEqual([])
  })

  describe("onFailure: 'closed'", () => {
    it('rejects every operation with StoreUnavailableError while down', async () => {
      const { store, primary, clock } = setup({ onFailure: 'closed' })
      primary.state.mode = 'throw'
      const attempts = [
        store.consume([{ key: 'a', algorithm: 'fixed-window', ...window }]),
        store.hit('a', window),
        store.slidingHit('a', window),
        store.take('a', { algorithm: 'gcra', burst: 1, emissionInterval: 1 }),
        store.setIfAbsent('a', 'v', 1),
        store.set('a', 'v', 1),
        store.get('a'),
        store.increment('a', 1, 1),
        store.delete('a'),
      ]
      for (const attempt of attempts) {
        const error = await attempt.then(
          () => undefined,
          (e: unknown) => e,
        )
        expect(error).toBeInstanceOf(StoreUnavailableError)
        expect(error).toMatchObject({ store: 'redis-main', code: 'ERR_RAMPART_STORE_UNAVAILABLE' })
        expect((error as Error).cause).toBeInstanceOf(Error)
      }
      primary.state.mode = 'ok'
      clock.advance(1_000)
      expect((await store.hit('a', window)).allowed).toBe(true)
    })
  })

  describe("onFailure: 'open'", () => {
    it('admits everything and counts nothing while down', async () => {
      const { store, primary, clock } = setup({ onFailure: 'open' })
      primary.state.mode = 'throw'
      const now = clock.now()
      const open = { allowed: true, count: 0, resetAt: now, retryAfter: 0 }
      expect(await store.hit('a', { window: 1_000, limit: 1 })).toEqual({ ...open, remaining: 1 })
      expect(await store.hit('a', { window: 1_000, limit: 1 })).toEqual({ ...open, remaining: 1 })
      expect(await store.hit('a', { window: 1_000 })).toEqual({
        ...open,
        remaining: Number.POSITIVE_INFINITY,
      })
      expect(await store.slidingHit('a', { window: 1_000, limit: 3 })).toEqual({
        ...open,
        remaining: 3,
      })
      expect(
        await store.take('a', { algorithm: 'token-bucket', capacity: 4, refillPerMs: 1 }),
      ).toEqual({ ...open, remaining: 4 })
      expect(await store.take('a', { algorithm: 'gcra', burst: 5, emissionInterval: 1 })).toEqual({
        ...open,
        remaining: 5,
      })
      expect(
        await store.consume([
          { key: 'a', algorithm: 'fixed-window', window: 1_000, limit: 0 },
          { key: 'b', algorithm: 'gcra', burst: 2, emissionInterval: 1 },
        ]),
      ).toEqual({
        allowed: true,
        retryAfter: 0,
        results: [
          { ...open, remaining: 0 },
          { ...open, remaining: 2 },
        ],
      })
      expect(await store.setIfAbsent('n', 'v', 1_000)).toBe(true)
      expect(await store.setIfAbsent('n', 'v', 1_000)).toBe(true)
      await expect(store.set('n', 'v', 1_000)).resolves.toBeUndefined()
      expect(await store.get('n')).toBeUndefined()
      expect(await store.increment('c', 1, 1_000)).toBe(0)
      expect(await store.delete('n')).toBe(false)
    })
  })

  describe('options', () => {
    it('rejects a primary that is not a store', () => {
      expect(() => fallbackStore({ primary: {} as RampartStore })).toThrow(RampartConfigError)
      expect(() => fallbackStore({ primary: {} as RampartStore })).toThrow(/primary/)
    })

    it('rejects a fallback store unless onFailure is fallback', () => {
      const attempt = () =>
        fallbackStore({ primary: memoryStore(), fallback: memoryStore(), onFailure: 'open' })
      expect(attempt).toThrow(RampartConfigError)
      expect(attempt).toThrow(/fallback/)
    })

    it('rejects invalid durations and modes', () => {
      expect(() => fallbackStore({ primary: memoryStore(), timeout: 0 })).toThrow(/timeout/)
      expect(() =>
        fallbackStore({ primary: memoryStore(), probeInterval: 'soon' as never }),
      ).toThrow(/probeInterval/)
      expect(() => fallbackStore({ primary: memoryStore(), onFailure: 'maybe' as never })).toThrow(
        /onFailure/,
      )
    })

    it('accepts duration strings and a disabled timeout', async () => {
      const { store, primary } = setup({ timeout: false, probeInterval: '30s' })
      primary.state.mode = 'throw'
      expect((await store.get('a')) ?? 'absent').toBe('absent')
    })

    it('closes both stores it owns', async () => {
      const { store, primary, fallback } = setup()
      await fallback.set('a', 'v', 1_000)
      await store.close()
      expect(primary.store.close).toHaveBeenCalledOnce()
      expect(fallback.size).toBe(0)
    })
  })
})

describe('isStoreUnavailableError', () => {
  it('recognises the error, also from another copy of core, and nothing else', () => {
    expect(isStoreUnavailableError(new StoreUnavailableError('redis'))).toBe(true)
    const foreign = Object.assign(new Error('down'), { code: 'ERR_RAMPART_STORE_UNAVAILABLE' })
    expect(isStoreUnavailableError(foreign)).toBe(true)
    expect(isStoreUnavailableError(new StoreTimeoutError('redis', 5))).toBe(false)
    expect(isStoreUnavailableError({ code: 'ERR_RAMPART_STORE_UNAVAILABLE' })).toBe(false)
  })
})
