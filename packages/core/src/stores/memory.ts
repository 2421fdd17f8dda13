/**
 * The embedded store: state in this process, bounded, no timers. Every operation runs in one
 * synchronous step (no `await` inside), so it is atomic with respect to every other request.
 * @module
 */
import { functionSchema, parseOptions, z } from '../config.js'
import { createWarnOnce, defaultEventHandler, type SecurityEventHandler } from '../events.js'
import {
  blockGate,
  EPSILON,
  fixedWindow,
  gcra,
  Outcome,
  slidingWindow,
  tokenBucket,
} from './algorithms.js'
import {
  assertCost,
  assertDistinctKeys,
  assertPositive,
  assertWindowPolicy,
  ttlMs,
} from './arguments.js'
import { SlotTable } from './memory-table.js'
import type {
  ConsumeRequest,
  ConsumeResult,
  HitOptions,
  RampartStore,
  RateResult,
  SlidingHitOptions,
  TakeOptions,
} from './types.js'

/** Warning code: the memory store evicted a live key to stay within `maxKeys`. */
export const WARN_MEMORY_STORE_FULL = 'RAMPART_MEMORY_STORE_FULL'
/**
 * Warning code: the memory store was so full of pinned keys (over their limit, or holding a
 * block, nonce or lock) that it had to forget one of them to make room.
 */
export const WARN_MEMORY_STORE_PINNED_EVICTED = 'RAMPART_MEMORY_STORE_PINNED_EVICTED'

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /** Name used in events and errors. Default `'memory'`. */
  readonly name?: string
  /**
   * Most keys held at once (default 100,000: about 10 MB with 30-character keys). When full, a
   * key not used recently is evicted (CLOCK order), which resets its limits: size it above the
   * number of distinct clients active within your longest window. Keys over their limit and
   * stored values (blocks, nonces, locks) are pinned: they are evicted only when every candidate
   * is pinned. The first eviction of a live key emits a `RAMPART_MEMORY_STORE_FULL` warning, the
   * first of a pinned key `RAMPART_MEMORY_STORE_PINNED_EVICTED`.
   */
  readonly maxKeys?: number
  /** Clock in ms since the epoch. Default `Date.now`; tests pass a controllable one. */
  readonly clock?: () => number
  /** Receives the one-time full warning. Default: `console.warn`. */
  readonly onEvent?: SecurityEventHandler
}

/** The memory store: a {@link RampartStore} plus its size, for monitoring and tests. */
export interface MemoryStore extends RampartStore {
  readonly kind: 'memory'
  readonly shared: false
  /** The configured bound. */
  readonly maxKeys: number
  /** Keys held now, including expired ones not yet swept (never more than `maxKeys`). */
  readonly size: number
  /** Drops every key. The store stays usable. */
  close(): Promise<void>
  /** {@link RampartStore.consume}, answered synchronously (memory needs no I/O). */
  consumeSync(requests: readonly ConsumeRequest[]): ConsumeResult
}

const optionsSchema = z.strictObject({
  name: z.string().min(1).default('memory'),
  maxKeys: z.number().int().min(1).max(100_000_000).default(100_000),
  clock: functionSchema<() => number>('() => number (ms since the epoch)').optional(),
  onEvent: functionSchema<SecurityEventHandler>('(event) => void').optional(),
})

// What an entry holds. Plain numbers: cheap to compare, no const enum under isolatedModules.
const STRING = 1
const COUNTER = 2
const FIXED = 3
const SLIDING = 4
const BUCKET = 5
const GCRA = 6

// How evaluate() treats a rate request.
const COMMIT = 0 // decide, and store the state when allowed
const DRY = 1 // decide without storing
const PEEK = 2 // report the state with a cost of 0

const WRONG_KIND = 'memory store: the key holds another kind of state'

/**
 * Creates an in-process store: bounded by `maxKeys` with least-recently-used eviction, expired
 * lazily on access and swept a couple of entries per operation, with no timers. Not shared
 * between instances: with several app instances each enforces its limits alone.
 * @throws RampartConfigError when options are invalid.
 * @example const store = memoryStore({ maxKeys: 50_000 })
 */
export function memoryStore(options?: MemoryStoreOptions): MemoryStore {
  const parsed = parseOptions(
    '@rampart/core memoryStore',
    optionsSchema,
    options ?? {},
    'ERR_RAMPART_STORE_CONFIG',
  )
  return new InMemoryStore(parsed.name, parsed.maxKeys, parsed.clock ?? Date.now, parsed.onEvent)
}

class InMemoryStore implements MemoryStore {
  readonly kind = 'memory'
  readonly shared = false
  private readonly table: SlotTable
  /** Reused scratch for the algorithms: one result object per call is the only allocation. */
  private readonly out = new Outcome()

