/**
 * The store contract of `@rampart/core/testing`, against the real Redis at `REDIS_URL`, through
 * both clients, on the server's clock (no manual clock: the time-dependent cases sleep).
 */
import { runStoreSuite } from '@rampart/core/testing'
import type { Redis } from 'ioredis'
import { afterAll, beforeAll } from 'vitest'
import { redisStore } from '../src/index.js'
import { deleteKeys, ioredis, type NodeRedisClient, nodeRedis, uniquePrefix } from './helpers.js'

const prefix = uniquePrefix('suite')
let io: Redis
let node: NodeRedisClient

beforeAll(async () => {
  ;[io, node] = await Promise.all([ioredis(), nodeRedis()])
})

afterAll(async () => {
  await deleteKeys(io, prefix)
  await Promise.all([io.quit(), node.close()])
})

runStoreSuite('redis (ioredis)', () => redisStore({ client: io, prefix: `${prefix}io:` }))
runStoreSuite('redis (node-redis)', () =>
  redisStore({ client: node, prefix: `${prefix}node:`, name: 'redis-node' }),
)
