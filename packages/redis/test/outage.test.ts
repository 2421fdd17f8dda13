/**
 * Redis going away mid-run, through an in-process TCP proxy in front of the real Redis: a
 * partition (no answers) rejects with `StoreTimeoutError` at the timeout; Redis down rejects at
 * once with the client's error (clients configured to fail fast, as the README recommends);
 * `fallbackStore` turns either into open, closed or fallback behaviour; and once Redis is back
 * the same store and client work again, with nothing replayed or counted twice.
 */
import {
  type FallbackStore,
  fallbackStore,
  type RampartStore,
  type SecurityEvent,
  StoreTimeoutError,
  StoreUnavailableError,
} from '@rampart/core'
import type { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RedisStore, redisStore } from '../src/index.js'
import {
  deleteKeys,
  ioredis,
  type NodeRedisClient,
  nodeRedis,
  REDIS_URL,
  uniquePrefix,
} from './helpers.js'
import { type TcpProxy, tcpProxy } from './tcp-proxy.js'

const TIMEOUT = 200
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Waits until `condition` holds (bounded by the test's own timeout, not by a threshold). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(5)
}

interface Harness {
  readonly prefix: string
  readonly proxy: TcpProxy
  readonly store: RedisStore
  /** Another store on the same client, its keys under `prefix + label`. */
  readonly another: (label: string) => RedisStore
  readonly ready: () => boolean
  readonly quit: () => Promise<unknown>
}

/** Clients through the proxy, with the fail-fast settings the README recommends. */
const clients: {
  name: string
  connect: (
    url: string,
  ) => Promise<
    Omit<Harness, 'prefix' | 'proxy' | 'store' | 'another'> & { client: Redis | NodeRedisClient }
  >
}[] = [
  {
    name: 'ioredis',
    connect: async (url) => {
      const client = await ioredis(url, {
        maxRetriesPerRequest: 0,
        enableOfflineQueue: false,
        autoResendUnfulfilledCommands: false,
        retryStrategy: () => 25,
      })
      return { client, ready: () => client.status === 'ready', quit: () => client.quit() }
    },
  },
  {
    name: 'node-redis',
    connect: async (url) => {
      const client = await nodeRedis(url, {
        disableOfflineQueue: true,
        socket: { reconnectStrategy: () => 25 },
      })
      return { client, ready: () => client.isReady, quit: () => client.close() }
    },
  },
]

/** One call of every primitive. */
const everyPrimitive = (store: RampartStore): Promise<unknown>[] => [
  store.consume([
    { key: 'b', algorithm: 'block' },
    { key: 'c', algorithm: 'fixed-window', window: 60_000 },
  ]),
  store.hit('k', { window: 60_000 }),
  store.slidingHit('s', { window: 60_000, limit: 5 }),
  store.take('t', { algorithm: 'gcra', burst: 5, emissionInterval: 1_000 }),
  store.setIfAbsent('n', 'v', 60_000),
  store.set('v', 'v', 60_000),
  store.get('v'),
  store.increment('i', 1, 60_000),
  store.delete('v'),
]

let cleanup: Redis

beforeAll(async () => {
  cleanup = await ioredis()
})
afterAll(async () => {
  await cleanup.quit()
})

