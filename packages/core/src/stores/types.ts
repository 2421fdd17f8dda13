/**
 * The store contract: a small set of atomic primitives that rate limits, lockouts, nonces and
 * locks are built on. Every primitive is one atomic step — one synchronous step in memory, one
 * Lua script (one round trip, plain keys) in Redis — so instances sharing a store never admit
 * more than a limit allows.
 *
 * Conventions shared by every method:
 * - durations are milliseconds (TTLs must be positive and are rounded up to whole ms); times
 *   are milliseconds since the epoch;
 * - "now" is the store's own clock (Redis `TIME` in a script, `Date.now()` in memory), never
 *   the caller's, so instances with skewed clocks still agree;
 * - a rejected request spends nothing;
 * - a negative `cost` is a refund: it never rejects, never goes below empty (or above full) and
 *   never creates a key; it applies to the current window or bucket;
 * - each key holds one kind of state; using one key with two kinds of primitive is an error
 *   (the memory store throws a `TypeError`, Redis answers `WRONGTYPE` or worse).
 * @module
 */

/** What a store is backed by; `shared` says whether instances see each other's state. */
export type StoreKind = 'memory' | 'redis' | 'fallback' | (string & {})

/** The outcome of one rate policy: a fixed or sliding window hit, or a bucket take. */
export interface RateResult {
  /** Whether this policy admits the request (for a batch: whether it would on its own). */
  readonly allowed: boolean
  /**
   * Units used after this request: the window count (fixed), the weighted estimate (sliding),
   * or the tokens missing from a full bucket (token bucket, GCRA). May be fractional.
   */
  readonly count: number
  /** Units still available (`Infinity` for a hit without a limit). May be fractional. */
  readonly remaining: number
  /** When everything spent so far is available again (ms epoch): window end, bucket full. */
  readonly resetAt: number
  /**
   * 0 when allowed. Otherwise ms until the same request would be allowed if nothing else is
   * spent meanwhile; `Infinity` when it never can be (its cost exceeds the limit or capacity).
   */
  readonly retryAfter: number
}

/** Options of a fixed-window {@link RampartStore.hit}. */
export interface HitOptions {
  /** Window length in ms; a window starts at a key's first hit. */
  readonly window: number
  /** Units to spend. Default 1; negative refunds. */
  readonly cost?: number
  /** Most units a window admits. Omitted: count only, never reject. */
  readonly limit?: number
}

/** Options of a sliding-window {@link RampartStore.slidingHit}. */
export interface SlidingHitOptions {
  /**
   * Window length in ms. Windows are aligned to the epoch; the estimate weighs the previous
   * window's count by the share of it still inside the sliding window (as Cloudflare does).
   */
  readonly window: number
  /** Most units the sliding window admits. */
  readonly limit: number
  /** Units to spend. Default 1; negative refunds. */
  readonly cost?: number
}

/** A token bucket: `capacity` tokens, refilled continuously; absent means full. */
export interface TokenBucketOptions {
  readonly algorithm: 'token-bucket'
  /** Tokens a full bucket holds: the largest burst. */
  readonly capacity: number
  /** Tokens added per millisecond (e.g. `10 / 1000` for ten a second). Must be positive. */
  readonly refillPerMs: number
  /** Tokens to take. Default 1; fractional allowed; negative refunds. */
  readonly cost?: number
}

/**
 * GCRA (generic cell rate algorithm): a token bucket stored as one timestamp, the theoretical
 * arrival time. Equivalent admission to a bucket of `burst` tokens refilled one per
 * `emissionInterval`.
 */
export interface GcraOptions {
  readonly algorithm: 'gcra'
  /** Requests admitted at once when idle. */
  readonly burst: number
  /** Ms per unit: the steady rate is one unit per emission interval. Must be positive. */
  readonly emissionInterval: number
  /** Units to take. Default 1; fractional allowed; negative refunds. */
  readonly cost?: number
}

/** Options of {@link RampartStore.take}. */
export type TakeOptions = TokenBucketOptions | GcraOptions

