/**
 * The Lua scripts against the reference arithmetic: random sequences of rate operations run on
 * a Redis store and on a memory store that see the same instants, and every result must be equal
 * to the last bit (`toEqual` compares numbers with `Object.is`). Redis runs the real scripts with
 * two test-only substitutions: the clock reads the instant from the last ARGV instead of `TIME`,
 * and the physical TTL is a fixed ten minutes, so keys outlive their logical expiry and every
 * "present but expired" path runs too.
 */

import type { ConsumeRequest, RampartStore } from '@rampart/core'
import { memoryStore } from '@rampart/core'
import { manualClock } from '@rampart/core/testing'
import type { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { redisStore } from '../src/index.js'
import { PHYSICAL_TTL, SCRIPTS, SERVER_CLOCK } from '../src/scripts.js'
import { deleteKeys, ioredis, prng, uniquePrefix } from './helpers.js'

const prefix = uniquePrefix('differential')
let io: Redis

beforeAll(async () => {
  io = await ioredis()
})
afterAll(async () => {
  await deleteKeys(io, prefix)
  await io.quit()
})

/** Each script's source with the clock taken from the last ARGV and a fixed physical TTL. */
function patchedScripts(): Map<string, string> {
  const bySha = new Map<string, string>()
  for (const script of Object.values(SCRIPTS)) {
    let source = script.source
    if (source.includes(SERVER_CLOCK)) {
      source = source
        .replace(SERVER_CLOCK, 'local function clock()\n  return tonumber(ARGV[#ARGV])\nend')
        .replace(PHYSICAL_TTL, "local function ttl(ms)\n  return '600000'\nend")
      expect(source).not.toContain("'TIME'")
    }
    bySha.set(script.sha, source)
  }
  return bySha
}

/** A Redis store whose scripts see `now()` as the time, and a memory store on the same clock. */
function twins(label: string, start: number) {
  const clock = manualClock(start)
  const scripts = patchedScripts()
  const redis = redisStore({
    prefix: `${prefix}${label}:`,
    send: (args) => {
      const source = scripts.get(args[1] as string)
      if (source === undefined) throw new Error('unexpected command')
      return io.call('EVAL', source, ...args.slice(2), String(clock.now()))
    },
  })
  return { clock, redis, memory: memoryStore({ clock: clock.now, maxKeys: 1_000_000 }) }
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown }

async function settle(promise: Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await promise }
  } catch (error) {
    return { ok: false, error }
  }
}

type Op = (store: RampartStore) => Promise<unknown>

/** A random operation on a few keys, each with a usual kind and sometimes another. */
function randomOp(random: () => number): { op: Op; label: string } {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  const keys = ['f', 's', 't', 'g', 'x'] as const
  const cost = () =>
    pick([1, 1, 1, 2, 0, -1, -3, 0.5, 1.4, Math.round(random() * 30) / 10, 5]) as number
  const window = () => pick([1, 7.5, 100, 1_000, 60_000, 86_400_000])
  const policy = (key: string): ConsumeRequest => {
    // Usually the key's own kind; one time in ten another, to hit the kind checks.
    const kind = random() < 0.1 || key === 'x' ? pick(['f', 's', 't', 'g']) : key
    switch (kind) {
      case 'f':
        return {
          key,
          algorithm: 'fixed-window',
          window: window(),
          limit: pick([0, 1, 3, 10, Number.POSITIVE_INFINITY]),
          cost: cost(),
        }
      case 's':
        return {
          key,
          algorithm: 'sliding-window',
          window: window(),
          limit: pick([0, 1, 3, 10, 2.5]),
          cost: cost(),
        }
      case 't':
        return {
          key,
          algorithm: 'token-bucket',
          capacity: pick([1, 3, 10, 2.5]),
          refillPerMs: pick([1, 0.01, 1 / 60_000, 1e-9, 3 / 7]),
          cost: cost(),
        }
      default:
        return {
          key,
          algorithm: 'gcra',
          burst: pick([1, 3, 10, 2.5]),
          emissionInterval: pick([1, 100, 60_000, 0.3, 86_400_000]),
          cost: cost(),
        }
    }
  }
  const roll = random()
  if (roll < 0.55) {
    const request = policy(pick(keys))
    const { key } = request
    switch (request.algorithm) {
      case 'fixed-window':
        return { op: (s) => s.hit(key, request), label: `hit ${JSON.stringify(request)}` }
      case 'sliding-window':
        return {
          op: (s) => s.slidingHit(key, request),
          label: `sliding ${JSON.stringify(request)}`,
        }
      case 'token-bucket':
      case 'gcra':
        return { op: (s) => s.take(key, request), label: `take ${JSON.stringify(request)}` }
      default:
        throw new Error('unreachable')
    }
  }
  if (roll < 0.95) {
    const chosen = [...keys].sort(() => random() - 0.5).slice(0, 1 + Math.floor(random() * 4))
    const batch: ConsumeRequest[] = chosen.map(policy)
    if (random() < 0.3)
      batch.splice(Math.floor(random() * batch.length), 0, { key: 'gate', algorithm: 'block' })
    if (random() < 0.05) batch.push({ key: pick(keys), algorithm: 'block' })
    return { op: (s) => s.consume(batch), label: `consume ${JSON.stringify(batch)}` }
  }
  const key = pick(keys)
  return { op: (s) => s.delete(key), label: `delete ${key}` }
}

