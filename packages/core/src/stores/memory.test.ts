import { afterEach, describe, expect, it, vi } from 'vitest'
import { RampartConfigError } from '../config.js'
import type { SecurityEvent } from '../events.js'
import { manualClock, runStoreSuite } from '../testing/store-suite.js'
import { memoryStore, WARN_MEMORY_STORE_FULL, WARN_MEMORY_STORE_PINNED_EVICTED } from './memory.js'

const suiteClock = manualClock()
runStoreSuite('memory (manual clock)', () => memoryStore({ clock: suiteClock.now }), {
  clock: suiteClock,
})
runStoreSuite('memory (real clock)', () => memoryStore())

describe('memoryStore options', () => {
  it('has sensible defaults', () => {
    const store = memoryStore()
    expect(store).toMatchObject({ name: 'memory', kind: 'memory', shared: false, maxKeys: 100_000 })
    expect(store.size).toBe(0)
  })

  it('rejects an invalid maxKeys with the option path', () => {
    for (const maxKeys of [0, -1, 1.5, Number.NaN]) {
      const attempt = () => memoryStore({ maxKeys })
      expect(attempt).toThrow(RampartConfigError)
      expect(attempt).toThrow(/maxKeys/)
    }
  })

  it('suggests the right name for a misspelt option', () => {
    expect(() => memoryStore({ maxkeys: 5 } as never)).toThrow(/Did you mean 'maxKeys'/)
  })
})

