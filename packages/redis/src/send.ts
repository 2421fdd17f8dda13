/**
 * The seam between the store and a Redis client: one function that sends one command. The
 * store never imports a client; it recognises the common ones by shape and adapts their
 * command method to {@link Sender}.
 * @module
 */

/**
 * Sends one Redis command and resolves with its raw reply (strings, integers, arrays, `null`),
 * or rejects with the server's error. `args` is the command and its arguments, e.g.
 * `['EVALSHA', sha, '1', key, ...]`: the store only sends `EVALSHA` and `EVAL`, whose first key
 * is always `args[3]`. Whatever `send` resolves with is the reply; it must not retry on errors
 * (the store retries a `NOSCRIPT` itself, and nothing else, so nothing is counted twice).
 * @example
 * // ioredis
 * const send: RedisSend = (args) => client.call(args[0] as string, ...args.slice(1))
 * // node-redis cluster: route by the first key
 * const send: RedisSend = (args) => cluster.sendCommand(args[3], false, args)
 */
export type RedisSend = (args: string[]) => Promise<unknown>

/** An ioredis client or Cluster (v5 and v6): anything with ioredis' `call(command, ...args)`. */
export interface IoRedisLike {
  call(command: string, ...args: string[]): Promise<unknown>
}

/** A node-redis v4/v5 client or client pool: `sendCommand(args)`. */
export interface NodeRedisClientLike {
  sendCommand(args: string[]): Promise<unknown>
}

/**
 * A node-redis v4/v5 cluster (`createCluster`): `sendCommand(firstKey, isReadonly, args)`,
 * recognised by its `getSlotMaster` method.
 */
export interface NodeRedisClusterLike {
  sendCommand(
    firstKey: string | undefined,
    isReadonly: boolean | undefined,
    args: string[],
  ): unknown
  getSlotMaster(slot: number): unknown
}

/**
 * A node-redis v5 sentinel (`createSentinel`): `sendCommand(isReadonly, args)`, recognised by its
 * `getSentinelNode` method.
 */
export interface NodeRedisSentinelLike {
  sendCommand(isReadonly: boolean | undefined, args: string[]): unknown
  getSentinelNode(): unknown
}

/** Any client {@link redisStore} accepts as `client`. */
export type RedisClientLike =
  | IoRedisLike
  | NodeRedisClientLike
  | NodeRedisClusterLike
  | NodeRedisSentinelLike

/** How the store sends: the command, and its first key for clients that route by key. */
export type Sender = (args: string[], firstKey: string) => Promise<unknown>

type Loose = Record<string, unknown> & {
  call?: (...args: string[]) => unknown
  sendCommand?: (...args: unknown[]) => unknown
}

/** Which kind of client `value` is, or `undefined` when it is none the store knows. */
export function clientKind(
  value: unknown,
): 'ioredis' | 'node-redis' | 'node-redis-cluster' | 'node-redis-sentinel' | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const client = value as Loose
  // ioredis first: its clients have a `sendCommand(command: Command)` too, of another shape.
  if (typeof client.call === 'function') return 'ioredis'
  if (typeof client.sendCommand !== 'function') return undefined
  if (typeof client.getSlotMaster === 'function') return 'node-redis-cluster'
  if (typeof client.getSentinelNode === 'function') return 'node-redis-sentinel'
  return 'node-redis'
}

/** True for a client {@link clientKind} recognises. */
export function isRedisClient(value: unknown): value is RedisClientLike {
  return clientKind(value) !== undefined
}

/**
 * Adapts a client to a {@link Sender}. The client's method is looked up on every call (not
 * captured), so wrappers and instrumentation added later still see the commands.
 */
export function clientSender(client: RedisClientLike): Sender {
  const c = client as unknown as Loose
  switch (clientKind(client)) {
    case 'ioredis':
      return (args) => Reflect.apply(c.call as (...a: string[]) => Promise<unknown>, c, args)
    case 'node-redis-cluster':
      // Scripts write, so they go to the master that owns the first key's slot.
      return (args, firstKey) => Promise.resolve(c.sendCommand?.(firstKey, false, args))
    case 'node-redis-sentinel':
      return (args) => Promise.resolve(c.sendCommand?.(false, args))
    default:
      return (args) => Promise.resolve(c.sendCommand?.(args))
  }
}

/** Adapts a {@link RedisSend} function to a {@link Sender}. */
export function sendSender(send: RedisSend): Sender {
  return (args) => send(args)
}
