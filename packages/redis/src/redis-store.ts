/**
 * The Redis store: every primitive one Lua script, sent with `EVALSHA` (one round trip), on the
 * server's clock, through a one-function seam to whichever client the app already has.
 * @module
 */
import {
  type ConsumeRequest,
  type ConsumeResult,
  type Duration,
  durationSchema,
  functionSchema,
  type HitOptions,
  parseOptions,
  type RampartStore,
  type RateResult,
  type SlidingHitOptions,
  type TakeOptions,
  z,
} from '@rampart/core'
import {
  assertCost,
  assertDistinctKeys,
  assertPositive,
  assertWindowPolicy,
  ttlMs,
  withTimeout,
} from '@rampart/core/store-kit'
import { consumeResult, integer, rateResult, text } from './reply.js'
import { SCRIPTS, type Script } from './scripts.js'
import {
  clientSender,
  isRedisClient,
  type RedisClientLike,
  type RedisSend,
  type Sender,
  sendSender,
} from './send.js'

/** Error code of the `RampartConfigError` that {@link redisStore} throws for invalid options. */
export const REDIS_CONFIG_ERROR = 'ERR_RAMPART_REDIS_CONFIG'

/** Options of {@link redisStore}. Give exactly one of `client` and `send`. */
export interface RedisStoreOptions {
  /**
   * A connected client the app owns: an ioredis `Redis` or `Cluster`, or a node-redis client,
   * cluster or sentinel. The store sends through it and never closes it. Configure it to fail
   * fast while disconnected (see the README): ioredis `maxRetriesPerRequest: 0` and
   * `enableOfflineQueue: false`; node-redis `disableOfflineQueue: true`.
   */
  readonly client?: RedisClientLike
  /** Instead of `client`: a function that sends one command (see {@link RedisSend}). */
  readonly send?: RedisSend
  /**
   * Prepended to every key, e.g. `'rampart:'`. Default `''`. On Redis Cluster keep hash tags
   * (`{…}`) out of it: a tag in the prefix would put every key in one slot.
   */
  readonly prefix?: string
  /**
   * Longest wait for one operation (its command, and the reload of a flushed script); past it
   * the operation rejects with a `StoreTimeoutError`, though Redis may still run it. Default
   * 500 ms; at most 2,147,483,647 ms (a timer's limit).
   */
  readonly timeout?: Duration
  /** Name used in events and errors. Default `'redis'`. */
  readonly name?: string
}

/** A {@link RampartStore} backed by Redis: shared by every instance that uses the same Redis. */
export interface RedisStore extends RampartStore {
  readonly kind: 'redis'
  readonly shared: true
  /** The configured key prefix. */
  readonly prefix: string
  /** The configured per-operation timeout, in ms. */
  readonly timeout: number
  /**
   * Makes the store unusable: later calls reject. Does not close or quit the client you passed
   * in (you own it: close it yourself), and does not wait for calls already sent.
   */
  close(): Promise<void>
}

/** `setTimeout`'s largest delay: longer ones fire at once. */
const MAX_TIMER_MS = 2_147_483_647

const optionsSchema = z
  .strictObject({
    client: z
      .custom<RedisClientLike>(
        isRedisClient,
        'expected an ioredis client or Cluster (with a call method), or a node-redis client, ' +
          'cluster or sentinel (with a sendCommand method)',
      )
      .optional(),
    send: functionSchema<RedisSend>('(args: string[]) => Promise<unknown>').optional(),
    prefix: z.string().default(''),
    timeout: durationSchema({ min: 1, max: MAX_TIMER_MS }).default(500),
    name: z.string().min(1, 'must be a non-empty string').default('redis'),
  })
  .superRefine((o, ctx) => {
    if (o.client === undefined && o.send === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message:
          'give client (an ioredis or node-redis client) or send (a function that sends one ' +
          'command); neither was given',
      })
    } else if (o.client !== undefined && o.send !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['send'],
        message: 'give client or send, not both: send replaces client',
      })
    }
  })

