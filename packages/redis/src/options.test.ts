import { RampartConfigError } from '@rampart/core'
import { describe, expect, it } from 'vitest'
import { REDIS_CONFIG_ERROR, type RedisStoreOptions, redisStore } from './index.js'

const send = async () => null

/** The config error `redisStore(options)` throws. */
function configError(options: unknown): RampartConfigError {
  try {
    redisStore(options as RedisStoreOptions)
  } catch (error) {
    expect(error).toBeInstanceOf(RampartConfigError)
    return error as RampartConfigError
  }
  throw new Error('expected redisStore to throw')
}

describe('redisStore options', () => {
  it('has sensible defaults', () => {
    const store = redisStore({ send })
    expect(store).toMatchObject({
      name: 'redis',
      kind: 'redis',
      shared: true,
      prefix: '',
      timeout: 500,
    })
  })

  it('accepts durations as strings, a prefix and a name', () => {
    const store = redisStore({ send, timeout: '2s', prefix: 'rl:', name: 'sessions' })
    expect(store).toMatchObject({ timeout: 2_000, prefix: 'rl:', name: 'sessions' })
  })

  it('requires a client or send, naming both', () => {
    for (const options of [{}, undefined, { prefix: 'x' }]) {
      const error = configError(options)
      expect(error.code).toBe(REDIS_CONFIG_ERROR)
      expect(error.code).toBe('ERR_RAMPART_REDIS_CONFIG')
      expect(error.message).toContain('@rampart/redis redisStore: invalid options')
      expect(error.issues).toEqual([
        { path: '', message: expect.stringMatching(/give client .* or send .*neither was given/) },
      ])
    }
  })

  it('refuses a client and send together', () => {
    const error = configError({ client: { call: send }, send })
    expect(error.issues).toEqual([
      { path: 'send', message: 'give client or send, not both: send replaces client' },
    ])
  })

  it('says what a client must look like', () => {
    for (const client of [{}, null, 'redis://localhost', { get: send }, { call: 'yes' }]) {
      const error = configError({ client })
      expect(error.issues).toHaveLength(1)
      expect(error.issues[0]?.path).toBe('client')
      expect(error.issues[0]?.message).toMatch(
        /^expected an ioredis client or Cluster \(with a call method\), or a node-redis client, cluster or sentinel \(with a sendCommand method\)$/,
      )
    }
  })

  it('wants send to be a function', () => {
    expect(configError({ send: 'EVAL' }).issues).toEqual([
      { path: 'send', message: 'expected a function (args: string[]) => Promise<unknown>' },
    ])
  })

  it('bounds the timeout to what a timer can wait', () => {
    for (const timeout of [0, -1, 2_147_483_648, '30d', Number.NaN]) {
      const error = configError({ send, timeout })
      expect(error.issues[0]?.path).toBe('timeout')
    }
    expect(configError({ send, timeout: 0 }).issues[0]?.message).toBe(
      'must be between 1 ms and 2147483647 ms, received 0 ms',
    )
    expect(configError({ send, timeout: 'soon' }).issues[0]?.message).toMatch(/is not a duration/)
    expect(redisStore({ send, timeout: 2_147_483_647 }).timeout).toBe(2_147_483_647)
  })

  it('checks prefix and name', () => {
    expect(configError({ send, prefix: 5 }).issues[0]?.path).toBe('prefix')
    expect(configError({ send, name: '' }).issues).toEqual([
      { path: 'name', message: 'must be a non-empty string' },
    ])
  })

  it('suggests the option meant by a misspelt name', () => {
    expect(() => redisStore({ send, timout: 100 } as never)).toThrow(/Did you mean 'timeout'/)
    expect(() => redisStore({ send, keyPrefix: 'x' } as never)).toThrow(/keyPrefix: unknown option/)
  })

  it('lists every problem at once', () => {
    const error = configError({ send, prefix: 1, timeout: -5, name: '' })
    expect(error.issues.map((i) => i.path).sort()).toEqual(['name', 'prefix', 'timeout'])
  })
})
