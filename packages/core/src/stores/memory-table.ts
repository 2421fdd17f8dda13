/**
 * The memory store's table: a `Map` for lookup plus an intrusive doubly linked list in
 * least-recently-used order. Bounded (the least recently used entry is evicted, and its object
 * reused, when full), expired lazily on access, and swept incrementally — a cursor checks a
 * couple of entries per operation — so there is no timer at all, let alone one per key.
 * @module
 */

/** Entries a single operation's sweep step inspects: enough to outpace one insert per call. */
const SWEEP_STEPS = 2

/** One key's state. Fields are generic numbers so every kind shares one hidden class. */
export class Entry {
  /** The key, needed to delete the map slot on eviction. */
  key = ''
  /** What the entry holds (the memory store's kind constants). */
  kind = 0
  /** Expiry (ms epoch): the entry is gone at and after this instant. */
  expiresAt = 0
  /** Numeric state, meaning per kind (see `algorithms.ts`). */
  a = 0
  b = 0
  c = 0
  /** String value of `set`/`setIfAbsent` entries. */
  value: string | undefined = undefined
  /** Neighbour towards the least recently used end. */
  prev: Entry | undefined = undefined
  /** Neighbour towards the most recently used end. */
  next: Entry | undefined = undefined
}

/** A bounded LRU table of {@link Entry} with lazy and incremental expiry. */
export class EntryTable {
  private readonly map = new Map<string, Entry>()
  /** Least recently used. */
  private head: Entry | undefined = undefined
  /** Most recently used. */
  private tail: Entry | undefined = undefined
  /** Sweep cursor; `undefined` restarts at `head`. */
  private hand: Entry | undefined = undefined
  /** Called when a live (unexpired) entry is evicted to make room. */
  private readonly onEvict: (() => void) | undefined

  /**
   * @param maxKeys most entries held at once.
   * @param onEvict called whenever a live entry is evicted to make room.
   */
  constructor(
    readonly maxKeys: number,
    onEvict?: () => void,
  ) {
    this.onEvict = onEvict
  }

  /** Entries held, including expired ones not yet swept. */
  get size(): number {
    return this.map.size
  }

  /**
   * The live entry for `key`, marked most recently used, or `undefined`. Expired entries are
   * removed on sight, and each call advances the sweep a little.
   */
  find(key: string, now: number): Entry | undefined {
    this.sweep(now)
    const entry = this.map.get(key)
    if (entry === undefined) return undefined
    if (entry.expiresAt <= now) {
      this.remove(entry)
      return undefined
    }
    if (entry !== this.tail) {
      this.unlink(entry)
      this.append(entry)
    }
    return entry
  }

  /**
   * Adds an entry for `key`, which must be absent, as most recently used. When the table is
   * full the least recently used entry makes room and its object is reused. The caller sets
   * the entry's kind, state and expiry.
   */
  insert(key: string, now: number): Entry {
    let entry: Entry
    const oldest = this.head
    if (this.map.size >= this.maxKeys && oldest !== undefined) {
      if (oldest.expiresAt > now) this.onEvict?.()
      this.remove(oldest)
      entry = oldest
      entry.value = undefined
    } else {
      entry = new Entry()
    }
    entry.key = key
    this.map.set(key, entry)
    this.append(entry)
    return entry
  }

  /** Removes an entry from the table. */
  remove(entry: Entry): void {
    this.unlink(entry)
    this.map.delete(entry.key)
  }

  /** Removes every entry. */
  clear(): void {
    this.map.clear()
    this.head = undefined
    this.tail = undefined
    this.hand = undefined
  }

  /** Checks a couple of entries at the cursor and drops the expired ones. */
  private sweep(now: number): void {
    for (let i = 0; i < SWEEP_STEPS; i++) {
      const entry = this.hand ?? this.head
      if (entry === undefined) return
      this.hand = entry.next
      if (entry.expiresAt <= now) this.remove(entry)
    }
  }

  private append(entry: Entry): void {
    entry.prev = this.tail
    entry.next = undefined
    if (this.tail === undefined) this.head = entry
    else this.tail.next = entry
    this.tail = entry
  }

  private unlink(entry: Entry): void {
    // Keep the sweep cursor on the list: moving or removing its entry must not skip the rest.
    if (this.hand === entry) this.hand = entry.next
    const { prev, next } = entry
    if (prev === undefined) this.head = next
    else prev.next = next
    if (next === undefined) this.tail = prev
    else next.prev = prev
    entry.prev = undefined
    entry.next = undefined
  }
}