  constructor(
    readonly name: string,
    readonly maxKeys: number,
    private readonly clock: () => number,
    onEvent: SecurityEventHandler | undefined,
  ) {
    const warn = createWarnOnce(onEvent ?? defaultEventHandler, false, name)
    const full =
      `memory store '${name}' is full (maxKeys ${maxKeys}) and evicts live keys, which resets ` +
      'their limits: raise maxKeys or use a shared store'
    const pinned =
      `memory store '${name}' is full of keys over their limit or holding blocks (maxKeys ` +
      `${maxKeys}) and had to forget one: raise maxKeys or use a shared store`
    this.table = new SlotTable(maxKeys, {
      onEvict: () => warn(WARN_MEMORY_STORE_FULL, full),
      onEvictPinned: () => warn(WARN_MEMORY_STORE_PINNED_EVICTED, pinned),
    })
  }

  get size(): number {
    return this.table.size
  }

  async consume(requests: readonly ConsumeRequest[]): Promise<ConsumeResult> {
    return this.consumeSync(requests)
  }

  consumeSync(requests: readonly ConsumeRequest[]): ConsumeResult {
    const n = requests.length
    const now = this.clock()
    const out = this.out
    let allowed = true
    let retryAfter = 0
    if (n > 1) {
      assertDistinctKeys(requests)
      // First pass decides without spending; the second spends only if everyone admitted.
      for (let i = 0; i < n; i++) {
        this.evaluate(requests[i] as ConsumeRequest, now, DRY)
        if (!out.allowed) {
          allowed = false
          if (out.retryAfter > retryAfter) retryAfter = out.retryAfter
        }
      }
    }
    const results: RateResult[] = new Array(n)
    for (let i = 0; i < n; i++) {
      const request = requests[i] as ConsumeRequest
      if (allowed) {
        this.evaluate(request, now, COMMIT)
        // A single request decides in this pass.
        if (!out.allowed) {
          allowed = false
          retryAfter = out.retryAfter
        }
      } else {
        this.evaluate(request, now, DRY)
        // Report the unspent state of policies that would have admitted.
        if (out.allowed) this.evaluate(request, now, PEEK)
      }
      results[i] = this.result()
    }
    return { allowed, retryAfter, results }
  }

  async hit(key: string, options: HitOptions): Promise<RateResult> {
    const limit = options.limit ?? Number.POSITIVE_INFINITY
    this.fixed(key, this.clock(), options.window, limit, options.cost ?? 1, COMMIT)
    return this.result()
  }

  async slidingHit(key: string, options: SlidingHitOptions): Promise<RateResult> {
    this.sliding(key, this.clock(), options.window, options.limit, options.cost ?? 1, COMMIT)
    return this.result()
  }

  async take(key: string, options: TakeOptions): Promise<RateResult> {
    const now = this.clock()
    const cost = options.cost ?? 1
    if (options.algorithm === 'gcra') {
      this.gcra(key, now, options.burst, options.emissionInterval, cost, COMMIT)
    } else {
      this.bucket(key, now, options.capacity, options.refillPerMs, cost, COMMIT)
    }
    return this.result()
  }

  async setIfAbsent(key: string, value: string, ttl: number): Promise<boolean> {
    const now = this.clock()
    const expiresAt = now + ttlMs(ttl)
    if (this.table.find(key, now) !== -1) return false
    this.store(this.table.insert(key, now, STRING), value, expiresAt)
    return true
  }

  async set(key: string, value: string, ttl: number): Promise<void> {
    const now = this.clock()
    const expiresAt = now + ttlMs(ttl)
    const table = this.table
    let slot = table.find(key, now)
    if (slot === -1) slot = table.insert(key, now, STRING)
    else table.setKind(slot, STRING)
    this.store(slot, value, expiresAt)
  }

  async get(key: string): Promise<string | undefined> {
    const table = this.table
    const slot = table.find(key, this.clock())
    if (slot === -1) return undefined
    const kind = table.kind(slot)
    if (kind === STRING) return table.value(slot)
    if (kind === COUNTER) return String(table.a[slot])
    throw new TypeError(WRONG_KIND)
  }

  async increment(key: string, by: number, ttl: number): Promise<number> {
    if (!Number.isSafeInteger(by)) {
      throw new RangeError(`increment: by must be a safe integer, received ${by}`)
    }
    const now = this.clock()
    const expiresAt = now + ttlMs(ttl)
    const table = this.table
    const slot = this.read(key, now, COUNTER)
    if (slot !== -1) {
      const next = (table.a[slot] as number) + by
      table.a[slot] = next
      return next
    }
    const created = table.insert(key, now, COUNTER)
    table.a[created] = by
    table.expiresAt[created] = expiresAt
    return by
  }

  async delete(key: string): Promise<boolean> {
    const slot = this.table.find(key, this.clock())
    if (slot === -1) return false
    this.table.remove(key, slot)
    return true
  }

  async close(): Promise<void> {
    this.table.clear()
  }

