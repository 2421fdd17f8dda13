/**
 * The memory store's table, built for bytes per key: a `Map` from key to a slot number, and the
 * slots' state in typed-array columns (no object per key, no boxed numbers). Around 60 bytes per
 * key beside the key string itself, a third of an object-per-key design.
 *
 * Eviction is CLOCK over the `Map`'s insertion order (second chance): a key read since it was
 * last passed over moves to the back once; a key that is *pinned* — over its limit, or holding a
 * block, nonce or lock — moves to the back every time, so making room never forgets the keys an
 * attacker most wants forgotten. Only when every candidate nearby is pinned does the oldest
 * pinned key go, and the store says so (a warning of its own). Expiry is lazy on access plus an
 * incremental sweep of a few keys per insert: no timers.
 * @module
 */

import { internalize } from '../strings.js'

/** Keys each insert's sweep step inspects: enough to outpace the inserts. */
const SWEEP_STEPS = 3
/** Keys an eviction inspects before it settles for a pinned one. */
const EVICTION_SCAN = 16
/** Slots allocated up front (grown by doubling, up to `maxKeys`). */
const INITIAL_SLOTS = 1024

// One byte of flags per slot: the kind (the memory store's constants, 1..63; 0 = free), plus:
const REFERENCED = 0x80
const PINNED = 0x40
const KIND = 0x3f

/** What the table reports when it has to forget a live key to make room. */
export interface EvictionHooks {
  /** A live key that was not pinned was evicted. */
  readonly onEvict?: () => void
  /** A pinned key (over its limit, or a block/nonce/lock) was evicted: every candidate was. */
  readonly onEvictPinned?: () => void
}

/** A bounded table of slots with numeric state columns and lazy, incremental expiry. */
export class SlotTable {
  /** Expiry per slot (ms epoch): the key is gone at and after this instant. */
  expiresAt: Float64Array
  /** Numeric state per slot, meaning per kind (see `algorithms.ts`). */
  a: Float64Array
  b: Float64Array
  c: Float64Array
  readonly #map = new Map<string, number>()
  #flags: Uint8Array
  /** String values of `set`/`setIfAbsent` slots: only those slots pay for them. */
  readonly #values = new Map<number, string>()
  /** Slots released by removals, reused before new ones. */
  readonly #free: number[] = []
  /** Slots handed out so far; the columns hold at least this many. */
  #used = 0
  /** The sweep cursor: a live iterator over the keys, restarted when it ends. */
  #hand: Iterator<string> | undefined
  /**
   * The eviction cursor (CLOCK's hand), also a live iterator. It must persist: a fresh iterator
   * would start by skipping every slot evictions deleted at the front of the `Map` since its last
   * rehash, which made a million inserts into a full table take 45 s instead of 1.
   */
  #clock: Iterator<string> | undefined
  readonly #hooks: EvictionHooks

  /**
   * @param maxKeys most keys held at once.
   * @param hooks called when a live key is evicted to make room.
   */
  constructor(
    readonly maxKeys: number,
    hooks: EvictionHooks = {},
  ) {
    this.#hooks = hooks
    const slots = Math.min(maxKeys, INITIAL_SLOTS)
    this.#flags = new Uint8Array(slots)
    this.expiresAt = new Float64Array(slots)
    this.a = new Float64Array(slots)
    this.b = new Float64Array(slots)
    this.c = new Float64Array(slots)
  }

  /** Keys held, including expired ones not yet swept. */
  get size(): number {
    return this.#map.size
  }

  /** The live slot for `key`, marked as used, or -1. An expired key is removed on sight. */
  find(key: string, now: number): number {
    const slot = this.#map.get(key)
    if (slot === undefined) return -1
    if ((this.expiresAt[slot] as number) <= now) {
      this.remove(key, slot)
      return -1
    }
    this.#flags[slot] = (this.#flags[slot] as number) | REFERENCED
    return slot
  }

