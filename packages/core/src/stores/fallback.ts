/**
 * A store that survives its primary (usually Redis) failing: while the primary throws or times
 * out, requests are served by a fallback store, allowed, or refused — the app's choice — and the
 * switch is reported once each way.
 * @module
 */
import { durationSchema, functionSchema, parseOptions, z } from '../config.js'
import type { Duration } from '../duration.js'
import { defaultEventHandler, type SecurityEventHandler, safeEmit } from '../events.js'
import { StoreUnavailableError } from './errors.js'
import { memoryStore } from './memory.js'
import { openConsume, openResult, openTake } from './open-results.js'
import { storeSchema } from './store-schema.js'
import { withTimeout } from './timeout.js'
import type {
  ConsumeRequest,
  ConsumeResult,
  HitOptions,
  RampartStore,
  RateResult,
  SlidingHitOptions,
  TakeOptions,
} from './types.js'

/**
 * What a {@link fallbackStore} does while its primary is down:
 * - `'fallback'`: serve every operation from the fallback store (a fresh memory store unless
 *   given). Limits keep working, per instance, starting from zero at the switch.
 * - `'open'`: fail open — every rate policy admits with nothing counted (`count` 0, `remaining`
 *   the full limit or capacity), `setIfAbsent` returns `true` (so nonces are not checked and
 *   locks are not exclusive), `get` returns `undefined`, `increment` returns 0 (nothing
 *   counted, so nothing locks out), `set` does nothing and `delete` returns `false`.
 * - `'closed'`: fail closed — every operation rejects with a {@link StoreUnavailableError}
 *   (whose `cause` is the primary's last error), so guards can answer 503.
 */
export type StoreFailureMode = 'fallback' | 'open' | 'closed'

/** Options of {@link fallbackStore}. */
export interface FallbackStoreOptions {
  /** The store to use while it answers (e.g. a Redis store). */
  readonly primary: RampartStore
  /** Serves while the primary is down, with `onFailure: 'fallback'`. Default: `memoryStore()`. */
  readonly fallback?: RampartStore
  /** What to do while the primary is down. Default `'fallback'`. */
  readonly onFailure?: StoreFailureMode
  /**
   * How long one primary operation may take before it counts as a failure. Default 500 ms;
   * `false` disables. A timed-out operation may still complete on the primary later.
   */
  readonly timeout?: Duration | false
  /**
   * While down, the primary is retried with a live operation at most once per interval (the
   * others go straight to the failure mode); the first success switches back. Default 5 s.
   */
  readonly probeInterval?: Duration
  /**
   * Which primary errors mean "down". Default: all of them. Return `false` for errors that are
   * the caller's (bad arguments): those are rethrown without a switch.
   */
  readonly isFailure?: (error: unknown) => boolean
  /** Receives `store.failover` and `store.recovered`. Default: dropped. */
  readonly onEvent?: SecurityEventHandler
  /** Name used in events and errors. Default: the primary's name. */
  readonly name?: string
  /** Clock for probe timing and event times. Default `Date.now`. */
  readonly clock?: () => number
}

/** A {@link RampartStore} that falls back while its primary is down. */
export interface FallbackStore extends RampartStore {
  readonly kind: 'fallback'
  /** True while the primary is considered down (from a failure until a probe succeeds). */
  readonly degraded: boolean
  /** Closes the primary and the fallback: the wrapper owns both. */
  close(): Promise<void>
}

const optionsSchema = z
  .strictObject({
    primary: storeSchema,
    fallback: storeSchema.optional(),
    onFailure: z.enum(['fallback', 'open', 'closed']).default('fallback'),
    timeout: z.union([z.literal(false), durationSchema({ min: 1 })]).default(500),
    probeInterval: durationSchema({ min: 1 }).default(5_000),
    isFailure: functionSchema<(error: unknown) => boolean>('(error) => boolean').optional(),
    onEvent: functionSchema<SecurityEventHandler>('(event) => void').optional(),
    name: z.string().min(1).optional(),
    clock: functionSchema<() => number>('() => number (ms since the epoch)').optional(),
  })
  .refine((o) => o.fallback === undefined || o.onFailure === 'fallback', {
    path: ['fallback'],
    message: "is only used with onFailure: 'fallback'; remove it or change onFailure",
  })