/**
 * Creates a store backed by Redis. Every primitive is one Lua script run with `EVALSHA` — one
 * command, one round trip — that reads the server's clock (`TIME`), so instances with skewed
 * clocks agree, and gives every key it writes a TTL. A script Redis has forgotten (restart,
 * `SCRIPT FLUSH`, failover) is sent again with `EVAL` once; no other error is retried, so nothing
 * is counted twice. A batch's keys must share a hash slot on Redis Cluster (use a `{tag}`).
 * @throws RampartConfigError (code `ERR_RAMPART_REDIS_CONFIG`) when options are invalid.
 * @example
 * import { Redis } from 'ioredis'
 * const client = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 0, enableOfflineQueue: false })
 * const store = redisStore({ client, prefix: 'rampart:' })
 */
export function redisStore(options: RedisStoreOptions): RedisStore {
  const o = parseOptions(
    '@rampart/redis redisStore',
    optionsSchema,
    options ?? {},
    REDIS_CONFIG_ERROR,
  )
  const sender =
    o.send !== undefined ? sendSender(o.send) : clientSender(o.client as RedisClientLike)
  return new RedisBackedStore(sender, o.name, o.prefix, o.timeout)
}

/** The message of the `TypeError` for a key used with two kinds of primitive. */
const WRONG_KIND = 'redis store: the key holds another kind of state'

/** Per-policy script arguments: kind, two parameters, cost. */
const ARGS_PER_POLICY = 4

class RedisBackedStore implements RedisStore {
  readonly kind = 'redis'
  readonly shared = true
  private closed = false

  constructor(
    private readonly sender: Sender,
    readonly name: string,
    readonly prefix: string,
    readonly timeout: number,
  ) {}

  async consume(requests: readonly ConsumeRequest[]): Promise<ConsumeResult> {
    this.assertOpen()
    const n = requests.length
    if (n === 0) return { allowed: true, retryAfter: 0, results: [] }
    if (n > 1) assertDistinctKeys(requests)
    const script = SCRIPTS.consume
    const args: string[] = new Array(3 + n * (1 + ARGS_PER_POLICY))
    args[0] = 'EVALSHA'
    args[1] = script.sha
    args[2] = String(n)
    for (let i = 0; i < n; i++) {
      const request = requests[i] as ConsumeRequest
      args[3 + i] = this.prefix + request.key
      encode(args, 3 + n + i * ARGS_PER_POLICY, request)
    }
    return consumeResult(await this.run(script, args), n)
  }

  async hit(key: string, options: HitOptions): Promise<RateResult> {
    this.assertOpen()
    const args = this.single(key)
    windowArgs(
      args,
      4,
      'f',
      options.window,
      options.limit ?? Number.POSITIVE_INFINITY,
      options.cost ?? 1,
    )
    return rateResult(await this.run(SCRIPTS.consume, args))
  }

  async slidingHit(key: string, options: SlidingHitOptions): Promise<RateResult> {
    this.assertOpen()
    const args = this.single(key)
    windowArgs(args, 4, 's', options.window, options.limit, options.cost ?? 1)
    return rateResult(await this.run(SCRIPTS.consume, args))
  }

  async take(key: string, options: TakeOptions): Promise<RateResult> {
    this.assertOpen()
    const args = this.single(key)
    take(args, 4, options)
    return rateResult(await this.run(SCRIPTS.consume, args))
  }

  async setIfAbsent(key: string, value: string, ttl: number): Promise<boolean> {
    this.assertOpen()
    const script = SCRIPTS.setIfAbsent
    const args = ['EVALSHA', script.sha, '1', this.prefix + key, value, String(ttlMs(ttl))]
    return integer(await this.run(script, args)) === 1
  }

  async set(key: string, value: string, ttl: number): Promise<void> {
    this.assertOpen()
    const script = SCRIPTS.set
    await this.run(script, [
      'EVALSHA',
      script.sha,
      '1',
      this.prefix + key,
      value,
      String(ttlMs(ttl)),
    ])
  }

  async get(key: string): Promise<string | undefined> {
    this.assertOpen()
    const script = SCRIPTS.get
    const reply = await this.run(script, ['EVALSHA', script.sha, '1', this.prefix + key])
    return reply === null || reply === undefined ? undefined : text(reply)
  }

  async increment(key: string, by: number, ttl: number): Promise<number> {
    this.assertOpen()
    if (!Number.isSafeInteger(by)) {
      throw new RangeError(`increment: by must be a safe integer, received ${by}`)
    }
    const script = SCRIPTS.increment
    const args = ['EVALSHA', script.sha, '1', this.prefix + key, String(by), String(ttlMs(ttl))]
    return integer(await this.run(script, args))
  }