  /**
   * Adds `key` (which must be absent) with the given kind, unpinned and not yet referenced
   * (a key seen once is the first to go). When full, room is made first. The caller sets the
   * slot's state and expiry.
   */
  insert(key: string, now: number, kind: number): number {
    // Only inserts grow the table, so only they need to sweep: reads of existing keys stay a
    // single Map lookup.
    this.#sweep(now)
    if (this.#map.size >= this.maxKeys) this.#evict(now)
    const slot = this.#free.length > 0 ? (this.#free.pop() as number) : this.#grow()
    this.#flags[slot] = kind
    // Kept as one flat, shared string: a key built by concatenation is a rope of several objects.
    this.#map.set(internalize(key), slot)
    return slot
  }

  /** Removes a key (with the slot `find` or `insert` gave for it). */
  remove(key: string, slot: number): void {
    this.#map.delete(key)
    this.#flags[slot] = 0
    this.#values.delete(slot)
    this.#free.push(slot)
  }

  /** The kind stored in a slot. */
  kind(slot: number): number {
    return (this.#flags[slot] as number) & KIND
  }

  /** Changes a slot's kind; the slot stays referenced, and is unpinned. */
  setKind(slot: number, kind: number): void {
    this.#flags[slot] = ((this.#flags[slot] as number) & REFERENCED) | kind
  }

  /** Pins a slot (eviction passes it over) or unpins it. */
  pin(slot: number, pinned: boolean): void {
    const flags = this.#flags[slot] as number
    this.#flags[slot] = pinned ? flags | PINNED : flags & ~PINNED
  }

  /** The string value of a slot, if it holds one. */
  value(slot: number): string | undefined {
    return this.#values.get(slot)
  }

  /** Stores a slot's string value. */
  setValue(slot: number, value: string): void {
    this.#values.set(slot, value)
  }

  /** Removes every key; the table stays usable. */
  clear(): void {
    this.#map.clear()
    this.#values.clear()
    this.#free.length = 0
    this.#used = 0
    this.#flags.fill(0)
    this.#hand = undefined
    this.#clock = undefined
  }

  /** A never-used slot, growing the columns when they are full. */
  #grow(): number {
    const slot = this.#used++
    if (slot >= this.#flags.length) {
      const size = Math.min(this.maxKeys, this.#flags.length * 2)
      this.#flags = resized(this.#flags, new Uint8Array(size))
      this.expiresAt = resized(this.expiresAt, new Float64Array(size))
      this.a = resized(this.a, new Float64Array(size))
      this.b = resized(this.b, new Float64Array(size))
      this.c = resized(this.c, new Float64Array(size))
    }
    return slot
  }

  /** Makes room for one key: expired first, then CLOCK order, then (loudly) a pinned key. */
  #evict(now: number): void {
    let oldestPinned: string | undefined
    let oldestUsed: string | undefined
    for (let i = 0; i < EVICTION_SCAN; i++) {
      const key = this.#nextForEviction()
      if (key === undefined) break
      const slot = this.#map.get(key) as number
      const flags = this.#flags[slot] as number
      if ((this.expiresAt[slot] as number) <= now) {
        this.remove(key, slot)
        return
      }
      if ((flags & (PINNED | REFERENCED)) === 0) {
        this.#hooks.onEvict?.()
        this.remove(key, slot)
        return
      }
      // Second chance: to the back of the line, and no longer "recently used".
      if ((flags & PINNED) !== 0) oldestPinned ??= key
      else oldestUsed ??= key
      this.#flags[slot] = flags & ~REFERENCED
      this.#map.delete(key)
      this.#map.set(key, slot)
    }
    if (oldestUsed !== undefined) {
      this.#hooks.onEvict?.()
      this.remove(oldestUsed, this.#map.get(oldestUsed) as number)
    } else if (oldestPinned !== undefined) {
      this.#hooks.onEvictPinned?.()
      this.remove(oldestPinned, this.#map.get(oldestPinned) as number)
    }
  }

  /** The key under CLOCK's hand, moving it on; wraps around at the end. */
  #nextForEviction(): string | undefined {
    for (let attempt = 0; attempt < 2; attempt++) {
      this.#clock ??= this.#map.keys()
      const step = this.#clock.next()
      if (step.done !== true) return step.value
      this.#clock = undefined
    }
    return undefined
  }

  /** Checks a couple of keys at the cursor and drops the expired ones. */
  #sweep(now: number): void {
    for (let i = 0; i < SWEEP_STEPS; i++) {
      if (this.#hand === undefined) {
        if (this.#map.size === 0) return
        this.#hand = this.#map.keys()
      }
      const step = this.#hand.next()
      if (step.done === true) {
        this.#hand = undefined
        return
      }
      const slot = this.#map.get(step.value)
      if (slot !== undefined && (this.expiresAt[slot] as number) <= now) {
        this.remove(step.value, slot)
      }
    }
  }
}

function resized<T extends Uint8Array | Float64Array>(from: T, to: T): T {
  to.set(from)
  return to
}
