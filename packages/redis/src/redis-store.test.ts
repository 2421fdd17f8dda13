/**
 * The store's plumbing through a fake `send`: which commands go out, the single NOSCRIPT retry,
 * timeouts, close, argument checks and reply parsing. Redis itself is in test/.
 */
import { type ConsumeRequest, StoreTimeoutError } from '@rampart/core'
import { describe, expect, it, vi } from 'vitest'
import { redisStore } from './index.js'
import { SCRIPTS } from './scripts.js'

const ADMITTED = ['1', '0', '1', '1', 'inf', '1790000060000', '0'].join(' ')

/** An error shaped like a client's reply error. */
const replyError = (message: string) => Object.assign(new Error(message), { name: 'ReplyError' })

describe('one command per operation, one retry on NOSCRIPT only', () => {
  it('sends EVALSHA, and EVAL with the source once when Redis lost the script', async () => {
    const send = vi
      .fn<(args: string[]) => Promise<unknown>>()
      .mockRejectedValueOnce(replyError('NOSCRIPT No matching script. Please use EVAL.'))
      .mockResolvedValueOnce(ADMITTED)
    const r = await redisStore({ send, prefix: 'p:' }).hit('k', { window: 60_000, cost: 2 })
    expect(r.allowed).toBe(true)
    expect(send.mock.calls).toEqual([
      [['EVALSHA', SCRIPTS.consume.sha, '1', 'p:k', 'f', '60000', 'inf', '2']],
      [['EVAL', SCRIPTS.consume.source, '1', 'p:k', 'f', '60000', 'inf', '2']],
    ])
  })

  it('gives up after that one retry', async () => {
    const send = vi.fn(async () => {
      throw replyError('NOSCRIPT No matching script.')
    })
    await expect(redisStore({ send }).get('k')).rejects.toThrow(/^NOSCRIPT/)
    expect(send).toHaveBeenCalledTimes(2)
  })

  it.each([
    'ERR Error running script',
    'BUSY Redis is busy running a script',
    'READONLY You can not write against a read only replica.',
    'Connection is closed.',
    'MOVED 3999 127.0.0.1:6381',
  ])('never retries any other error: %s', async (message) => {
    const error = replyError(message)
    const send = vi.fn(async () => {
      throw error
    })
    await expect(redisStore({ send }).hit('k', { window: 1_000 })).rejects.toBe(error)
    expect(send).toHaveBeenCalledOnce()
  })

  it('turns a synchronous throw of send into a rejection', async () => {
    const send = () => {
      throw new Error('socket gone')
    }
    await expect(redisStore({ send }).delete('k')).rejects.toThrow('socket gone')
  })

  it('reports a key of another kind as a TypeError, keeping the reply as cause', async () => {
    for (const message of [
      'WRONGTYPE rampart: the key holds another kind of state',
      'WRONGTYPE Operation against a key holding the wrong kind of value',
    ]) {
      const error = replyError(message)
      const store = redisStore({ send: async () => Promise.reject(error) })
      const rejection = await store.get('k').catch((e: unknown) => e)
      expect(rejection).toBeInstanceOf(TypeError)
      expect(rejection).toMatchObject({
        message: 'redis store: the key holds another kind of state',
        cause: error,
      })
    }
  })

  it('sends nothing for an empty batch', async () => {
    const send = vi.fn()
    expect(await redisStore({ send }).consume([])).toEqual({
      allowed: true,
      retryAfter: 0,
      results: [],
    })
    expect(send).not.toHaveBeenCalled()
  })
})

