/**
 * A real store whose backend can be switched off: a memory store behind a `down` switch, shared
 * like Redis. While down every call rejects, as a client whose connection dropped does.
 * @module
 */
import {
  type ConsumeRequest,
  type HitOptions,
  type MemoryStoreOptions,
  memoryStore,
  type RampartStore,
  type SlidingHitOptions,
  type TakeOptions,
} from '@rampart/core'

/** A switchable shared store, and how many calls reached it. */
export interface SwitchableStore extends RampartStore {
  /** While true every call rejects with `Error('connection lost')`. */
  down: boolean
  /** While true every call hangs (never settles), to exercise timeouts. */
  hang: boolean
  /** Calls made, failing ones included. */
  calls: number
  /** Keys of every `consume` batch, in order. */
  readonly consumed: string[]
}

/** Options of {@link switchableStore}. */
export interface SwitchableStoreOptions extends MemoryStoreOptions {
  /** Whether it claims to be shared between instances (as Redis is). Default `true`. */
  readonly shared?: boolean
}

/** Creates a switchable store over a memory store. */
export function switchableStore(options: SwitchableStoreOptions = {}): SwitchableStore {
  const { shared = true, ...memory } = options
  const inner = memoryStore(memory)
  const consumed: string[] = []
  const store: SwitchableStore = {
    name: 'switchable',
    kind: 'switchable',
    shared,
    down: false,
    hang: false,
    calls: 0,
    consumed,
    consume: (requests: readonly ConsumeRequest[]) =>
      guard(() => {
        for (const r of requests) consumed.push(r.key)
        return inner.consume(requests)
      }),
    hit: (key: string, o: HitOptions) => guard(() => inner.hit(key, o)),
    slidingHit: (key: string, o: SlidingHitOptions) => guard(() => inner.slidingHit(key, o)),
    take: (key: string, o: TakeOptions) => guard(() => inner.take(key, o)),
    setIfAbsent: (key: string, v: string, ttl: number) =>
      guard(() => inner.setIfAbsent(key, v, ttl)),
    set: (key: string, v: string, ttl: number) => guard(() => inner.set(key, v, ttl)),
    get: (key: string) => guard(() => inner.get(key)),
    increment: (key: string, by: number, ttl: number) => guard(() => inner.increment(key, by, ttl)),
    delete: (key: string) => guard(() => inner.delete(key)),
    close: () => inner.close(),
  }
  function guard<T>(call: () => Promise<T>): Promise<T> {
    store.calls++
    if (store.hang) return new Promise<T>(() => {})
    if (store.down) return Promise.reject(new Error('connection lost'))
    return call()
  }
  return store
}
