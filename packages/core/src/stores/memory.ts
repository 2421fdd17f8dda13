/**
 * The embedded store: state in this process, bounded, no timers. Every operation runs in one
 * synchronous step (no `await` inside), so it is atomic with respect to every other request.
 * @module
 */
import { functionSchema, parseOptions, z } from '../config.js'
import { createWarnOnce, defaultEventHandler, type SecurityEventHandler } from '../events.js'
import { blockGate, fixedWindow, gcra, Outcome, slidingWindow, tokenBucket } from './algorithms.js'
import { assertCost, assertDistinctKeys, assertLimit, assertPositive, ttlMs } from './arguments.js'
import { type Entry, EntryTable } from './memory-table.js'
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

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /** Name used in events and errors. Default `'memory'`. */
  readonly name?: string
  /**
   * Most keys held at once (default 100,000: about 25 MB with 30-character keys). When full,
   * the least recently used key is evicted, which resets its limits: size it above the number
   * of distinct clients active within your longest window. The first eviction of a live key
   * emits a `RAMPART_MEMORY_STORE_FULL` warning.
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
  private readonly table: EntryTable
  /** Reused scratch for the algorithms: one result object per call is the only allocation. */
  private readonly out = new Outcome()

  constructor(
    readonly name: string,
    readonly maxKeys: number,
    private readonly clock: () => number,
    onEvent: SecurityEventHandler | undefined,
  ) {
    const warn = createWarnOnce(onEvent ?? defaultEventHandler, false, name)
    const message =
      `memory store '${name}' is full (maxKeys ${maxKeys}) and evicts live keys, which resets ` +
      'their limits: raise maxKeys or use a shared store'
    this.table = new EntryTable(maxKeys, () => warn(WARN_MEMORY_STORE_FULL, message))
  }

  get size(): number {
    return this.table.size
  }

  async consume(requests: readonly ConsumeRequest[]): Promise<ConsumeResult> {
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
    if (this.table.find(key, now) !== undefined) return false
    const entry = this.table.insert(key, now)
    entry.kind = STRING
    entry.value = value
    entry.expiresAt = expiresAt
    return true
  }

  async set(key: string, value: string, ttl: number): Promise<void> {
    const now = this.clock()
    const expiresAt = now + ttlMs(ttl)
    const entry = this.table.find(key, now) ?? this.table.insert(key, now)
    entry.kind = STRING
    entry.value = value
    entry.expiresAt = expiresAt
  }

  async get(key: string): Promise<string | undefined> {
    const entry = this.table.find(key, this.clock())
    if (entry === undefined) return undefined
    if (entry.kind === STRING) return entry.value
    if (entry.kind === COUNTER) return String(entry.a)
    throw new TypeError(WRONG_KIND)
  }

  async increment(key: string, by: number, ttl: number): Promise<number> {
    if (!Number.isSafeInteger(by)) {
      throw new RangeError(`increment: by must be a safe integer, received ${by}`)
    }
    const now = this.clock()
    const expiresAt = now + ttlMs(ttl)
    const entry = this.read(key, now, COUNTER)
    if (entry !== undefined) {
      entry.a += by
      return entry.a
    }
    const created = this.table.insert(key, now)
    created.kind = COUNTER
    created.a = by
    created.expiresAt = expiresAt
    return by
  }

  async delete(key: string): Promise<boolean> {
    const entry = this.table.find(key, this.clock())
    if (entry === undefined) return false
    this.table.remove(entry)
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
    const entry = this.table.find(key, now)
    if (entry !== undefined && entry.kind !== STRING) throw new TypeError(WRONG_KIND)
    blockGate(this.out, now, entry?.expiresAt)
  }

  private fixed(
    key: string,
    now: number,
    window: number,
    limit: number,
    cost: number,
    mode: number,
  ): void {
    assertPositive(window, 'window')
    assertLimit(limit)
    assertCost(cost)
    const entry = this.read(key, now, FIXED)
    const present = entry !== undefined
    fixedWindow(this.out, now, present, entry?.a ?? 0, entry?.expiresAt ?? 0, window, limit, cost)
    if (mode === COMMIT && this.out.write) this.write(entry, key, now, FIXED)
  }

  private sliding(
    key: string,
    now: number,
    window: number,
    limit: number,
    cost: number,
    mode: number,
  ): void {
    assertPositive(window, 'window')
    assertLimit(limit)
    assertCost(cost)
    const entry = this.read(key, now, SLIDING)
    if (entry === undefined) slidingWindow(this.out, now, false, 0, 0, 0, window, limit, cost)
    else slidingWindow(this.out, now, true, entry.a, entry.b, entry.c, window, limit, cost)
    if (mode === COMMIT && this.out.write) this.write(entry, key, now, SLIDING)
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
    const entry = this.read(key, now, BUCKET)
    if (entry === undefined) tokenBucket(this.out, now, false, 0, 0, capacity, refillPerMs, cost)
    else tokenBucket(this.out, now, true, entry.a, entry.b, capacity, refillPerMs, cost)
    if (mode === COMMIT && this.out.write) this.write(entry, key, now, BUCKET)
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
    const entry = this.read(key, now, GCRA)
    gcra(this.out, now, entry !== undefined, entry?.a ?? 0, burst, interval, cost)
    if (mode === COMMIT && this.out.write) this.write(entry, key, now, GCRA)
  }

  /** The live entry for `key`; throws when it holds another kind of state. */
  private read(key: string, now: number, kind: number): Entry | undefined {
    const entry = this.table.find(key, now)
    if (entry !== undefined && entry.kind !== kind) throw new TypeError(WRONG_KIND)
    return entry
  }

  /** Stores `this.out`'s state in `entry` (or a new one); state already expired is deleted. */
  private write(entry: Entry | undefined, key: string, now: number, kind: number): void {
    const out = this.out
    if (out.expiresAt <= now) {
      if (entry !== undefined) this.table.remove(entry)
      return
    }
    const target = entry ?? this.table.insert(key, now)
    target.kind = kind
    target.a = out.a
    target.b = out.b
    target.c = out.c
    target.expiresAt = out.expiresAt
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
