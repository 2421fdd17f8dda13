import { type Duration, memoryStore, RampartConfigError } from '@rampart/core'
import { describe, expect, it } from 'vitest'
import { RATE_LIMIT_CONFIG_CODE } from './options.js'
import { rateLimit } from './rate-limit.js'

/** The issues a set of options produces, as `path: message` lines. */
function issuesOf(options: unknown): string[] {
  try {
    rateLimit(options as never)
  } catch (error) {
    expect(error).toBeInstanceOf(RampartConfigError)
    const e = error as RampartConfigError
    expect(e.code).toBe(RATE_LIMIT_CONFIG_CODE)
    expect(e.message).toContain('@rampart/rate-limiter rateLimit(): invalid options')
    return e.issues.map((i) => `${i.path}: ${i.message}`)
  }
  throw new Error('expected a RampartConfigError')
}

const ok = { limit: 10, window: '1m' } as const

describe('rateLimit options: accepted', () => {
  it('builds with one policy and sensible defaults', () => {
    const limiter = rateLimit(ok)
    expect(limiter.name).toBe('rate-limit')
    expect(limiter.policies).toEqual([
      {
        name: '10-per-1m',
        algorithm: 'sliding-window',
        limit: 10,
        window: 60_000,
        burst: undefined,
      },
    ])
    expect(limiter.prefix).toMatch(/^rl:[0-9a-z]+:$/)
    expect(limiter.store.kind).toBe('memory')
    expect(typeof limiter.request).toBe('function')
    // No refunds configured: no response phase, so adapters skip their finish hook.
    expect(limiter.response).toBeUndefined()
  })

  it('accepts every option at once', () => {
    const limiter = rateLimit({
      policies: [
        { name: 'burst', limit: 10, window: '1s', algorithm: 'token-bucket', burst: 20 },
        { limit: () => 1000, window: '1h', algorithm: 'gcra' },
        { limit: 100, window: 60_000, algorithm: 'fixed-window' },
      ],
      ipv6Subnet: 64,
      onMissingKey: 'allow',
      prefix: 'api:',
      store: memoryStore(),
      onStoreFailure: 'closed',
      storeTimeout: '250ms',
      instances: 1,
      cost: () => 2,
      skip: () => false,
      skipFailedRequests: true,
      allow: ['loopback', '10.0.0.0/8'],
      deny: ['203.0.113.0/24'],
      block: { after: 5, within: '1h', for: '15m' },
      headers: 'both',
      partitionKey: { secret: 'a-secret-of-16-chars-or-more' },
      includeKeyInEvents: true,
      onEvent: () => {},
    })
    expect(limiter.policies.map((p) => p.name)).toEqual(['burst', 'dynamic-per-1h', '100-per-1m'])
    expect(limiter.policies[0]).toMatchObject({ burst: 20, limit: 10 })
    expect(limiter.policies[1]).toMatchObject({ limit: 'dynamic', burst: undefined })
    expect(limiter.prefix).toBe('api:')
    expect(typeof limiter.response).toBe('function')
  })

  it('names policies after their limit and window', () => {
    const names = (window: Duration) => rateLimit({ limit: 5, window }).policies[0]?.name
    expect(names('1s')).toBe('5-per-1s')
    expect(names('90s')).toBe('5-per-90s')
    expect(names('2h')).toBe('5-per-2h')
    expect(names('1d')).toBe('5-per-1d')
    expect(names(1_500)).toBe('5-per-1500ms')
    expect(names(1)).toBe('5-per-1ms')
  })

  it('gives the same policies the same default prefix, and different ones another', () => {
    const a = rateLimit(ok).prefix
    expect(rateLimit(ok).prefix).toBe(a)
    expect(rateLimit({ ...ok, algorithm: 'fixed-window' }).prefix).not.toBe(a)
    expect(rateLimit({ ...ok, window: '2m' }).prefix).not.toBe(a)
    expect(rateLimit({ limit: 11, window: '1m' }).prefix).not.toBe(a)
    // Names do not shape stored state.
    expect(rateLimit({ ...ok, name: 'other' }).prefix).toBe(a)
  })

  it('takes the window down to 1 ms and up to a year', () => {
    expect(() => rateLimit({ limit: 1, window: 1 })).not.toThrow()
    expect(() => rateLimit({ limit: 1, window: '365d' })).not.toThrow()
  })
})

