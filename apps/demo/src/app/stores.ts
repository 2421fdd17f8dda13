/**
 * Where limits, lockouts and signature nonces live: one in-process memory store by default, one
 * Redis connection when `REDIS_URL` is set, so that every instance of `pnpm demo:cluster` counts
 * against the same numbers.
 * @module
 */
import { memoryStore, type RampartStore } from '@rampart/core'
import { redisStore } from '@rampart/redis'
import { Redis } from 'ioredis'

/** The demo's store, what backs it, and how to let it go. */
export interface DemoStores {
  readonly store: RampartStore
  readonly kind: 'memory' | 'redis'
  close(): Promise<void>
}

/** Opens the store: Redis at `redisUrl` (failing fast when none answers), memory without. */
export async function openStores(
  redisUrl: string | undefined,
  prefix: string,
): Promise<DemoStores> {
  if (redisUrl === undefined) {
    const store = memoryStore()
    return { store, kind: 'memory', close: async () => store.close?.() }
  }
  const client = new Redis(redisUrl, {
    lazyConnect: true,
    // Never resend a command after a reconnect, and fail at once while disconnected: the guards
    // then answer per their store-failure policy instead of hanging.
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: 2_000,
  })
  client.on('error', () => {}) // reported through the guards' store events, not as a crash
  try {
    await client.connect()
  } catch (error) {
    client.disconnect()
    throw new Error(`REDIS_URL is set but Redis does not answer at ${redisUrl}`, { cause: error })
  }
  const store = redisStore({ client, prefix })
  return {
    store,
    kind: 'redis',
    close: async () => {
      await store.close()
      await client.quit().catch(() => client.disconnect())
    },
  }
}