describe.each(clients)('Redis going away, through $name', ({ name, connect }) => {
  let h: Harness
  const events: SecurityEvent[] = []
  const wrappers = {} as Record<'open' | 'closed' | 'fallback', FallbackStore>

  beforeAll(async () => {
    const prefix = uniquePrefix(`outage-${name}`)
    const proxy = await tcpProxy(REDIS_URL)
    const { client, ready, quit } = await connect(proxy.url)
    const another = (label: string) =>
      redisStore({ client: client as Redis, prefix: `${prefix}${label}:`, timeout: TIMEOUT })
    h = { prefix, proxy, store: another('direct'), another, ready, quit }
    for (const mode of ['open', 'closed', 'fallback'] as const) {
      // Each wrapper owns (and would close) its primary: one store each, on the shared client.
      wrappers[mode] = fallbackStore({
        primary: another(mode),
        onFailure: mode,
        timeout: TIMEOUT,
        probeInterval: 1,
        onEvent: (event) => events.push(event),
        name: mode,
      })
    }
  })
  afterAll(async () => {
    await h.proxy.start().catch(() => {})
    await until(h.ready)
    await h.quit()
    await h.proxy.stop()
    await deleteKeys(cleanup, h.prefix)
  })

  it('works through the proxy', async () => {
    expect((await h.store.hit('k', { window: 60_000 })).count).toBe(1)
    for (const wrapper of Object.values(wrappers)) {
      expect((await wrapper.hit('w', { window: 60_000 })).allowed).toBe(true)
    }
  })

  it('rejects with StoreTimeoutError when Redis stops answering (a partition)', async () => {
    h.proxy.blackhole()
    const results = await Promise.allSettled([
      ...everyPrimitive(h.store),
      ...Array.from({ length: 20 }, () => h.store.hit('k', { window: 60_000 })),
    ])
    for (const result of results) {
      expect(result.status).toBe('rejected')
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(StoreTimeoutError)
    }
  })

  it('rejects every primitive at once, with the client error, while Redis is down', async () => {
    await h.proxy.stop()
    await until(() => !h.ready())
    const results = await Promise.allSettled(everyPrimitive(h.store))
    for (const result of results) {
      expect(result.status).toBe('rejected')
      const reason = (result as PromiseRejectedResult).reason
      // Fail fast: the client refuses, the store's timeout is not what ends the wait.
      expect(reason).toBeInstanceOf(Error)
      expect(reason).not.toBeInstanceOf(StoreTimeoutError)
    }
  })

  it("fails open with onFailure: 'open'", async () => {
    const store = wrappers.open
    expect(await store.hit('w', { window: 60_000, limit: 10 })).toMatchObject({
      allowed: true,
      count: 0,
      remaining: 10,
    })
    expect(
      await store.take('t', { algorithm: 'token-bucket', capacity: 3, refillPerMs: 1 }),
    ).toMatchObject({
      allowed: true,
      remaining: 3,
    })
    expect(await store.setIfAbsent('n', 'v', 1_000)).toBe(true)
    expect(store.degraded).toBe(true)
  })

  it("fails closed with onFailure: 'closed'", async () => {
    const error = await wrappers.closed.hit('w', { window: 60_000 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StoreUnavailableError)
    expect((error as StoreUnavailableError).cause).toBeInstanceOf(Error)
    await expect(wrappers.closed.get('v')).rejects.toBeInstanceOf(StoreUnavailableError)
  })

  it("keeps counting in memory with onFailure: 'fallback'", async () => {
    const store = wrappers.fallback
    expect((await store.hit('w', { window: 60_000, limit: 2 })).count).toBe(1)
    expect((await store.hit('w', { window: 60_000, limit: 2 })).count).toBe(2)
    expect((await store.hit('w', { window: 60_000, limit: 2 })).allowed).toBe(false)
    expect(
      events
        .filter((e) => e.type === 'store.failover')
        .map((e) => e.source)
        .sort(),
    ).toEqual(['closed', 'fallback', 'open'])
  })

  it('recovers once Redis is back, having replayed and double-counted nothing', async () => {
    await h.proxy.start()
    await until(h.ready)
    // One hit before the outage; none of the 21 partitioned or refused ones reached Redis.
    expect((await h.store.hit('k', { window: 60_000 })).count).toBe(2)
    for (const p of everyPrimitive(h.store)) await p
    for (const wrapper of Object.values(wrappers)) {
      // The next call probes the primary, succeeds, and switches back.
      expect((await wrapper.hit('w', { window: 60_000, limit: 100 })).count).toBe(2)
      expect(wrapper.degraded).toBe(false)
    }
    expect(events.filter((e) => e.type === 'store.recovered')).toHaveLength(3)
  })
})
