import type { ConfigIssue } from '@rampart/core'
import { describe, expect, it } from 'vitest'
import {
  compileStrictTransportSecurity,
  DEFAULT_HSTS_MAX_AGE,
} from './strict-transport-security.js'

function run(value: unknown, path = 'strictTransportSecurity') {
  const issues: ConfigIssue[] = []
  const headers = compileStrictTransportSecurity(value, path, issues)
  return { headers, issues }
}

describe('compileStrictTransportSecurity', () => {
  it('defaults to 365 days', () => {
    expect(DEFAULT_HSTS_MAX_AGE).toBe(31536000)
  })

  it.each<[string, unknown, string | undefined]>([
    ['undefined', undefined, 'max-age=31536000; includeSubDomains'],
    ['true', true, 'max-age=31536000; includeSubDomains'],
    ['{}', {}, 'max-age=31536000; includeSubDomains'],
    ['false', false, undefined],
    ['maxAge', { maxAge: 86400 }, 'max-age=86400; includeSubDomains'],
    ['maxAge 0 (forget)', { maxAge: 0 }, 'max-age=0; includeSubDomains'],
    ['a fraction, floored as helmet does', { maxAge: 59.9 }, 'max-age=59; includeSubDomains'],
    ['-0', { maxAge: -0 }, 'max-age=0; includeSubDomains'],
    ['without subdomains', { includeSubDomains: false }, 'max-age=31536000'],
    [
      'preload',
      { maxAge: 63072000, preload: true },
      'max-age=63072000; includeSubDomains; preload',
    ],
    [
      'preload without subdomains',
      { includeSubDomains: false, preload: true },
      'max-age=31536000; preload',
    ],
    [
      'the largest safe integer',
      { maxAge: Number.MAX_SAFE_INTEGER },
      `max-age=${Number.MAX_SAFE_INTEGER}; includeSubDomains`,
    ],
  ])('%s', (_, value, expected) => {
    const { headers, issues } = run(value)
    expect(issues).toEqual([])
    expect(headers).toEqual(
      expected === undefined ? [] : [{ name: 'Strict-Transport-Security', value: expected }],
    )
  })

  it.each<[string, unknown, readonly [string, string][]]>([
    [
      'a negative maxAge',
      { maxAge: -1 },
      [
        [
          'strictTransportSecurity.maxAge',
          'must be a non-negative integer number of seconds, received -1',
        ],
      ],
    ],
    ['NaN', { maxAge: Number.NaN }, [['strictTransportSecurity.maxAge', 'received NaN']]],
    [
      'Infinity',
      { maxAge: Number.POSITIVE_INFINITY },
      [['strictTransportSecurity.maxAge', 'received Infinity']],
    ],
    [
      'a numeric string',
      { maxAge: '100' },
      [
        [
          'strictTransportSecurity.maxAge',
          "received '100'. Pass a number, not a string: maxAge: 100",
        ],
      ],
    ],
    ['a word', { maxAge: 'one year' }, [['strictTransportSecurity.maxAge', "received 'one year'"]]],
    ['null', { maxAge: null }, [['strictTransportSecurity.maxAge', 'received null']]],
    ['a bigint', { maxAge: 10n }, [['strictTransportSecurity.maxAge', 'received 10n']]],
    [
      'beyond 2^53',
      { maxAge: 1e21 },
      [
        [
          'strictTransportSecurity.maxAge',
          'must be at most 9007199254740991 seconds, received 1e+21',
        ],
      ],
    ],
    ['`maxage`', { maxage: 5 }, [['strictTransportSecurity.maxage', "Did you mean 'maxAge'?"]]],
    [
      '`includeSubdomains`',
      { includeSubdomains: true },
      [['strictTransportSecurity.includeSubdomains', "Did you mean 'includeSubDomains'?"]],
    ],
    [
      '`setIf`',
      { setIf: () => true },
      [['strictTransportSecurity.setIf', 'helmet removed `setIf` in v4']],
    ],
    [
      'an unknown key',
      { preloaded: true },
      [['strictTransportSecurity.preloaded', "Did you mean 'preload'?"]],
    ],
    [
      'a string includeSubDomains',
      { includeSubDomains: 'false' },
      [['strictTransportSecurity.includeSubDomains', "must be true or false, received 'false'"]],
    ],
    [
      'a numeric preload',
      { preload: 1 },
      [['strictTransportSecurity.preload', 'must be true or false, received 1']],
    ],
    [
      'null',
      null,
      [
        [
          'strictTransportSecurity',
          'must be true, false or an options object { maxAge, includeSubDomains, preload }, received null',
        ],
      ],
    ],
    ['a number instead of options', 31536000, [['strictTransportSecurity', 'received 31536000']]],
    [
      'every problem at once',
      { maxAge: -5, includeSubDomains: 'yes', preload: 'no', maxage: 1 },
      [
        ['strictTransportSecurity.maxage', 'maxAge'],
        ['strictTransportSecurity.maxAge', 'received -5'],
        ['strictTransportSecurity.includeSubDomains', "received 'yes'"],
        ['strictTransportSecurity.preload', "received 'no'"],
      ],
    ],
  ])('reports %s', (_, value, expected) => {
    const { headers, issues } = run(value)
    expect(headers).toEqual([])
    expect(issues).toEqual(
      expected.map(([path, fragment]) => ({ path, message: expect.stringContaining(fragment) })),
    )
  })

  it('prefixes paths with the name the option was given under (the hsts alias)', () => {
    expect(run({ maxAge: -1 }, 'hsts').issues[0]?.path).toBe('hsts.maxAge')
  })

  it('reads only own keys: a polluted prototype does not change the header', () => {
    const options = Object.create({ maxAge: 1, preload: true })
    expect(run(options).issues[0]?.message).toContain('received an object with a custom prototype')
    const inherited = Object.assign(Object.create(null), { includeSubDomains: false })
    expect(run(inherited).headers).toEqual([
      { name: 'Strict-Transport-Security', value: 'max-age=31536000' },
    ])
  })
})
