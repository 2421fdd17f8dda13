/**
 * Shared test plumbing: connections to the real Redis at `REDIS_URL`, unique key prefixes, a
 * seeded PRNG, and key cleanup.
 */
import { randomUUID } from 'node:crypto'
import { Redis, type RedisOptions } from 'ioredis'
import { createClient, type RedisClientOptions } from 'redis'

/** The Redis the integration tests use. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

/** A prefix no other run (or test file) shares. */
export function uniquePrefix(label: string): string {
  return `rampart-redis-test:${label}:${randomUUID()}:`
}

/** A connected ioredis client; resolves once it is ready. */
export async function ioredis(url = REDIS_URL, options: RedisOptions = {}): Promise<Redis> {
  const client = new Redis(url, { lazyConnect: true, ...options })
  client.on('error', () => {})
  await client.connect()
  return client
}

/** A connected node-redis client. */
export async function nodeRedis(url = REDIS_URL, options: RedisClientOptions = {}) {
  const client = createClient({ url, ...options })
  client.on('error', () => {})
  await client.connect()
  return client
}

/** The node-redis client type the tests use. */
export type NodeRedisClient = Awaited<ReturnType<typeof nodeRedis>>

/** Deletes every key under `prefix` (keys expire anyway; this keeps the test Redis tidy). */
export async function deleteKeys(client: Redis, prefix: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
    cursor = next
    if (keys.length > 0) await client.del(...keys)
  } while (cursor !== '0')
}

/** Mulberry32: a small seeded PRNG, so random sequences replay exactly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}
