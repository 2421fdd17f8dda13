/**
 * No key is ever left without a TTL: random sequences (seeded, so they replay) of every
 * primitive — refunds, batches with block gates, keys reused across kinds — with windows and
 * TTLs from 1 ms to 30 days. After every operation, `PTTL` of every key in play is a TTL
 * (>= 0) or -2 (gone), never -1 (no expiry).
 */
import type { ConsumeRequest, RampartStore } from '@rampart/core'
import type { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { redisStore } from '../src/index.js'
import { deleteKeys, ioredis, prng, uniquePrefix } from './helpers.js'

const prefix = uniquePrefix('ttl')
const THIRTY_DAYS = 30 * 86_400_000
let io: Redis

beforeAll(async () => {
  io = await ioredis()
})
afterAll(async () => {
  await deleteKeys(io, prefix)
  await io.quit()
})

const KEYS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] as const

function generator(random: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  /** 1 ms to 30 days, log-uniform, sometimes fractional. */
  const duration = () => {
    const ms = Math.exp(random() * Math.log(THIRTY_DAYS))
    return random() < 0.5 ? Math.max(1, Math.round(ms)) : ms
  }
  const cost = () => pick([1, 1, 2, 0, -1, -5, 0.5, 2.5, 7])
  const policy = (key: string): ConsumeRequest => {
    switch (pick(['f', 's', 't', 'g', 'b'])) {
      case 'f':
        return {
          key,
          algorithm: 'fixed-window',
          window: duration(),
          limit: pick([1, 5, Number.POSITIVE_INFINITY]),
          cost: cost(),
        }
      case 's':
        return { key, algorithm: 'sliding-window', window: duration(), limit: 5, cost: cost() }
      case 't':
        return {
          key,
          algorithm: 'token-bucket',
          capacity: pick([1, 5, 10]),
          refillPerMs: pick([1, 10]) / duration(),
          cost: cost(),
        }
      case 'g':
        return {
          key,
          algorithm: 'gcra',
          burst: pick([1, 5, 10]),
          emissionInterval: duration(),
          cost: cost(),
        }
      default:
        return { key, algorithm: 'block' }
    }
  }
  return (): ((store: RampartStore) => Promise<unknown>) => {
    const key = pick(KEYS)
    switch (Math.floor(random() * 10)) {
      case 0: {
        const p = policy(key)
        if (p.algorithm === 'fixed-window') return (s) => s.hit(key, p)
        if (p.algorithm === 'sliding-window') return (s) => s.slidingHit(key, p)
        if (p.algorithm === 'token-bucket' || p.algorithm === 'gcra') return (s) => s.take(key, p)
        return (s) => s.consume([p])
      }
      case 1:
      case 2: {
        const chosen = [...KEYS].sort(() => random() - 0.5).slice(0, 1 + Math.floor(random() * 4))
        const batch = chosen.map(policy)
        return (s) => s.consume(batch)
      }
      case 3: {
        const ttl = duration()
        return (s) => s.setIfAbsent(key, 'v', ttl)
      }
      case 4: {
        const ttl = duration()
        return (s) => s.set(key, 'v', ttl)
      }
      case 5: {
        const by = pick([1, -1, 3, 0])
        const ttl = duration()
        return (s) => s.increment(key, by, ttl)
      }
      case 6:
        return (s) => s.get(key)
      case 7:
        return (s) => s.delete(key)
      default: {
        const p = policy(key)
        if (p.algorithm === 'block') return (s) => s.consume([p])
        return (s) => s.consume([{ ...p, cost: -Math.abs((p as { cost?: number }).cost ?? 1) }])
      }
    }
  }
}

/** PTTL of every key in play, in one round trip. */
async function pttls(): Promise<number[]> {
  const pipeline = io.pipeline()
  for (const key of KEYS) pipeline.pttl(prefix + key)
  const replies = (await pipeline.exec()) ?? []
  return replies.map(([error, value]) => {
    if (error) throw error
    return value as number
  })
}

describe('every key written has a TTL', () => {
  for (const seed of [11, 12, 13]) {
    it(`holds after each of 500 random operations (seed ${seed})`, async () => {
      const store = redisStore({ client: io, prefix })
      const next = generator(prng(seed))
      let wrongKind = 0
      for (let i = 0; i < 500; i++) {
        try {
          await next()(store)
        } catch (error) {
          // Reusing a key with another kind of primitive is the only error expected.
          expect(error).toBeInstanceOf(TypeError)
          wrongKind++
        }
        const ttls = await pttls()
        for (const [k, ttl] of ttls.entries()) {
          expect(ttl, `op ${i}: key ${KEYS[k]} has no TTL`).not.toBe(-1)
          expect(ttl).toBeGreaterThanOrEqual(-2)
          // The longest lifetime: a bucket of 10 refilled one token per 30 days.
          expect(ttl).toBeLessThanOrEqual(10 * THIRTY_DAYS + 1)
        }
      }
      // The sequence did exercise the kind checks (and so their no-write paths).
      expect(wrongKind).toBeGreaterThan(0)
    })
  }

  it('leaves no key without a TTL under the prefix at the end', async () => {
    const keys: string[] = []
    let cursor = '0'
    do {
      const [next, batch] = await io.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
      cursor = next
      keys.push(...batch)
    } while (cursor !== '0')
    for (const key of keys) expect(await io.pttl(key)).not.toBe(-1)
  })
})