/**
 * A gate in a {@link RampartStore.consume} batch: it rejects while `key` holds a value stored
 * with `set`/`setIfAbsent` (a block), spending nothing, so a limiter checks its block and its
 * policies in one atomic step (one round trip on Redis). Blocked: `allowed` false, `count` 0,
 * `remaining` 0, `resetAt` the block's expiry, `retryAfter` the time left (at least 1 ms).
 * Not blocked: `allowed` true, `count` 0, `remaining` `Infinity`, `resetAt` now, `retryAfter` 0.
 */
export interface BlockGate {
  readonly key: string
  readonly algorithm: 'block'
}

/** One policy of a {@link RampartStore.consume} batch. */
export type ConsumeRequest =
  | (HitOptions & { readonly key: string; readonly algorithm: 'fixed-window' })
  | (SlidingHitOptions & { readonly key: string; readonly algorithm: 'sliding-window' })
  | (TakeOptions & { readonly key: string })
  | BlockGate

/** The outcome of a {@link RampartStore.consume} batch. */
export interface ConsumeResult {
  /** True when every policy admitted the request, and so all of them were spent. */
  readonly allowed: boolean
  /** 0 when allowed, else the largest `retryAfter` among the policies that rejected. */
  readonly retryAfter: number
  /**
   * One result per request, in order. When the batch is rejected nothing was spent: each result
   * shows the unspent state, and `allowed` says whether that policy alone would have admitted.
   */
  readonly results: readonly RateResult[]
}

/**
 * Shared state behind guards: counters, buckets, nonces, locks. Implementations: the memory
 * store (embedded default), `@rampart/redis`, and the fallback wrapper. Every method is atomic;
 * check any implementation with `runStoreSuite` from `@rampart/core/testing`.
 */
export interface RampartStore {
  /** Name used in events and errors, e.g. `'memory'` or `'redis'`. */
  readonly name: string
  /** What backs the store. */
  readonly kind: StoreKind
  /**
   * Whether separate app instances share this state. `false` for memory: with several
   * instances, each enforces limits alone (guards warn about it once).
   */
  readonly shared: boolean

  /**
   * Evaluates several rate policies at one instant and spends on all of them only if all
   * admit; otherwise spends nothing. Keys must be distinct within a batch (a `RangeError`
   * otherwise); on Redis Cluster they must share a hash slot (use a `{tag}`). An empty batch
   * is allowed.
   */
  consume(requests: readonly ConsumeRequest[]): Promise<ConsumeResult>
  /**
   * {@link RampartStore.consume} answered synchronously, for stores that need no I/O (the memory
   * store). Optional: guards use it when present so a request on such a store costs no promise
   * and no extra tick. Same arguments, results and errors (thrown instead of rejected).
   */
  consumeSync?(requests: readonly ConsumeRequest[]): ConsumeResult
  /** Fixed-window counter hit; with a `limit`, a hit that would exceed it spends nothing. */
  hit(key: string, options: HitOptions): Promise<RateResult>
  /** Sliding-window (weighted previous window) hit; spends only within the limit. */
  slidingHit(key: string, options: SlidingHitOptions): Promise<RateResult>
  /** Token-bucket or GCRA take; a rejected take spends nothing. State expires once full. */
  take(key: string, options: TakeOptions): Promise<RateResult>

  /** Stores `value` for `ttl` ms unless the key exists; `true` when stored (nonces, locks). */
  setIfAbsent(key: string, value: string, ttl: number): Promise<boolean>
  /** Stores `value` for `ttl` ms, replacing whatever the key held. */
  set(key: string, value: string, ttl: number): Promise<void>
  /**
   * The value stored with `set`/`setIfAbsent`, or an `increment` counter as a decimal string;
   * `undefined` when absent or expired.
   */
  get(key: string): Promise<string | undefined>
  /**
   * Adds `by` (a safe integer) to a counter and returns the new value. A missing key starts at
   * 0 and gets `ttl` ms to live; later increments keep the original expiry.
   */
  increment(key: string, by: number, ttl: number): Promise<number>
  /** Removes a key of any kind; `true` when a live key was removed. */
  delete(key: string): Promise<boolean>
  /** Releases resources (connections, memory). The store must not be used afterwards. */
  close?(): Promise<void>
}
