/**
 * `@rampart/redis`: a Redis-backed `RampartStore` for ioredis, node-redis or any function that
 * sends one command. Every primitive is one atomic Lua script on the server's clock.
 * @packageDocumentation
 */
export {
  REDIS_CONFIG_ERROR,
  type RedisStore,
  type RedisStoreOptions,
  redisStore,
} from './redis-store.js'
export type {
  IoRedisLike,
  NodeRedisClientLike,
  NodeRedisClusterLike,
  NodeRedisSentinelLike,
  RedisClientLike,
  RedisSend,
} from './send.js'
