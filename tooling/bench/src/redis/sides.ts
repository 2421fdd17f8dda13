/**
 * The Redis-backed limiters the Redis benchmark compares, each on its own ioredis connection to
 * the same server, built the way its users build it and checked the way its middleware checks a
 * request:
 *
 * - ours: `rateLimit({ limit, window, algorithm: 'fixed-window', store: redisStore({ client }) })`
 *   from `@rampart/rate-limiter` and `@rampart/redis`, `consume(key)`: one Lua script (block gate
 *   and policy in one round trip). The limiter wraps a shared store in its default failure
 *   handling (`onStoreFailure: 'fallback'`, 500 ms timeout), as it does for every user;
 * - rate-limit-redis (express-rate-limit's Redis store):
 *   `RedisStore({ sendCommand: (...args) => client.call(...args) })`, `init({ windowMs })`, then
 *   `increment(key)` (one `EVALSHA`); its middleware refuses above the limit;
 * - rate-limiter-flexible's `RateLimiterRedis({ storeClient: client, points, duration })`,
 *   `consume(key)` (one script through an ioredis custom command; rejects when refused).
 *
 * All three count in fixed windows.
 * @module
 */

import { rateLimit } from '@rampart/rate-limiter'
import { redisStore } from '@rampart/redis'
import type { Options as ErlOptions } from 'express-rate-limit'
import type { Redis } from 'ioredis'
import { RedisStore, type SendCommandFn } from 'rate-limit-redis'
import { RateLimiterRedis } from 'rate-limiter-flexible'
import { anchorName } from '../micro.js'

/** The policy every side is given. */
export interface RedisLimitConfig {
  /** Requests admitted per window. */
  readonly limit: number
  /** Window in ms, a whole number of seconds (rate-limiter-flexible counts in seconds). */
  readonly windowMs: number
  /** Prepended to every key this side writes: fresh for each measurement. */
  readonly prefix: string
}

/** One limiter on one connection. */
export interface RedisSide {
  /** One check for `key`: the call the library's middleware makes per request. */
  readonly check: (key: string) => Promise<unknown>
}

/** A side's name, label and factory. */
export interface RedisSideDefinition {
  readonly label: string
  readonly create: (client: Redis, config: RedisLimitConfig) => Promise<RedisSide>
}

export const REDIS_SIDES = {
  ours: {
    label: '@rampart/rate-limiter + @rampart/redis `consume()`',
    create: async (client, config) => {
      const limiter = rateLimit({
        limit: config.limit,
        window: config.windowMs,
        algorithm: 'fixed-window',
        store: redisStore({ client, prefix: config.prefix }),
      })
      return { check: (key) => limiter.consume(key) }
    },
  },
  'rate-limit-redis': {
    label: `${anchorName('rate-limit-redis')} \`increment()\``,
    create: async (client, config) => {
      const store = new RedisStore({
        // Its documented ioredis recipe.
        sendCommand: ((command: string, ...args: string[]) =>
          client.call(command, ...args)) as SendCommandFn,
        prefix: config.prefix,
      })
      // The middleware passes its whole configuration; the store reads only `windowMs`.
      await store.init({ windowMs: config.windowMs } as ErlOptions)
      return { check: (key) => store.increment(key) }
    },
  },
  'rate-limiter-flexible': {
    label: `${anchorName('rate-limiter-flexible')} \`RateLimiterRedis.consume()\``,
    create: async (client, config) => {
      const limiter = new RateLimiterRedis({
        storeClient: client,
        points: config.limit,
        duration: config.windowMs / 1000,
        keyPrefix: config.prefix,
      })
      return { check: (key) => limiter.consume(key) }
    },
  },
} as const satisfies Record<string, RedisSideDefinition>

export type RedisSideName = keyof typeof REDIS_SIDES

/** The sides in table order: ours first. */
export const REDIS_SIDE_NAMES = Object.keys(REDIS_SIDES) as RedisSideName[]