describe('Lua scripts vs the memory store (same instants, exact results)', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`agrees on 500 random operations (seed ${seed})`, async () => {
      const random = prng(seed)
      // A start with a µs fraction, as Redis TIME gives.
      const { clock, redis, memory } = twins(`seed${seed}`, 1_790_000_000_000 + random() * 1e6)
      for (let i = 0; i < 500; i++) {
        const step = random()
        if (step < 0.2) clock.advance(0)
        else if (step < 0.6) clock.advance(Math.round(random() * 5_000) / 1_000)
        else if (step < 0.9) clock.advance(Math.round(random() * 1_500_000) / 1_000)
        else clock.advance(Math.round(random() * 3 * 86_400_000_000) / 1_000)
        const { op, label } = randomOp(random)
        const [fromRedis, fromMemory] = await Promise.all([settle(op(redis)), settle(op(memory))])
        const context = `op ${i} at ${clock.now()}: ${label}`
        if (fromMemory.ok) {
          expect(fromRedis, context).toEqual(fromMemory)
        } else {
          expect(fromRedis.ok, context).toBe(false)
          const [a, b] = [(fromRedis as { error: Error }).error, fromMemory.error as Error]
          expect(a.constructor, `${context}: ${a.message}`).toBe(b.constructor)
        }
      }
    })
  }
})