describe('rateLimit options: rejected with precise issues', () => {
  it('refuses a non-object', () => {
    expect(issuesOf(undefined)).toEqual([
      ": expected an options object such as { limit: 100, window: '1m' }, received undefined",
    ])
    expect(issuesOf([])[0]).toContain('received an empty array')
  })

  it('needs a policy', () => {
    expect(issuesOf({})).toEqual([
      ": no policy: set limit and window (e.g. { limit: 100, window: '1m' }) or policies",
    ])
    expect(issuesOf({ limit: 5 })).toEqual(["window: is required with limit (e.g. window: '1m')"])
    expect(issuesOf({ window: '1m' })).toEqual(['limit: is required with window (e.g. limit: 100)'])
  })

  it('checks limit', () => {
    for (const limit of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '10', null]) {
      const [issue] = issuesOf({ limit, window: '1m' })
      expect(issue).toMatch(
        /^limit: expected a positive integer or a function \(ctx\) => number, received /,
      )
    }
  })

  it('checks window', () => {
    expect(issuesOf({ limit: 1, window: 0 })).toEqual([
      'window: must be between 1 ms and 31536000000 ms, received 0 ms',
    ])
    expect(issuesOf({ limit: 1, window: '366d' })[0]).toMatch(/^window: must be between 1 ms/)
    expect(issuesOf({ limit: 1, window: '1 minute' })[0]).toMatch(
      /^window: '1 minute' is not a duration/,
    )
    expect(issuesOf({ limit: 1, window: -5 })[0]).toMatch(/^window: expected a non-negative number/)
  })

  it('checks algorithm with a did-you-mean', () => {
    expect(issuesOf({ ...ok, algorithm: 'sliding' })).toEqual([
      "algorithm: expected one of 'fixed-window', 'sliding-window', 'token-bucket', 'gcra', received 'sliding'. Did you mean 'sliding-window'?",
    ])
    expect(issuesOf({ ...ok, algorithm: 'leaky' })[0]).toMatch(/received 'leaky'\.$/)
  })

  it('checks burst, and that it only goes with token-bucket or gcra', () => {
    expect(issuesOf({ ...ok, algorithm: 'gcra', burst: 0 })[0]).toMatch(
      /^burst: expected a positive integer \(the most units spent at once\), received 0/,
    )
    expect(issuesOf({ ...ok, burst: 5 })).toEqual([
      "burst: only applies to algorithm 'token-bucket' or 'gcra' (the default is sliding-window); a window counts up to limit",
    ])
    expect(issuesOf({ ...ok, algorithm: 'fixed-window', burst: 5 })[0]).toContain(
      'this policy is fixed-window',
    )
  })

  it('checks names: printable ASCII, at most 64 characters, unique', () => {
    expect(issuesOf({ ...ok, name: '' })[0]).toMatch(/^name: expected 1 to 64 printable ASCII/)
    expect(issuesOf({ ...ok, name: 'x'.repeat(65) })[0]).toMatch(/^name: expected 1 to 64/)
    expect(issuesOf({ ...ok, name: 'naïve' })[0]).toMatch(/^name: expected 1 to 64 printable ASCII/)
    expect(issuesOf({ ...ok, name: 'line\nbreak' })[0]).toMatch(/^name: /)
    expect(
      issuesOf({
        policies: [
          { limit: 10, window: '1m' },
          { limit: 10, window: '1m', algorithm: 'fixed-window' },
        ],
      }),
    ).toEqual([
      "policies[1].name: '10-per-1m' is already the name of policies[0]: give each policy a unique name",
    ])
  })

  it('checks policies: one to ten, and not mixed with a top-level policy', () => {
    expect(issuesOf({ policies: [] })).toEqual(['policies: expected 1 to 10 policies, received 0'])
    const eleven = Array.from({ length: 11 }, (_, i) => ({ limit: i + 1, window: '1m' }))
    expect(issuesOf({ policies: eleven })).toEqual([
      'policies: expected 1 to 10 policies, received 11',
    ])
    expect(issuesOf({ limit: 5, window: '1m', policies: [ok] })).toEqual([
      'limit: cannot be combined with policies: give every policy its own limit and window',
      'window: cannot be combined with policies: give every policy its own limit and window',
    ])
    expect(issuesOf({ policies: [{ limit: 0, window: '1m' }] })[0]).toMatch(
      /^policies\[0\]\.limit: /,
    )
    expect(issuesOf({ policies: [{ ...ok, burst: 3 }] })[0]).toMatch(/^policies\[0\]\.burst: only/)
  })

  it('suggests the right name for a misspelt option, at any depth', () => {
    expect(issuesOf({ ...ok, windw: '1m' })).toEqual([
      "windw: unknown option. Did you mean 'window'?",
    ])
    expect(issuesOf({ ...ok, skipSuccessfulRequest: true })).toEqual([
      "skipSuccessfulRequest: unknown option. Did you mean 'skipSuccessfulRequests'?",
    ])
    expect(issuesOf({ policies: [{ limt: 5, limit: 5, window: '1m' }] })).toEqual([
      "policies[0].limt: unknown option. Did you mean 'limit'?",
    ])
    expect(issuesOf({ ...ok, block: { after: 5, within: '1h', for: '1m', fro: 1 } })).toEqual([
      "block.fro: unknown option. Did you mean 'for'?",
    ])
    expect(issuesOf({ ...ok, partitionKey: { secret: 'x'.repeat(16), scret: 1 } })).toEqual([
      "partitionKey.scret: unknown option. Did you mean 'secret'?",
    ])
    // express-rate-limit's names are not ours: no silent no-op.
    expect(issuesOf({ ...ok, windowMs: 60_000 })[0]).toMatch(/^windowMs: unknown option\./)
  })

  it('checks the key options', () => {
    expect(issuesOf({ ...ok, key: 'ip' })).toEqual([
      "key: expected a function (ctx) => string | undefined, received 'ip'",
    ])
    expect(issuesOf({ ...ok, ipv6Subnet: 80 })[0]).toMatch(
      /^ipv6Subnet: expected an integer prefix length from 32 to 64/,
    )
    expect(issuesOf({ ...ok, ipv6Subnet: 64, key: () => 'k' })[0]).toMatch(
      /^ipv6Subnet: only applies to the default key/,
    )
    expect(issuesOf({ ...ok, onMissingKey: 'alow' })[0]).toMatch(
      /^onMissingKey: expected one of 'deny', 'allow', received 'alow'\. Did you mean 'allow'\?$/,
    )
  })

  it('checks prefix', () => {
    expect(issuesOf({ ...ok, prefix: '' })[0]).toMatch(/^prefix: expected a string of 1 to 128/)
    expect(issuesOf({ ...ok, prefix: 'rl:{api}:' })[0]).toMatch(
      /^prefix: must not contain '\{' or '\}'/,
    )
    expect(issuesOf({ ...ok, prefix: 'a\tb' })).toEqual(['prefix: must be printable ASCII'])
  })

  it('checks the store options', () => {
    expect(issuesOf({ ...ok, store: {} })).toEqual([
      'store: expected a RampartStore, e.g. memoryStore() or a Redis store from @rampart/redis',
    ])
    expect(issuesOf({ ...ok, onStoreFailure: 'fail-open' })[0]).toMatch(
      /^onStoreFailure: expected one of/,
    )
    expect(issuesOf({ ...ok, storeTimeout: 0 })[0]).toMatch(/^storeTimeout: /)
    expect(issuesOf({ ...ok, storeTimeout: '2m' })[0]).toMatch(/^storeTimeout: /)
    expect(issuesOf({ ...ok, instances: 0 })[0]).toMatch(
      /^instances: expected a positive integer \(app instances\)/,
    )
  })

  it('checks cost and the skip options', () => {
    for (const cost of [0, -1, Number.NaN, '1']) {
      expect(issuesOf({ ...ok, cost })[0]).toMatch(
        /^cost: expected a positive number or a function/,
      )
    }
    expect(issuesOf({ ...ok, skip: true })[0]).toMatch(
      /^skip: expected a function \(ctx\) => boolean/,
    )
    expect(issuesOf({ ...ok, skipFailedRequests: 'yes' })[0]).toMatch(/^skipFailedRequests: /)
    expect(issuesOf({ ...ok, skipSuccessfulRequests: true, skipFailedRequests: true })).toEqual([
      'skipFailedRequests: with skipSuccessfulRequests as well, every request would be refunded: keep one of them',
    ])
  })

  it('checks the address lists entry by entry', () => {
    const issues = issuesOf({ ...ok, allow: ['10.0.0.0/8', '10.0.0.256'], deny: ['nope'] })
    expect(issues).toHaveLength(2)
    expect(issues[0]).toMatch(/^allow\[1\]: /)
    expect(issues[1]).toMatch(/^deny\[0\]: /)
  })

  it('checks block', () => {
    expect(issuesOf({ ...ok, block: { after: 0, within: '1h', for: '1m' } })[0]).toMatch(
      /^block\.after: expected a positive integer \(rejections that start a block\)/,
    )
    expect(issuesOf({ ...ok, block: { after: 3, within: 0, for: '1m' } })[0]).toMatch(
      /^block\.within: /,
    )
    expect(issuesOf({ ...ok, block: { after: 3, within: '1h' } })[0]).toMatch(/^block\.for: /)
  })

  it('checks headers and partitionKey', () => {
    expect(issuesOf({ ...ok, headers: 'drafts' })).toEqual([
      "headers: expected 'draft', 'legacy', 'both' or false, received 'drafts'. Did you mean 'draft'?",
    ])
    expect(issuesOf({ ...ok, headers: true })[0]).toMatch(/^headers: expected 'draft'/)
    expect(issuesOf({ ...ok, partitionKey: { secret: 'short' } })[0]).toMatch(
      /^partitionKey\.secret: expected a secret string of at least 16 characters/,
    )
    expect(
      issuesOf({ ...ok, headers: 'legacy', partitionKey: { secret: 'x'.repeat(16) } }),
    ).toEqual([
      "partitionKey: is sent in the draft RateLimit headers only, and headers is 'legacy': set headers to 'draft' or 'both', or remove partitionKey",
    ])
  })

  it('checks the event options', () => {
    expect(issuesOf({ ...ok, includeKeyInEvents: 1 })[0]).toMatch(/^includeKeyInEvents: /)
    expect(issuesOf({ ...ok, onEvent: 'log' })[0]).toMatch(
      /^onEvent: expected a function \(event\) => void/,
    )
  })

  it('lists every problem at once', () => {
    expect(issuesOf({ limit: 0, window: 0, algorithm: 'x', headers: 1 })).toHaveLength(4)
  })
})