/**
 * Wraps a primary store so an outage degrades instead of failing every request. The first
 * failure (a rejection or a timeout) switches to the failure mode and emits `store.failover`
 * once; while down, one live operation per `probeInterval` retries the primary, and its first
 * success switches back and emits `store.recovered`. State is not copied either way: the
 * fallback starts empty, and counts made there are dropped on recovery.
 * @throws RampartConfigError when options are invalid.
 * @example
 * const store = fallbackStore({ primary: redisStore({ client }), onFailure: 'closed', onEvent })
 */
export function fallbackStore(options: FallbackStoreOptions): FallbackStore {
  const o = parseOptions(
    '@rampart/core fallbackStore',
    optionsSchema,
    options,
    'ERR_RAMPART_STORE_CONFIG',
  )
  return new Fallback({
    primary: o.primary,
    fallback: o.onFailure === 'fallback' ? (o.fallback ?? memoryStore()) : undefined,
    mode: o.onFailure,
    timeout: o.timeout === false ? 0 : o.timeout,
    probeInterval: o.probeInterval,
    isFailure: o.isFailure ?? (() => true),
    onEvent: o.onEvent ?? defaultEventHandler,
    name: o.name ?? o.primary.name,
    clock: o.clock ?? Date.now,
  })
}

/**
 * One store operation as data: how to run it on a store, and what fail-open answers. Module
 * constants with positional arguments, so routing a call allocates no closure.
 */
interface Operation<A, B, C, R> {
  call(store: RampartStore, a: A, b: B, c: C): Promise<R>
  open(now: number, a: A, b: B, c: C): R
}

type Requests = readonly ConsumeRequest[]
const CONSUME: Operation<Requests, undefined, undefined, ConsumeResult> = {
  call: (store, requests) => store.consume(requests),
  open: (now, requests) => openConsume(now, requests),
}
const HIT: Operation<string, HitOptions, undefined, RateResult> = {
  call: (store, key, options) => store.hit(key, options),
  open: (now, _key, options) => openResult(now, options.limit ?? Number.POSITIVE_INFINITY),
}
const SLIDING_HIT: Operation<string, SlidingHitOptions, undefined, RateResult> = {
  call: (store, key, options) => store.slidingHit(key, options),
  open: (now, _key, options) => openResult(now, options.limit),
}
const TAKE: Operation<string, TakeOptions, undefined, RateResult> = {
  call: (store, key, options) => store.take(key, options),
  open: (now, _key, options) => openTake(now, options),
}
const SET_IF_ABSENT: Operation<string, string, number, boolean> = {
  call: (store, key, value, ttl) => store.setIfAbsent(key, value, ttl),
  open: () => true,
}
const SET: Operation<string, string, number, void> = {
  call: (store, key, value, ttl) => store.set(key, value, ttl),
  open: () => undefined,
}
const GET: Operation<string, undefined, undefined, string | undefined> = {
  call: (store, key) => store.get(key),
  open: () => undefined,
}
const INCREMENT: Operation<string, number, number, number> = {
  call: (store, key, by, ttl) => store.increment(key, by, ttl),
  open: () => 0,
}
const DELETE: Operation<string, undefined, undefined, boolean> = {
  call: (store, key) => store.delete(key),
  open: () => false,
}

interface Settings {
  readonly primary: RampartStore
  readonly fallback: RampartStore | undefined
  readonly mode: StoreFailureMode
  /** 0: no timeout. */
  readonly timeout: number
  readonly probeInterval: number
  readonly isFailure: (error: unknown) => boolean
  readonly onEvent: SecurityEventHandler
  readonly name: string
  readonly clock: () => number
}