  async delete(key: string): Promise<boolean> {
    this.assertOpen()
    const script = SCRIPTS.delete
    return integer(await this.run(script, ['EVALSHA', script.sha, '1', this.prefix + key])) === 1
  }

  async close(): Promise<void> {
    this.closed = true
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`redis store '${this.name}' is closed`)
  }

  /** `EVALSHA` arguments of the consume script for one policy, its four values still to fill. */
  private single(key: string): string[] {
    const args: string[] = new Array(4 + ARGS_PER_POLICY)
    args[0] = 'EVALSHA'
    args[1] = SCRIPTS.consume.sha
    args[2] = '1'
    args[3] = this.prefix + key
    return args
  }

  /** Sends one script call, bounded by the timeout. */
  private run(script: Script, args: string[]): Promise<unknown> {
    return withTimeout(this.exec(script, args), this.timeout, this.name)
  }

  /**
   * `EVALSHA`; on `NOSCRIPT` only (the script did not run), `EVAL` once, which also caches the
   * script on the node that owns the key. Every other error is final: retrying could count twice.
   */
  private async exec(script: Script, args: string[]): Promise<unknown> {
    const firstKey = args[3] as string
    try {
      return await this.sender(args, firstKey)
    } catch (error) {
      if (!isNoScript(error)) throw translate(error)
    }
    const retry = args.slice()
    retry[0] = 'EVAL'
    retry[1] = script.source
    try {
      return await this.sender(retry, firstKey)
    } catch (error) {
      throw translate(error)
    }
  }
}

/** Fills one policy's four script arguments at `at`, validating it like the memory store. */
function encode(args: string[], at: number, request: ConsumeRequest): void {
  switch (request.algorithm) {
    case 'fixed-window':
      windowArgs(
        args,
        at,
        'f',
        request.window,
        request.limit ?? Number.POSITIVE_INFINITY,
        request.cost ?? 1,
      )
      return
    case 'sliding-window':
      windowArgs(args, at, 's', request.window, request.limit, request.cost ?? 1)
      return
    case 'token-bucket':
    case 'gcra':
      take(args, at, request)
      return
    case 'block':
      args[at] = 'b'
      args[at + 1] = '0'
      args[at + 2] = '0'
      args[at + 3] = '0'
      return
    default:
      throw new RangeError(
        `consume: unknown algorithm '${String((request as { algorithm: unknown }).algorithm)}'`,
      )
  }
}

/** A fixed (`'f'`) or sliding (`'s'`) window's four script arguments, checked first. */
function windowArgs(
  args: string[],
  at: number,
  kind: 'f' | 's',
  window: number,
  limit: number,
  cost: number,
): void {
  assertWindowPolicy(window, limit, cost)
  args[at] = kind
  args[at + 1] = String(window)
  args[at + 2] = limit === Number.POSITIVE_INFINITY ? 'inf' : String(limit)
  args[at + 3] = String(cost)
}

function take(args: string[], at: number, options: TakeOptions): void {
  const cost = options.cost ?? 1
  if (options.algorithm === 'gcra') {
    assertPositive(options.burst, 'burst')
    assertPositive(options.emissionInterval, 'emissionInterval')
    assertCost(cost)
    args[at] = 'g'
    args[at + 1] = String(options.burst)
    args[at + 2] = String(options.emissionInterval)
  } else {
    assertPositive(options.capacity, 'capacity')
    assertPositive(options.refillPerMs, 'refillPerMs')
    assertCost(cost)
    args[at] = 't'
    args[at + 1] = String(options.capacity)
    args[at + 2] = String(options.refillPerMs)
  }
  args[at + 3] = String(cost)
}

/** The message of an error a client rejected with. */
function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message
  return typeof message === 'string' ? message : ''
}

/** Redis forgot the script (restart, `SCRIPT FLUSH`, failover): it did not run. */
function isNoScript(error: unknown): boolean {
  return messageOf(error).startsWith('NOSCRIPT')
}

/** A key holding another kind of state becomes a `TypeError`, as in the memory store. */
function translate(error: unknown): unknown {
  if (messageOf(error).includes('WRONGTYPE')) return new TypeError(WRONG_KIND, { cause: error })
  return error
}