describe('memoryStore bounds', () => {
  it('holds exactly maxKeys after a million distinct keys', async () => {
    const store = memoryStore({ onEvent: () => {} })
    for (let i = 0; i < 1_000_000; i++) await store.hit(`client-${i}`, { window: 3_600_000 })
    expect(store.size).toBe(100_000)
    // The most recent keys survived; the oldest were evicted.
    expect((await store.hit('client-999999', { window: 3_600_000, cost: 0 })).count).toBe(1)
    expect((await store.hit('client-0', { window: 3_600_000, cost: 0 })).count).toBe(0)
    // About 2 s alone; the generous timeout is for a machine busy with other test runs.
  }, 120_000)

  it('evicts a key not used since it was stored before one read since (CLOCK order)', async () => {
    const store = memoryStore({ maxKeys: 3, onEvent: () => {} })
    const window = { window: 60_000, limit: 10 }
    for (const key of ['a', 'b', 'c']) await store.hit(key, window)
    await store.hit('a', { ...window, cost: 0 })
    await store.hit('d', window)
    expect(store.size).toBe(3)
    const count = async (key: string) => (await store.hit(key, { ...window, cost: 0 })).count
    expect(await count('b')).toBe(0)
    expect(await count('a')).toBe(1)
    expect(await count('c')).toBe(1)
    expect(await count('d')).toBe(1)
  })

  it('never forgets a key over its limit, or a stored block, to make room', async () => {
    const events: SecurityEvent[] = []
    const store = memoryStore({ maxKeys: 4, onEvent: (e) => events.push(e) })
    const tight = { window: 60_000, limit: 2 }
    // An attacker over its limit, and a block: both older than anything else.
    for (let i = 0; i < 3; i++) await store.hit('attacker', tight)
    await store.set('block:attacker', '1', 60_000)
    // A flood of new keys, each seen once.
    for (let i = 0; i < 1_000; i++) await store.hit(`client-${i}`, tight)
    expect(store.size).toBe(4)
    expect(await store.hit('attacker', tight)).toMatchObject({ allowed: false, count: 2 })
    expect(await store.get('block:attacker')).toBe('1')
    expect(events.map((e) => (e as { code?: string }).code)).toEqual([WARN_MEMORY_STORE_FULL])
  })

  it('forgets a pinned key only when every candidate is pinned, and says so', async () => {
    const events: SecurityEvent[] = []
    const store = memoryStore({ maxKeys: 2, onEvent: (e) => events.push(e) })
    await store.set('nonce-1', '1', 60_000)
    await store.set('nonce-2', '1', 60_000)
    await store.set('nonce-3', '1', 60_000)
    expect(store.size).toBe(2)
    expect(await store.get('nonce-1')).toBeUndefined()
    expect(await store.get('nonce-3')).toBe('1')
    expect(events.map((e) => (e as { code?: string }).code)).toEqual([
      WARN_MEMORY_STORE_PINNED_EVICTED,
    ])
  })

  it('unpins a key that is back under its limit', async () => {
    const store = memoryStore({ maxKeys: 2, onEvent: () => {} })
    const tight = { window: 60_000, limit: 1 }
    await store.hit('a', tight)
    await store.hit('a', { ...tight, cost: -1 })
    await store.hit('b', tight)
    await store.hit('b', { ...tight, cost: -1 })
    await store.hit('c', tight)
    expect(store.size).toBe(2)
    expect((await store.hit('a', { ...tight, cost: 0 })).count).toBe(0)
  })

  it('does not evict when an existing key is rewritten', async () => {
    const store = memoryStore({ maxKeys: 2 })
    await store.set('a', '1', 60_000)
    await store.set('b', '2', 60_000)
    await store.set('a', '3', 60_000)
    expect(store.size).toBe(2)
  })

  it('warns once when live keys are evicted', async () => {
    const events: SecurityEvent[] = []
    const store = memoryStore({ maxKeys: 2, name: 'limits', onEvent: (e) => events.push(e) })
    for (const key of ['a', 'b', 'c', 'd', 'e']) await store.hit(key, { window: 60_000 })
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({
      type: 'rampart.warning',
      code: WARN_MEMORY_STORE_FULL,
      source: 'limits',
    })
  })

  it('does not warn when only expired keys make room', async () => {
    const clock = manualClock()
    const events: SecurityEvent[] = []
    const store = memoryStore({ maxKeys: 2, clock: clock.now, onEvent: (e) => events.push(e) })
    await store.set('a', 'v', 10)
    await store.set('b', 'v', 10)
    clock.advance(10)
    await store.set('c', 'v', 60_000)
    await store.set('d', 'v', 60_000)
    expect(events).toHaveLength(0)
    expect(store.size).toBe(2)
  })

  it('sweeps expired keys a few per insert, without timers', async () => {
    const clock = manualClock()
    const store = memoryStore({ clock: clock.now })
    for (let i = 0; i < 500; i++) await store.set(`k${i}`, 'v', 10)
    await store.set('live', 'v', 60_000)
    clock.advance(10)
    expect(store.size).toBe(501)
    // Reads of an existing key do not sweep: they stay one lookup.
    for (let i = 0; i < 100; i++) await store.get('live')
    expect(store.size).toBe(501)
    // Each insert inspects three keys at the sweep's cursor (wherever the earlier inserts left
    // it): within two passes over the table, 340 inserts, every expired key is gone.
    for (let i = 0; i < 340; i++) await store.hit(`new-${i}`, { window: 60_000 })
    expect(store.size).toBe(1 + 340)
  })

  it('never starts a timer', async () => {
    const timeout = vi.spyOn(globalThis, 'setTimeout')
    const interval = vi.spyOn(globalThis, 'setInterval')
    try {
      const store = memoryStore({ maxKeys: 100, onEvent: () => {} })
      for (let i = 0; i < 1_000; i++) {
        await store.set(`s${i}`, 'v', 1)
        await store.hit(`h${i}`, { window: 1, limit: 5 })
        await store.take(`t${i}`, { algorithm: 'gcra', burst: 1, emissionInterval: 1 })
        await store.increment(`i${i}`, 1, 1)
      }
      expect(timeout).not.toHaveBeenCalled()
      expect(interval).not.toHaveBeenCalled()
    } finally {
      timeout.mockRestore()
      interval.mockRestore()
    }
  })
})