describe('timeouts', () => {
  it('rejects with StoreTimeoutError when Redis does not answer', async () => {
    const store = redisStore({ send: () => new Promise(() => {}), timeout: 20, name: 'cache' })
    const error = await store.hit('k', { window: 1_000 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StoreTimeoutError)
    expect(error).toMatchObject({ store: 'cache', timeout: 20, code: 'ERR_RAMPART_STORE_TIMEOUT' })
  })

  it('bounds the reload of a flushed script too', async () => {
    const send = vi
      .fn<(args: string[]) => Promise<unknown>>()
      .mockRejectedValueOnce(replyError('NOSCRIPT'))
      .mockReturnValueOnce(new Promise(() => {}))
    const store = redisStore({ send, timeout: 20 })
    await expect(store.set('k', 'v', 1_000)).rejects.toBeInstanceOf(StoreTimeoutError)
  })

  it('does not keep the process waiting once answered', async () => {
    const clear = vi.spyOn(globalThis, 'clearTimeout')
    await redisStore({ send: async () => 1 }).delete('k')
    expect(clear).toHaveBeenCalled()
    clear.mockRestore()
  })
})

describe('close', () => {
  it('makes the store unusable and leaves the client alone', async () => {
    const send = vi.fn(async () => 1)
    const store = redisStore({ send })
    await store.close()
    await expect(store.get('k')).rejects.toThrow("redis store 'redis' is closed")
    await expect(store.consume([])).rejects.toThrow(/closed/)
    expect(send).not.toHaveBeenCalled()
  })
})

describe('arguments are checked before anything is sent', () => {
  const send = vi.fn(async () => ADMITTED)
  const store = redisStore({ send })
  const invalid: [string, () => Promise<unknown>, RegExp][] = [
    ['window 0', () => store.hit('k', { window: 0 }), /window must be a positive finite/],
    ['NaN window', () => store.slidingHit('k', { window: Number.NaN, limit: 1 }), /window/],
    ['negative limit', () => store.hit('k', { window: 1, limit: -1 }), /limit must be zero/],
    [
      'infinite cost',
      () => store.hit('k', { window: 1, cost: Infinity }),
      /cost must be a finite number/,
    ],
    [
      'zero refill',
      () => store.take('k', { algorithm: 'token-bucket', capacity: 1, refillPerMs: 0 }),
      /refillPerMs/,
    ],
    [
      'infinite burst',
      () => store.take('k', { algorithm: 'gcra', burst: Infinity, emissionInterval: 1 }),
      /burst/,
    ],
    ['ttl 0', () => store.set('k', 'v', 0), /ttl must be a positive/],
    ['NaN ttl', () => store.setIfAbsent('k', 'v', Number.NaN), /ttl/],
    ['fractional step', () => store.increment('k', 1.5, 1_000), /by must be a safe integer/],
    [
      'repeated key',
      () =>
        store.consume([
          { key: 'a', algorithm: 'block' },
          { key: 'a', algorithm: 'fixed-window', window: 1 },
        ]),
      /requests 0 and 1 use the same key/,
    ],
    [
      'unknown algorithm',
      () => store.consume([{ key: 'a', algorithm: 'leaky' } as unknown as ConsumeRequest]),
      /unknown algorithm 'leaky'/,
    ],
    [
      'one bad policy in a batch',
      () =>
        store.consume([
          { key: 'a', algorithm: 'fixed-window', window: 1 },
          { key: 'b', algorithm: 'sliding-window', window: 1, limit: Number.NaN },
        ]),
      /limit/,
    ],
  ]
  it.each(invalid)('%s: a RangeError', async (_label, call, message) => {
    const error = await call().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RangeError)
    expect((error as Error).message).toMatch(message)
    expect(send).not.toHaveBeenCalled()
  })
})

describe('encoding and replies', () => {
  it('passes every batch key in KEYS, with four arguments per policy', async () => {
    const send = vi.fn(async (_args: string[]) => ['1', '0', ...Array(15).fill('0')].join(' '))
    await redisStore({ send, prefix: 'rl:' }).consume([
      { key: 'block', algorithm: 'block' },
      { key: 'b', algorithm: 'token-bucket', capacity: 5, refillPerMs: 1 / 3, cost: 0.5 },
      { key: 'g', algorithm: 'gcra', burst: 2, emissionInterval: 250, cost: -1 },
    ])
    expect(send.mock.calls[0]?.[0]).toEqual([
      'EVALSHA',
      SCRIPTS.consume.sha,
      '3',
      'rl:block',
      'rl:b',
      'rl:g',
      ...['b', '0', '0', '0'],
      ...['t', '5', String(1 / 3), '0.5'],
      ...['g', '2', '250', '-1'],
    ])
  })

  it('reads numbers sent as text or bytes, with inf for infinity', async () => {
    const reply = '0 12.5 0 3.0000000000000004 0 1790000000000.123 inf'
    const expected = {
      allowed: false,
      count: 3.0000000000000004,
      remaining: 0,
      resetAt: 1_790_000_000_000.123,
      retryAfter: Number.POSITIVE_INFINITY,
    }
    expect(await redisStore({ send: async () => reply }).hit('k', { window: 1 })).toEqual(expected)
    const bytes = new TextEncoder().encode(reply)
    expect(await redisStore({ send: async () => bytes }).hit('k', { window: 1 })).toEqual(expected)
  })

  it('reads get, setIfAbsent, increment and delete replies', async () => {
    const replies: unknown[] = [null, Buffer.from('ünï'), 1, 0, 42, '7', 1, 0]
    const store = redisStore({ send: async () => replies.shift() })
    expect(await store.get('k')).toBeUndefined()
    expect(await store.get('k')).toBe('ünï')
    expect(await store.setIfAbsent('k', 'v', 1)).toBe(true)
    expect(await store.setIfAbsent('k', 'v', 1)).toBe(false)
    expect(await store.increment('k', 42, 1)).toBe(42)
    expect(await store.increment('k', 7, 1)).toBe(7)
    expect(await store.delete('k')).toBe(true)
    expect(await store.delete('k')).toBe(false)
  })

  it('refuses a reply of the wrong shape instead of guessing', async () => {
    for (const reply of [null, 'OK', '1 0', '1 0 x 1 1 1 1', ['1', '0', '1', '1', '1', '1', '1']]) {
      const store = redisStore({ send: async () => reply })
      await expect(store.hit('k', { window: 1 })).rejects.toThrow(/unexpected reply from Redis/)
    }
    await expect(redisStore({ send: async () => 'OK' }).delete('k')).rejects.toThrow(
      /unexpected reply/,
    )
  })

  it('rounds TTLs up to whole ms and clamps the unreachable ones', async () => {
    const send = vi.fn(async (_args: string[]) => 1)
    const store = redisStore({ send })
    await store.set('k', 'v', 0.2)
    await store.increment('k', 1, 1e300)
    expect(send.mock.calls.map((c) => c[0].at(-1))).toEqual(['1', '9007199254740991'])
  })
})
