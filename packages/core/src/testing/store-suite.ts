/**
 * The store suite: one set of Vitest cases every {@link RampartStore} implementation runs, so
 * the memory store, the fallback wrapper and the Redis store agree on semantics — counting,
 * rejection without spending, expiry, batches, and atomicity under concurrency.
 * @module
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ConsumeRequest, RampartStore, RateResult } from '../stores/types.js'

/** A clock the suite can move, shared with the store under test. */
export interface ManualClock {
  /** Current time in ms since the epoch. */
  now(): number
  /** Moves time forward by `ms`. */
  advance(ms: number): void
}

/**
 * A controllable clock starting at `start` (default: an arbitrary fixed instant). Pass `now`
 * as the store's clock and the clock itself to {@link runStoreSuite}.
 */
export function manualClock(start = 1_700_000_000_000): ManualClock {
  let time = start
  return {
    now: () => time,
    advance: (ms) => {
      time += ms
    },
  }
}

/** Options of {@link runStoreSuite}. */
export interface StoreSuiteOptions {
  /**
   * The clock the store reads for everything, expiry included (the memory store's `clock`
   * option). Time-dependent cases then advance it instead of sleeping, and exact-arithmetic
   * cases run too. Omit for stores on a real clock (Redis): those cases sleep 100–400 ms.
   */
  readonly clock?: ManualClock
  /**
   * Largest difference expected between this process's clock and the store's (ms), used when
   * checking reported times on a real clock. Default 1000; 0 with a manual clock.
   */
  readonly clockSkew?: number
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Registers the store suite. `makeStore` is called before every case and the store closed
 * after it; each case uses fresh random keys, so a persistent backend needs no flushing.
 * @example runStoreSuite('memory', () => memoryStore())
 */
export function runStoreSuite(
  name: string,
  makeStore: () => RampartStore | Promise<RampartStore>,
  options: StoreSuiteOptions = {},
): void {
  const clock = options.clock
  const skew = options.clockSkew ?? (clock ? 0 : 1_000)
  const now = () => (clock ? clock.now() : Date.now())
  const wait = async (ms: number) => (clock ? clock.advance(ms) : sleep(ms))

  describe(`store suite: ${name}`, () => {
    let store: RampartStore
    let prefix = ''
    /** A key unique to this case. */
    const k = (label: string) => prefix + label

    beforeEach(async () => {
      store = await makeStore()
      prefix = `rampart-suite:${crypto.randomUUID()}:`
    })
    afterEach(async () => {
      await store.close?.()
    })

    /**
     * Runs a real-clock case whose first steps must land within a short ttl or window (100-300
     * ms). A loaded machine can stall longer than that, and the case then proves nothing, so it
     * runs again with fresh keys, up to three times: a store that is wrong fails every attempt.
     * With a manual clock nothing can be late, and the case runs once.
     */
    const onTime = async (scenario: (key: (label: string) => string) => Promise<void>) => {
      const attempts = clock ? 1 : 3
      for (let attempt = 1; ; attempt++) {
        try {
          await scenario((label) => k(`${label}#${attempt}`))
          return
        } catch (error) {
          if (attempt >= attempts) throw error
        }
      }
    }

    /** Current fixed-window count without spending. */
    const fixedCount = async (key: string, window = 60_000) =>
      (await store.hit(key, { window, cost: 0 })).count

    it('describes itself', () => {
      expect(typeof store.name).toBe('string')
      expect(store.name.length).toBeGreaterThan(0)
      expect(typeof store.kind).toBe('string')
      expect(typeof store.shared).toBe('boolean')
    })

    describe('hit (fixed window)', () => {
      it('counts hits and reports when the window resets', async () => {
        const before = now()
        const first = await store.hit(k('a'), { window: 60_000 })
        const after = now()
        expect(first).toEqual({
          allowed: true,
          count: 1,
          remaining: Number.POSITIVE_INFINITY,
          resetAt: first.resetAt,
          retryAfter: 0,
        })
        expect(first.resetAt).toBeGreaterThanOrEqual(before + 60_000 - skew)
        expect(first.resetAt).toBeLessThanOrEqual(after + 60_000 + skew)
        const second = await store.hit(k('a'), { window: 60_000, cost: 3 })
        expect(second.count).toBe(4)
        expect(second.resetAt).toBe(first.resetAt)
      })

      it('rejects a hit over the limit and spends nothing', async () => {
        for (let i = 1; i <= 3; i++) {
          const r = await store.hit(k('a'), { window: 60_000, limit: 3 })
          expect(r).toMatchObject({ allowed: true, count: i, remaining: 3 - i, retryAfter: 0 })
        }
        const rejected = await store.hit(k('a'), { window: 60_000, limit: 3 })
        expect(rejected).toMatchObject({ allowed: false, count: 3, remaining: 0 })
        expect(rejected.retryAfter).toBeGreaterThan(0)
        expect(rejected.retryAfter).toBeLessThanOrEqual(60_000 + skew)
        await store.hit(k('a'), { window: 60_000, limit: 3 })
        expect(await fixedCount(k('a'))).toBe(3)
      })

      it('admits a cost that fits exactly and rejects one that does not', async () => {
        const opts = { window: 60_000, limit: 5 }
        expect((await store.hit(k('a'), { ...opts, cost: 3 })).allowed).toBe(true)
        expect(await store.hit(k('a'), { ...opts, cost: 3 })).toMatchObject({
          allowed: false,
          count: 3,
        })
        expect(await store.hit(k('a'), { ...opts, cost: 2 })).toMatchObject({
          allowed: true,
          count: 5,
          remaining: 0,
        })
      })

      it('never admits a cost above the limit', async () => {
        const r = await store.hit(k('a'), { window: 60_000, limit: 2, cost: 3 })
        expect(r).toMatchObject({ allowed: false, count: 0, retryAfter: Number.POSITIVE_INFINITY })
      })

      it('starts a new window once the old one ends', () =>
        onTime(async (key) => {
          const opts = { window: 150, limit: 1 }
          expect((await store.hit(key('a'), opts)).allowed).toBe(true)
          expect((await store.hit(key('a'), opts)).allowed).toBe(false)
          await wait(250)
          expect(await store.hit(key('a'), opts)).toMatchObject({ allowed: true, count: 1 })
        }))

      it('refunds with a negative cost, never below zero and never creating a key', async () => {
        await store.hit(k('a'), { window: 60_000, cost: 2 })
        expect((await store.hit(k('a'), { window: 60_000, cost: -1 })).count).toBe(1)
        expect((await store.hit(k('a'), { window: 60_000, cost: -5 })).count).toBe(0)
        expect(await store.hit(k('b'), { window: 60_000, cost: -1 })).toMatchObject({
          allowed: true,
          count: 0,
        })
        expect(await store.delete(k('b'))).toBe(false)
      })

      it('keeps keys independent', async () => {
        await store.hit(k('a'), { window: 60_000, cost: 5 })
        expect((await store.hit(k('b'), { window: 60_000 })).count).toBe(1)
      })
    })

    describe('slidingHit', () => {
      it('admits up to the limit, then rejects without spending', async () => {
        const opts = { window: 60_000, limit: 5 }
        for (let i = 0; i < 5; i++)
          expect((await store.slidingHit(k('a'), opts)).allowed).toBe(true)
        const rejected = await store.slidingHit(k('a'), opts)
        expect(rejected.allowed).toBe(false)
        expect(rejected.count).toBeGreaterThan(4.9)
        expect(rejected.retryAfter).toBeGreaterThan(0)
        expect(rejected.retryAfter).toBeLessThanOrEqual(120_000 + skew)
        const peek = await store.slidingHit(k('a'), { ...opts, cost: 0 })
        expect(peek.count).toBeCloseTo(rejected.count, 3)
      })

      it('forgets everything two windows later', () =>
        onTime(async (key) => {
          const opts = { window: 100, limit: 2 }
          await store.slidingHit(key('a'), opts)
          await store.slidingHit(key('a'), opts)
          expect((await store.slidingHit(key('a'), opts)).allowed).toBe(false)
          await wait(250)
          expect(await store.slidingHit(key('a'), opts)).toMatchObject({ allowed: true, count: 1 })
        }))

      it('never admits a cost above the limit', async () => {
        const r = await store.slidingHit(k('a'), { window: 60_000, limit: 2, cost: 3 })
        expect(r).toMatchObject({ allowed: false, retryAfter: Number.POSITIVE_INFINITY })
      })

      it('refunds with a negative cost', async () => {
        const opts = { window: 60_000, limit: 2 }
        await store.slidingHit(k('a'), opts)
        await store.slidingHit(k('a'), opts)
        await store.slidingHit(k('a'), { ...opts, cost: -1 })
        expect((await store.slidingHit(k('a'), opts)).allowed).toBe(true)
      })
    })

    describe.each([
      { algorithm: 'token-bucket' as const, slow: { capacity: 3, refillPerMs: 1 / 60_000 } },
      { algorithm: 'gcra' as const, slow: { burst: 3, emissionInterval: 60_000 } },
    ])('take ($algorithm)', ({ algorithm, slow }) => {
      const opts = { algorithm, ...slow } as Parameters<RampartStore['take']>[1]
      const fast =
        algorithm === 'gcra'
          ? ({ algorithm, burst: 1, emissionInterval: 50 } as const)
          : ({ algorithm, capacity: 1, refillPerMs: 1 / 50 } as const)

      it('starts full, empties, then rejects without spending', async () => {
        for (let left = 2; left >= 0; left--) {
          const r = await store.take(k('a'), opts)
          expect(r.allowed).toBe(true)
          expect(r.remaining).toBeCloseTo(left, 1)
          expect(r.count).toBeCloseTo(3 - left, 1)
        }
        const rejected = await store.take(k('a'), opts)
        expect(rejected.allowed).toBe(false)
        expect(rejected.remaining).toBeCloseTo(0, 1)
        expect(rejected.retryAfter).toBeGreaterThan(0)
        expect(rejected.retryAfter).toBeLessThanOrEqual(60_000)
        expect((await store.take(k('a'), { ...opts, cost: 0 })).remaining).toBeCloseTo(0, 1)
      })

      it('refills over time', () =>
        onTime(async (key) => {
          expect((await store.take(key('a'), fast)).allowed).toBe(true)
          expect((await store.take(key('a'), fast)).allowed).toBe(false)
          await wait(120)
          expect((await store.take(key('a'), fast)).allowed).toBe(true)
        }))

      it('drops its state once full again', async () => {
        await store.take(k('a'), fast)
        await wait(150)
        expect(await store.delete(k('a'))).toBe(false)
      })

      it('takes fractional costs', async () => {
        const one = { ...opts, cost: 1.4 }
        expect((await store.take(k('a'), one)).allowed).toBe(true)
        expect((await store.take(k('a'), one)).allowed).toBe(true)
        const rejected = await store.take(k('a'), one)
        expect(rejected.allowed).toBe(false)
        expect(rejected.remaining).toBeCloseTo(0.2, 1)
      })

      it('never admits a cost above the capacity', async () => {
        const r = await store.take(k('a'), { ...opts, cost: 4 })
        expect(r).toMatchObject({ allowed: false, retryAfter: Number.POSITIVE_INFINITY })
      })

      it('refunds with a negative cost, never above full', async () => {
        await store.take(k('a'), { ...opts, cost: 2 })
        expect((await store.take(k('a'), { ...opts, cost: -1 })).remaining).toBeCloseTo(2, 1)
        expect((await store.take(k('a'), { ...opts, cost: -5 })).remaining).toBeCloseTo(3, 1)
      })
    })

    describe('setIfAbsent, set, get, delete', () => {
      it('sets only when absent', async () => {
        expect(await store.setIfAbsent(k('a'), 'first', 60_000)).toBe(true)
        expect(await store.setIfAbsent(k('a'), 'second', 60_000)).toBe(false)
        expect(await store.get(k('a'))).toBe('first')
      })

      it('expires values after their ttl', () =>
        onTime(async (key) => {
          await store.setIfAbsent(key('a'), 'v', 100)
          await store.set(key('b'), 'v', 100)
          expect(await store.get(key('a'))).toBe('v')
          await wait(200)
          expect(await store.get(key('a'))).toBeUndefined()
          expect(await store.get(key('b'))).toBeUndefined()
          expect(await store.setIfAbsent(key('a'), 'again', 60_000)).toBe(true)
        }))

      it('overwrites with set, and returns undefined for missing keys', async () => {
        expect(await store.get(k('missing'))).toBeUndefined()
        await store.set(k('a'), 'one', 60_000)
        await store.set(k('a'), 'two', 60_000)
        expect(await store.get(k('a'))).toBe('two')
        expect(await store.get(k('a'))).toBe('two')
      })

      it('keeps strings exactly', async () => {
        const value = ' ünïcode ✓ "quoted" \n 0 '
        await store.set(k('a'), value, 60_000)
        expect(await store.get(k('a'))).toBe(value)
        await store.set(k('b'), '', 60_000)
        expect(await store.get(k('b'))).toBe('')
      })

      it('deletes keys of any kind', async () => {
        await store.set(k('a'), 'v', 60_000)
        await store.hit(k('b'), { window: 60_000 })
        await store.take(k('c'), { algorithm: 'token-bucket', capacity: 2, refillPerMs: 0.001 })
        await store.increment(k('d'), 1, 60_000)
        for (const key of ['a', 'b', 'c', 'd']) {
          expect(await store.delete(k(key))).toBe(true)
          expect(await store.delete(k(key))).toBe(false)
        }
        expect(await store.get(k('a'))).toBeUndefined()
        expect((await store.hit(k('b'), { window: 60_000 })).count).toBe(1)
      })

      it('rejects a ttl that is not positive', async () => {
        await expect(store.set(k('a'), 'v', 0)).rejects.toThrow()
        await expect(store.setIfAbsent(k('a'), 'v', -1)).rejects.toThrow()
        await expect(store.increment(k('a'), 1, Number.NaN)).rejects.toThrow()
      })
    })

    describe('increment', () => {
      it('counts from zero and reads back as a decimal string', async () => {
        expect(await store.increment(k('a'), 1, 60_000)).toBe(1)
        expect(await store.increment(k('a'), 4, 60_000)).toBe(5)
        expect(await store.increment(k('a'), -2, 60_000)).toBe(3)
        expect(await store.get(k('a'))).toBe('3')
      })

      it('keeps the expiry of the first increment', () =>
        onTime(async (key) => {
          await store.increment(key('a'), 1, 300)
          await wait(200)
          expect(await store.increment(key('a'), 1, 300)).toBe(2)
          await wait(200)
          expect(await store.get(key('a'))).toBeUndefined()
          expect(await store.increment(key('a'), 1, 300)).toBe(1)
        }))

      it('rejects a non-integer step', async () => {
        await expect(store.increment(k('a'), 1.5, 60_000)).rejects.toThrow()
      })
    })

    describe('consume', () => {
      const policies = (): ConsumeRequest[] => [
        { key: k('fixed'), algorithm: 'fixed-window', window: 60_000, limit: 5 },
        { key: k('sliding'), algorithm: 'sliding-window', window: 60_000, limit: 5 },
        { key: k('bucket'), algorithm: 'token-bucket', capacity: 5, refillPerMs: 1 / 60_000 },
        { key: k('gcra'), algorithm: 'gcra', burst: 5, emissionInterval: 60_000 },
      ]

      it('admits an empty batch', async () => {
        expect(await store.consume([])).toEqual({ allowed: true, retryAfter: 0, results: [] })
      })

      it('spends on every policy when all admit', async () => {
        const first = await store.consume(policies())
        expect(first.allowed).toBe(true)
        expect(first.retryAfter).toBe(0)
        expect(first.results).toHaveLength(4)
        for (const r of first.results) {
          expect(r.allowed).toBe(true)
          expect(r.count).toBeCloseTo(1, 1)
          expect(r.remaining).toBeCloseTo(4, 1)
        }
        const second = await store.consume(policies())
        for (const r of second.results) expect(r.count).toBeCloseTo(2, 1)
      })

      it('spends nothing on any policy when one rejects', async () => {
        await store.hit(k('tight'), { window: 60_000, limit: 1 })
        const batch = [
          ...policies(),
          { key: k('tight'), algorithm: 'fixed-window', window: 60_000, limit: 1 },
        ] as ConsumeRequest[]
        const r = await store.consume(batch)
        expect(r.allowed).toBe(false)
        const tight = r.results[4] as RateResult
        expect(tight.allowed).toBe(false)
        expect(r.retryAfter).toBe(tight.retryAfter)
        expect(r.retryAfter).toBeGreaterThan(0)
        for (const other of r.results.slice(0, 4)) {
          expect(other.allowed).toBe(true)
          expect(other.count).toBeCloseTo(0, 1)
          expect(other.remaining).toBeCloseTo(5, 1)
        }
        // Nothing was spent: a second, admissible batch sees untouched state.
        const after = await store.consume(policies())
        for (const other of after.results) expect(other.count).toBeCloseTo(1, 1)
      })

      it('reports the longest wait among the rejecting policies', async () => {
        await store.hit(k('short'), { window: 1_000, limit: 1 })
        await store.hit(k('long'), { window: 60_000, limit: 1 })
        const r = await store.consume([
          { key: k('short'), algorithm: 'fixed-window', window: 1_000, limit: 1 },
          { key: k('long'), algorithm: 'fixed-window', window: 60_000, limit: 1 },
        ])
        expect(r.allowed).toBe(false)
        expect(r.retryAfter).toBe((r.results[1] as RateResult).retryAfter)
        expect(r.retryAfter).toBeGreaterThan(1_000)
      })

      it('rejects a batch that repeats a key', async () => {
        const request: ConsumeRequest = {
          key: k('a'),
          algorithm: 'fixed-window',
          window: 60_000,
          limit: 5,
        }
        await expect(store.consume([request, request])).rejects.toThrow()
        expect(await fixedCount(k('a'))).toBe(0)
      })
    })

    describe('consume with a block gate', () => {
      const gated = (): ConsumeRequest[] => [
        { key: k('block'), algorithm: 'block' },
        { key: k('fixed'), algorithm: 'fixed-window', window: 60_000, limit: 5 },
      ]

      it('passes while no block is stored, and spends the policies', async () => {
        const r = await store.consume(gated())
        expect(r.allowed).toBe(true)
        expect(r.results[0]).toMatchObject({
          allowed: true,
          count: 0,
          remaining: Number.POSITIVE_INFINITY,
          retryAfter: 0,
        })
        expect(await fixedCount(k('fixed'))).toBe(1)
      })

      it('rejects while a block is stored, with its time left, and spends nothing', async () => {
        const before = now()
        await store.set(k('block'), 'blocked', 60_000)
        const r = await store.consume(gated())
        expect(r.allowed).toBe(false)
        const gate = r.results[0] as RateResult
        expect(gate).toMatchObject({ allowed: false, count: 0, remaining: 0 })
        expect(r.retryAfter).toBe(gate.retryAfter)
        expect(gate.retryAfter).toBeGreaterThan(60_000 - 1_000 - skew)
        expect(gate.retryAfter).toBeLessThanOrEqual(60_000 + skew)
        expect(gate.resetAt).toBeGreaterThanOrEqual(before + 60_000 - skew)
        expect(await fixedCount(k('fixed'))).toBe(0)
        // A gate alone behaves the same.
        expect((await store.consume([{ key: k('block'), algorithm: 'block' }])).allowed).toBe(false)
      })

      it('opens again when the block expires', () =>
        onTime(async (key) => {
          const batch = (): ConsumeRequest[] => [
            { key: key('block'), algorithm: 'block' },
            { key: key('fixed'), algorithm: 'fixed-window', window: 60_000, limit: 5 },
          ]
          await store.set(key('block'), 'blocked', 100)
          expect((await store.consume(batch())).allowed).toBe(false)
          await wait(150)
          expect((await store.consume(batch())).allowed).toBe(true)
          expect(await fixedCount(key('fixed'))).toBe(1)
        }))

      it('never writes the gate key', async () => {
        await store.consume(gated())
        expect(await store.get(k('block'))).toBeUndefined()
        expect(await store.delete(k('block'))).toBe(false)
      })
    })

    describe('concurrency', () => {
      it('admits exactly the limit of 200 concurrent fixed-window hits', async () => {
        const results = await Promise.all(
          Array.from({ length: 200 }, () => store.hit(k('a'), { window: 60_000, limit: 50 })),
        )
        expect(results.filter((r) => r.allowed)).toHaveLength(50)
        expect(await fixedCount(k('a'))).toBe(50)
      })

      it('admits exactly the limit of 200 concurrent sliding-window hits', async () => {
        const results = await Promise.all(
          Array.from({ length: 200 }, () =>
            store.slidingHit(k('a'), { window: 60_000, limit: 50 }),
          ),
        )
        expect(results.filter((r) => r.allowed)).toHaveLength(50)
      })

      it('admits exactly the capacity of 100 concurrent takes', async () => {
        const [bucket, cell] = await Promise.all([
          Promise.all(
            Array.from({ length: 100 }, () =>
              store.take(k('b'), { algorithm: 'token-bucket', capacity: 20, refillPerMs: 1e-6 }),
            ),
          ),
          Promise.all(
            Array.from({ length: 100 }, () =>
              store.take(k('g'), { algorithm: 'gcra', burst: 20, emissionInterval: 1e6 }),
            ),
          ),
        ])
        expect(bucket.filter((r) => r.allowed)).toHaveLength(20)
        expect(cell.filter((r) => r.allowed)).toHaveLength(20)
      })

      it('lets exactly one of 50 concurrent setIfAbsent win', async () => {
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => store.setIfAbsent(k('lock'), `owner-${i}`, 60_000)),
        )
        expect(results.filter(Boolean)).toHaveLength(1)
        expect(await store.get(k('lock'))).toBe(`owner-${results.indexOf(true)}`)
      })

      it('loses no concurrent increment', async () => {
        const results = await Promise.all(
          Array.from({ length: 100 }, () => store.increment(k('n'), 1, 60_000)),
        )
        expect([...results].sort((x, y) => x - y)).toEqual(
          Array.from({ length: 100 }, (_, i) => i + 1),
        )
      })

      it('spends on no policy of a rejected concurrent batch', async () => {
        const batch: ConsumeRequest[] = [
          { key: k('wide'), algorithm: 'fixed-window', window: 60_000, limit: 30 },
          { key: k('narrow'), algorithm: 'fixed-window', window: 60_000, limit: 10 },
        ]
        const results = await Promise.all(Array.from({ length: 100 }, () => store.consume(batch)))
        expect(results.filter((r) => r.allowed)).toHaveLength(10)
        expect(await fixedCount(k('wide'))).toBe(10)
        expect(await fixedCount(k('narrow'))).toBe(10)
      })
    })

    describe.runIf(clock !== undefined)('exact arithmetic (manual clock)', () => {
      const advance = (ms: number) => clock?.advance(ms)
      /** Moves the clock to the start of the next window of `window` ms. */
      const alignTo = (window: number) => advance(window - (now() % window))

      it('resets a fixed window exactly at resetAt', async () => {
        const start = now()
        const first = await store.hit(k('a'), { window: 1_000, limit: 1 })
        expect(first.resetAt).toBe(start + 1_000)
        advance(999)
        expect(await store.hit(k('a'), { window: 1_000, limit: 1 })).toMatchObject({
          allowed: false,
          retryAfter: 1,
        })
        advance(1)
        expect(await store.hit(k('a'), { window: 1_000, limit: 1 })).toMatchObject({
          allowed: true,
          count: 1,
          resetAt: start + 2_000,
        })
      })

      it('weighs the previous sliding window by its remaining share', async () => {
        const opts = { window: 1_000, limit: 10 }
        alignTo(1_000)
        const start = now()
        for (let i = 0; i < 10; i++) await store.slidingHit(k('a'), opts)
        advance(1_000)
        // Previous window 10 at weight 1: full. 10 × (1 − e/1000) + 1 ≤ 10 from e = 100.
        expect(await store.slidingHit(k('a'), opts)).toMatchObject({
          allowed: false,
          count: 10,
          retryAfter: 100,
          resetAt: start + 2_000,
        })
        advance(100)
        expect(await store.slidingHit(k('a'), opts)).toMatchObject({ allowed: true, count: 10 })
        advance(400)
        const mid = await store.slidingHit(k('a'), opts)
        expect(mid.count).toBeCloseTo(7, 9) // 10 × 0.5 + 2
        expect(mid.resetAt).toBe(start + 3_000)
      })

      it('waits for the next sliding window when this one is full', async () => {
        const opts = { window: 1_000, limit: 4 }
        alignTo(1_000)
        const start = now()
        advance(500)
        for (let i = 0; i < 4; i++) await store.slidingHit(k('a'), opts)
        // Next window: 4 × (1 − f) + 1 ≤ 4 from f = 0.25, i.e. 250 ms into it.
        const rejected = await store.slidingHit(k('a'), opts)
        expect(rejected.retryAfter).toBe(start + 1_250 - now())
        advance(rejected.retryAfter - 1)
        expect((await store.slidingHit(k('a'), opts)).allowed).toBe(false)
        advance(1)
        expect((await store.slidingHit(k('a'), opts)).allowed).toBe(true)
      })

      it('refills a token bucket continuously', async () => {
        const opts = { algorithm: 'token-bucket', capacity: 10, refillPerMs: 0.01 } as const
        const start = now()
        expect(await store.take(k('a'), { ...opts, cost: 10 })).toMatchObject({
          allowed: true,
          remaining: 0,
          count: 10,
          resetAt: start + 1_000,
        })
        expect(await store.take(k('a'), opts)).toMatchObject({ allowed: false, retryAfter: 100 })
        advance(99)
        expect(await store.take(k('a'), opts)).toMatchObject({ allowed: false, retryAfter: 1 })
        advance(1)
        expect((await store.take(k('a'), opts)).allowed).toBe(true)
        advance(5_000)
        expect(await store.take(k('a'), opts)).toMatchObject({ allowed: true, remaining: 9 })
      })

      it('spaces GCRA requests by the emission interval', async () => {
        const opts = { algorithm: 'gcra', burst: 3, emissionInterval: 100 } as const
        const start = now()
        for (let left = 2; left >= 0; left--) {
          expect(await store.take(k('a'), opts)).toMatchObject({ allowed: true, remaining: left })
        }
        expect(await store.take(k('a'), opts)).toMatchObject({
          allowed: false,
          retryAfter: 100,
          resetAt: start + 300,
        })
        advance(99)
        expect(await store.take(k('a'), opts)).toMatchObject({ allowed: false, retryAfter: 1 })
        advance(1)
        expect(await store.take(k('a'), opts)).toMatchObject({ allowed: true, remaining: 0 })
      })
    })
  })
}