describe('memoryStore expiry is exact', () => {
  const clock = manualClock(0)
  const store = memoryStore({ clock: clock.now })
  afterEach(() => store.close())

  /** Sets up at t, checks presence at t + 999 and absence at t + 1000. */
  const boundary = async (setup: () => Promise<unknown>, present: () => Promise<boolean>) => {
    await setup()
    clock.advance(999)
    expect(await present()).toBe(true)
    clock.advance(1)
    expect(await present()).toBe(false)
  }

  it('for set and setIfAbsent', async () => {
    await boundary(
      () => store.set('a', 'v', 1_000),
      async () => (await store.get('a')) !== undefined,
    )
    await boundary(
      () => store.setIfAbsent('b', 'v', 1_000),
      async () => !(await store.setIfAbsent('b', 'w', 1)),
    )
  })

  it('for increment counters', async () => {
    await boundary(
      () => store.increment('n', 1, 1_000),
      async () => (await store.get('n')) === '1',
    )
  })

  it('for fixed windows', async () => {
    await boundary(
      () => store.hit('w', { window: 1_000 }),
      async () => (await store.hit('w', { window: 1_000, cost: 0 })).count === 1,
    )
  })

  it('for token buckets, which expire when full again', async () => {
    const opts = { algorithm: 'token-bucket', capacity: 2, refillPerMs: 0.001 } as const
    await boundary(
      () => store.take('t', opts),
      async () => {
        await store.take('t', { ...opts, cost: 0 })
        return store.size === 1
      },
    )
  })

  it('rounds fractional ttls up to whole milliseconds', async () => {
    await store.set('f', 'v', 0.2)
    expect(await store.get('f')).toBe('v')
    clock.advance(1)
    expect(await store.get('f')).toBeUndefined()
  })
})

describe('memoryStore operations', () => {
  it('changes state before the returned promise settles', () => {
    const store = memoryStore()
    void store.set('a', 'v', 1_000)
    void store.hit('b', { window: 1_000 })
    expect(store.size).toBe(2)
  })

  it('refuses to mix kinds of state on one key', async () => {
    const store = memoryStore()
    await store.hit('k', { window: 60_000 })
    await expect(
      store.take('k', { algorithm: 'gcra', burst: 1, emissionInterval: 1 }),
    ).rejects.toThrow(TypeError)
    await expect(store.increment('k', 1, 1_000)).rejects.toThrow(TypeError)
    await expect(store.get('k')).rejects.toThrow(TypeError)
    // set replaces whatever the key held.
    await store.set('k', 'v', 1_000)
    expect(await store.get('k')).toBe('v')
  })

  it('rejects invalid numbers without storing anything', async () => {
    const store = memoryStore()
    const bad = [
      store.hit('a', { window: 0 }),
      store.hit('a', { window: Number.NaN }),
      store.hit('a', { window: 1_000, cost: Number.POSITIVE_INFINITY }),
      store.hit('a', { window: 1_000, limit: -1 }),
      store.slidingHit('a', { window: 1_000, limit: Number.NaN }),
      store.take('a', { algorithm: 'token-bucket', capacity: 0, refillPerMs: 1 }),
      store.take('a', { algorithm: 'token-bucket', capacity: 1, refillPerMs: 0 }),
      store.take('a', { algorithm: 'gcra', burst: 1, emissionInterval: -5 }),
      store.consume([{ key: 'a', algorithm: 'leaky' } as never]),
    ]
    for (const attempt of bad) await expect(attempt).rejects.toThrow(RangeError)
    expect(store.size).toBe(0)
  })

  it('validates every request of a batch before spending on any', async () => {
    const store = memoryStore()
    await expect(
      store.consume([
        { key: 'ok', algorithm: 'fixed-window', window: 1_000, limit: 5 },
        { key: 'bad', algorithm: 'fixed-window', window: -1, limit: 5 },
      ]),
    ).rejects.toThrow(RangeError)
    expect(store.size).toBe(0)
  })

  it('empties on close and stays usable', async () => {
    const store = memoryStore()
    await store.set('a', 'v', 1_000)
    await store.close()
    expect(store.size).toBe(0)
    expect(await store.setIfAbsent('a', 'w', 1_000)).toBe(true)
  })
})