class Fallback implements FallbackStore {
  readonly kind = 'fallback'
  readonly name: string
  readonly shared: boolean
  private down = false
  /** A probe is in flight: others must not pile onto a struggling primary. */
  private probing = false
  private nextProbeAt = 0
  private lastError: unknown = undefined

  constructor(private readonly s: Settings) {
    this.name = s.name
    this.shared = s.primary.shared
  }

  get degraded(): boolean {
    return this.down
  }

  consume(requests: readonly ConsumeRequest[]): Promise<ConsumeResult> {
    return this.route(CONSUME, requests, undefined, undefined)
  }

  hit(key: string, options: HitOptions): Promise<RateResult> {
    return this.route(HIT, key, options, undefined)
  }

  slidingHit(key: string, options: SlidingHitOptions): Promise<RateResult> {
    return this.route(SLIDING_HIT, key, options, undefined)
  }

  take(key: string, options: TakeOptions): Promise<RateResult> {
    return this.route(TAKE, key, options, undefined)
  }

  setIfAbsent(key: string, value: string, ttl: number): Promise<boolean> {
    return this.route(SET_IF_ABSENT, key, value, ttl)
  }

  set(key: string, value: string, ttl: number): Promise<void> {
    return this.route(SET, key, value, ttl)
  }

  get(key: string): Promise<string | undefined> {
    return this.route(GET, key, undefined, undefined)
  }

  increment(key: string, by: number, ttl: number): Promise<number> {
    return this.route(INCREMENT, key, by, ttl)
  }

  delete(key: string): Promise<boolean> {
    return this.route(DELETE, key, undefined, undefined)
  }

  async close(): Promise<void> {
    await Promise.all([this.s.primary.close?.(), this.s.fallback?.close?.()])
  }

  private async route<A, B, C, R>(op: Operation<A, B, C, R>, a: A, b: B, c: C): Promise<R> {
    if (!this.down) {
      try {
        return await this.callPrimary(op, a, b, c)
      } catch (error) {
        if (!this.s.isFailure(error)) throw error
        this.failover(error)
        return this.degrade(op, a, b, c)
      }
    }
    const now = this.s.clock()
    if (this.probing || now < this.nextProbeAt) return this.degrade(op, a, b, c)
    this.probing = true
    this.nextProbeAt = now + this.s.probeInterval
    try {
      const result = await this.callPrimary(op, a, b, c)
      this.recover()
      return result
    } catch (error) {
      if (!this.s.isFailure(error)) {
        // The primary answered, if only to refuse the arguments: it is up again.
        this.recover()
        throw error
      }
      this.lastError = error
      return this.degrade(op, a, b, c)
    } finally {
      this.probing = false
    }
  }

  private callPrimary<A, B, C, R>(op: Operation<A, B, C, R>, a: A, b: B, c: C): Promise<R> {
    const promise = op.call(this.s.primary, a, b, c)
    return this.s.timeout === 0 ? promise : withTimeout(promise, this.s.timeout, this.name)
  }

  /** Serves one operation according to the failure mode. */
  private degrade<A, B, C, R>(op: Operation<A, B, C, R>, a: A, b: B, c: C): R | Promise<R> {
    const { mode, fallback } = this.s
    if (mode === 'fallback' && fallback !== undefined) return op.call(fallback, a, b, c)
    if (mode === 'open') return op.open(this.s.clock(), a, b, c)
    throw new StoreUnavailableError(this.name, this.lastError)
  }

  private failover(error: unknown): void {
    this.lastError = error
    // Calls already in flight when the primary went down fail too: report the switch once.
    if (this.down) return
    this.down = true
    const now = this.s.clock()
    this.nextProbeAt = now + this.s.probeInterval
    const name = this.name
    safeEmit(this.s.onEvent, {
      type: 'store.failover',
      time: now,
      source: name,
      store: name,
      error,
    })
  }

  private recover(): void {
    if (!this.down) return
    this.down = false
    this.lastError = undefined
    const now = this.s.clock()
    safeEmit(this.s.onEvent, {
      type: 'store.recovered',
      time: now,
      source: this.name,
      store: this.name,
    })
  }
}
