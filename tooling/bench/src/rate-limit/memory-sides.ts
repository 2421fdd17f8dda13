/**
 * The in-memory limiters the rate-limit benchmarks compare, each built the way its users build
 * it and checked the way its middleware checks a request:
 *
 * - ours: `rateLimit({ limit, window, algorithm, store: memoryStore({ maxKeys }) })` from
 *   `@rampart/rate-limiter`, `consume(key)` (the programmatic check: the policy batch, the block
 *   gate, the result the handler would see);
 * - express-rate-limit's `MemoryStore`: `init({ windowMs })`, then `increment(key)`; its
 *   middleware then refuses when `totalHits` exceeds the limit (a fixed window starting at a
 *   client's first hit);
 * - rate-limiter-flexible's `RateLimiterMemory({ points, duration })`, `consume(key)`, which
 *   rejects when the points are spent (also a fixed window from the first hit).
 *
 * Both anchors count in fixed windows, so ours runs `'fixed-window'` against them; a
 * `'sliding-window'` row (our default) shows what the better algorithm costs.
 * @module
 */
import { type MemoryStore, memoryStore } from '@rampart/core'
import { type RateLimitInfo, rateLimit } from '@rampart/rate-limiter'
import { MemoryStore as ErlMemoryStore, type Options as ErlOptions } from 'express-rate-limit'
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible'
import { Rejection } from '../micro.js'

/** A policy every side is given. */
export interface LimitConfig {
  /** Requests admitted per window. */
  readonly limit: number
  /** Window length in ms (a whole number of seconds: rate-limiter-flexible counts in seconds). */
  readonly windowMs: number
}

/** One limiter, ready to check requests. */
export interface MemorySide {
  /** One check for `key`: the call the library's middleware makes per request. */
  readonly check: (key: string) => Promise<unknown>
  /** Keys the limiter holds now (a sanity check that nothing was evicted or expired). */
  readonly keys: () => number
}

/** Our algorithms the benchmarks run: the anchors' (fixed) and our default (sliding). */
export type OurAlgorithm = 'fixed-window' | 'sliding-window'

/**
 * `@rampart/rate-limiter` on the memory store. `maxKeys` must exceed the keys a benchmark uses:
 * a full store evicts, which would measure something else.
 */
export function ours(
  config: LimitConfig & { readonly algorithm: OurAlgorithm; readonly maxKeys: number },
): MemorySide {
  const store: MemoryStore = memoryStore({ maxKeys: config.maxKeys })
  const limiter = rateLimit({
    limit: config.limit,
    window: config.windowMs,
    algorithm: config.algorithm,
    store,
  })
  return { check: (key) => limiter.consume(key), keys: () => store.size }
}

/**
 * Our memory store itself, `hit(key, { window, limit })`: the store primitive, the layer
 * express-rate-limit's `MemoryStore` sits at (no limiter around it, no result for a handler).
 */
export function ourStore(config: LimitConfig & { readonly maxKeys: number }): MemorySide {
  const store: MemoryStore = memoryStore({ maxKeys: config.maxKeys })
  const options = { window: config.windowMs, limit: config.limit }
  return { check: (key) => store.hit(key, options), keys: () => store.size }
}

/** express-rate-limit's `MemoryStore`, initialised as its middleware initialises it. */
export function expressRateLimit(config: LimitConfig): MemorySide {
  const store = new ErlMemoryStore()
  // The middleware passes its whole configuration; the store reads only `windowMs`.
  store.init({ windowMs: config.windowMs } as ErlOptions)
  return {
    check: (key) => store.increment(key),
    keys: () => store.current.size + store.previous.size,
  }
}

/** rate-limiter-flexible's `RateLimiterMemory` (its default key prefix included). */
export function rateLimiterFlexible(config: LimitConfig): MemorySide {
  const limiter = new RateLimiterMemory({
    points: config.limit,
    duration: config.windowMs / 1000,
  })
  // Its store's map is private; only this sanity check reads it.
  const storage = (limiter as unknown as { _memoryStorage: { _storage: Map<string, unknown> } })
    ._memoryStorage._storage
  return { check: (key) => limiter.consume(key), keys: () => storage.size }
}

/**
 * What a side's middleware decides from the settled result of one check: ours reports
 * `allowed`; express-rate-limit refuses when `totalHits` exceeds the limit; rate-limiter-flexible
 * resolves with a `RateLimiterRes` or rejects with one. The micro suites compare these decisions
 * before timing.
 * @throws the rejection reason when a side failed rather than refused.
 */
export function decision(limit: number): (result: unknown) => 'allowed' | 'denied' {
  return (result) => {
    if (result instanceof Rejection) {
      if (result.reason instanceof RateLimiterRes) return 'denied'
      throw result.reason
    }
    if (result instanceof RateLimiterRes) return 'allowed'
    const r = result as Partial<RateLimitInfo> & { totalHits?: number }
    if (typeof r.allowed === 'boolean') return r.allowed ? 'allowed' : 'denied'
    if (typeof r.totalHits === 'number') return r.totalHits > limit ? 'denied' : 'allowed'
    throw new TypeError(`unexpected check result ${JSON.stringify(result)}`)
  }
}

/**
 * Spends `times` checks on each key (awaiting them, refusals included), e.g. to bring keys to
 * their limit before a case measures refusals.
 */
export async function spend(side: MemorySide, keys: readonly string[], times: number) {
  for (const key of keys) {
    for (let i = 0; i < times; i++) await side.check(key).catch(() => undefined)
  }
}