describe('exact arithmetic on the server (targeted, same instants as the memory store)', () => {
  /** Runs `op` on both twins and returns Redis' result after checking the two agree. */
  function both(label: string, start = 1_790_000_000_000) {
    const t = twins(label, start)
    const run = async <T>(op: (store: RampartStore) => Promise<T>): Promise<T> => {
      const [fromRedis, fromMemory] = await Promise.all([settle(op(t.redis)), settle(op(t.memory))])
      if (fromRedis.ok) {
        expect(fromRedis).toEqual(fromMemory)
        return fromRedis.value as T
      }
      expect(fromMemory.ok).toBe(false)
      const error = fromRedis.error as Error
      expect(error.constructor).toBe((fromMemory as { error: Error }).error.constructor)
      throw error
    }
    return { ...t, run }
  }

  it('resets a fixed window exactly at resetAt', async () => {
    const { clock, run } = both('fixed-exact')
    const start = clock.now()
    const opts = { window: 1_000, limit: 1 }
    expect((await run((s) => s.hit('a', opts))).resetAt).toBe(start + 1_000)
    clock.advance(999)
    expect(await run((s) => s.hit('a', opts))).toMatchObject({ allowed: false, retryAfter: 1 })
    clock.advance(1)
    expect(await run((s) => s.hit('a', opts))).toMatchObject({
      allowed: true,
      count: 1,
      resetAt: start + 2_000,
    })
  })

  it('weighs the previous sliding window by its remaining share', async () => {
    const { clock, run } = both('sliding-exact', 1_790_000_000_000)
    const opts = { window: 1_000, limit: 10 }
    const start = clock.now()
    for (let i = 0; i < 10; i++) await run((s) => s.slidingHit('a', opts))
    clock.advance(1_000)
    expect(await run((s) => s.slidingHit('a', opts))).toMatchObject({
      allowed: false,
      count: 10,
      retryAfter: 100,
      resetAt: start + 2_000,
    })
    clock.advance(100)
    expect(await run((s) => s.slidingHit('a', opts))).toMatchObject({ allowed: true, count: 10 })
    clock.advance(400)
    const mid = await run((s) => s.slidingHit('a', opts))
    expect(mid.count).toBeCloseTo(7, 9)
    expect(mid.resetAt).toBe(start + 3_000)
  })

  it('waits for the next sliding window when this one is full', async () => {
    const { clock, run } = both('sliding-next', 1_790_000_000_500)
    const opts = { window: 1_000, limit: 4 }
    for (let i = 0; i < 4; i++) await run((s) => s.slidingHit('a', opts))
    const rejected = await run((s) => s.slidingHit('a', opts))
    expect(rejected.retryAfter).toBe(750)
    clock.advance(749)
    expect((await run((s) => s.slidingHit('a', opts))).allowed).toBe(false)
    clock.advance(1)
    expect((await run((s) => s.slidingHit('a', opts))).allowed).toBe(true)
  })

  it('refills a token bucket continuously', async () => {
    const { clock, run } = both('bucket-exact')
    const opts = { algorithm: 'token-bucket', capacity: 10, refillPerMs: 0.01 } as const
    expect(await run((s) => s.take('a', { ...opts, cost: 10 }))).toMatchObject({
      allowed: true,
      remaining: 0,
      resetAt: clock.now() + 1_000,
    })
    expect(await run((s) => s.take('a', opts))).toMatchObject({ allowed: false, retryAfter: 100 })
    clock.advance(99)
    expect(await run((s) => s.take('a', opts))).toMatchObject({ allowed: false, retryAfter: 1 })
    clock.advance(1)
    expect((await run((s) => s.take('a', opts))).allowed).toBe(true)
  })

  it('spaces GCRA requests by the emission interval', async () => {
    const { clock, run } = both('gcra-exact')
    const opts = { algorithm: 'gcra', burst: 3, emissionInterval: 100 } as const
    const start = clock.now()
    for (let left = 2; left >= 0; left--) {
      expect(await run((s) => s.take('a', opts))).toMatchObject({ allowed: true, remaining: left })
    }
    expect(await run((s) => s.take('a', opts))).toMatchObject({
      allowed: false,
      retryAfter: 100,
      resetAt: start + 300,
    })
    clock.advance(99)
    expect(await run((s) => s.take('a', opts))).toMatchObject({ allowed: false, retryAfter: 1 })
  })

  it('allows EPSILON of floating-point noise (0.1 + 0.2 fits in 0.3) on every algorithm', async () => {
    const { run } = both('epsilon')
    const policies: ConsumeRequest[] = [
      { key: 'f', algorithm: 'fixed-window', window: 60_000, limit: 0.3 },
      { key: 's', algorithm: 'sliding-window', window: 60_000, limit: 0.3 },
      { key: 't', algorithm: 'token-bucket', capacity: 0.3, refillPerMs: 1e-12 },
      { key: 'g', algorithm: 'gcra', burst: 0.3, emissionInterval: 1 },
    ]
    for (const cost of [0.1, 0.2]) {
      const r = await run((s) => s.consume(policies.map((p) => ({ ...p, cost }))))
      expect(r.allowed).toBe(true)
    }
  })

  it('frees a key of another kind exactly at its logical expiry, not before', async () => {
    const { clock, run } = both('kind-expiry')
    await run((s) => s.hit('a', { window: 1_000 }))
    clock.advance(999.5)
    await expect(run((s) => s.slidingHit('a', { window: 1_000, limit: 5 }))).rejects.toThrow(
      TypeError,
    )
    await expect(run((s) => s.consume([{ key: 'a', algorithm: 'block' }]))).rejects.toThrow(
      TypeError,
    )
    clock.advance(0.5)
    expect((await run((s) => s.consume([{ key: 'a', algorithm: 'block' }]))).allowed).toBe(true)
    expect((await run((s) => s.slidingHit('a', { window: 1_000, limit: 5 }))).allowed).toBe(true)
  })
})