  /** Runs one rate request into `this.out`. */
  private evaluate(request: ConsumeRequest, now: number, mode: number): void {
    if (request.algorithm === 'block') {
      this.gate(request.key, now)
      return
    }
    const cost = mode === PEEK ? 0 : (request.cost ?? 1)
    switch (request.algorithm) {
      case 'fixed-window':
        this.fixed(
          request.key,
          now,
          request.window,
          request.limit ?? Number.POSITIVE_INFINITY,
          cost,
          mode,
        )
        return
      case 'sliding-window':
        this.sliding(request.key, now, request.window, request.limit, cost, mode)
        return
      case 'token-bucket':
        this.bucket(request.key, now, request.capacity, request.refillPerMs, cost, mode)
        return
      case 'gcra':
        this.gcra(request.key, now, request.burst, request.emissionInterval, cost, mode)
        return
      default:
        throw new RangeError(
          `consume: unknown algorithm '${String((request as { algorithm: unknown }).algorithm)}'`,
        )
    }
  }

  /** A block gate: rejected while the key holds a stored value, nothing spent either way. */
  private gate(key: string, now: number): void {
    const table = this.table
    const slot = table.find(key, now)
    if (slot !== -1 && table.kind(slot) !== STRING) throw new TypeError(WRONG_KIND)
    blockGate(this.out, now, slot === -1 ? undefined : table.expiresAt[slot])
  }

  /** A stored value (block, nonce, lock): pinned, so making room never forgets it first. */
  private store(slot: number, value: string, expiresAt: number): void {
    const table = this.table
    table.setValue(slot, value)
    table.expiresAt[slot] = expiresAt
    table.pin(slot, true)
  }

  private fixed(
    key: string,
    now: number,
    window: number,
    limit: number,
    cost: number,
    mode: number,
  ): void {
    assertWindowPolicy(window, limit, cost)
    const table = this.table
    const slot = this.read(key, now, FIXED)
    const present = slot !== -1
    fixedWindow(
      this.out,
      now,
      present,
      present ? (table.a[slot] as number) : 0,
      present ? (table.expiresAt[slot] as number) : 0,
      window,
      limit,
      cost,
    )
    this.settle(slot, key, now, FIXED, mode)
  }

  private sliding(
    key: string,
    now: number,
    window: number,
    limit: number,
    cost: number,
    mode: number,
  ): void {
    assertWindowPolicy(window, limit, cost)
    const table = this.table
    const slot = this.read(key, now, SLIDING)
    if (slot === -1) slidingWindow(this.out, now, false, 0, 0, 0, window, limit, cost)
    else {
      const { a, b, c } = table
      slidingWindow(
        this.out,
        now,
        true,
        a[slot] as number,
        b[slot] as number,
        c[slot] as number,
        window,
        limit,
        cost,
      )
    }
    this.settle(slot, key, now, SLIDING, mode)
  }

  private bucket(
    key: string,
    now: number,
    capacity: number,
    refillPerMs: number,
    cost: number,
    mode: number,
  ): void {
    assertPositive(capacity, 'capacity')
    assertPositive(refillPerMs, 'refillPerMs')
    assertCost(cost)
    const table = this.table
    const slot = this.read(key, now, BUCKET)
    if (slot === -1) tokenBucket(this.out, now, false, 0, 0, capacity, refillPerMs, cost)
    else {
      const { a, b } = table
      tokenBucket(
        this.out,
        now,
        true,
        a[slot] as number,
        b[slot] as number,
        capacity,
        refillPerMs,
        cost,
      )
    }
    this.settle(slot, key, now, BUCKET, mode)
  }

  private gcra(
    key: string,
    now: number,
    burst: number,
    interval: number,
    cost: number,
    mode: number,
  ): void {
    assertPositive(burst, 'burst')
    assertPositive(interval, 'emissionInterval')
    assertCost(cost)
    const slot = this.read(key, now, GCRA)
    const present = slot !== -1
    gcra(
      this.out,
      now,
      present,
      present ? (this.table.a[slot] as number) : 0,
      burst,
      interval,
      cost,
    )
    this.settle(slot, key, now, GCRA, mode)
  }

  /** The live slot for `key`, or -1; throws when it holds another kind of state. */
  private read(key: string, now: number, kind: number): number {
    const slot = this.table.find(key, now)
    if (slot !== -1 && this.table.kind(slot) !== kind) throw new TypeError(WRONG_KIND)
    return slot
  }

  /**
   * After a decision: on a commit, stores `this.out`'s state in the slot (or a new one; state
   * already expired is deleted instead). Either way a key left at or over its limit is pinned.
   */
  private settle(slot: number, key: string, now: number, kind: number, mode: number): void {
    const out = this.out
    const table = this.table
    if (mode === COMMIT && out.write) {
      if (out.expiresAt <= now) {
        if (slot !== -1) table.remove(key, slot)
        return
      }
      if (slot === -1) slot = table.insert(key, now, kind)
      table.a[slot] = out.a
      table.b[slot] = out.b
      table.c[slot] = out.c
      table.expiresAt[slot] = out.expiresAt
    }
    if (slot !== -1) table.pin(slot, !out.allowed || out.remaining <= EPSILON)
  }

  /** A fresh result object from the scratch. */
  private result(): RateResult {
    const out = this.out
    return {
      allowed: out.allowed,
      count: out.count,
      remaining: out.remaining,
      resetAt: out.resetAt,
      retryAfter: out.retryAfter,
    }
  }
}
