import type { ConfigIssue } from '@rampart/core'
import { describe, expect, it } from 'vitest'
import { compileReferrerPolicy } from './referrer-policy.js'

function run(value: unknown) {
  const issues: ConfigIssue[] = []
  const headers = compileReferrerPolicy(value, 'referrerPolicy', issues)
  return { headers, issues }
}

describe('compileReferrerPolicy', () => {
  it.each<[string, unknown, string | undefined]>([
    ['undefined', undefined, 'no-referrer'],
    ['true', true, 'no-referrer'],
    ['{}', {}, 'no-referrer'],
    ['false', false, undefined],
    ['one token', { policy: 'same-origin' }, 'same-origin'],
    ['one token in an array', { policy: ['strict-origin'] }, 'strict-origin'],
    [
      'fallbacks, comma without space',
      { policy: ['no-referrer', 'strict-origin-when-cross-origin'] },
      'no-referrer,strict-origin-when-cross-origin',
    ],
    ['the empty token (helmet accepts it)', { policy: '' }, ''],
    ['the empty token first', { policy: ['', 'origin'] }, ',origin'],
  ])('%s', (_, value, expected) => {
    const { headers, issues } = run(value)
    expect(issues).toEqual([])
    expect(headers).toEqual(
      expected === undefined ? [] : [{ name: 'Referrer-Policy', value: expected }],
    )
  })

  it.each<[string, unknown, readonly [string, string][]]>([
    [
      'an empty array',
      { policy: [] },
      [['referrerPolicy.policy', 'must list at least one token, received an empty array']],
    ],
    [
      'an unknown token',
      { policy: 'nope' },
      [['referrerPolicy.policy', "must be a Referrer-Policy token: 'no-referrer', "]],
    ],
    [
      'a misspelt token',
      { policy: 'strict-orgin' },
      [['referrerPolicy.policy', "Did you mean 'strict-origin'?"]],
    ],
    [
      'an upper-case token',
      { policy: 'NO-REFERRER' },
      [['referrerPolicy.policy', "Did you mean 'no-referrer'?"]],
    ],
    [
      'a bad token in an array',
      { policy: ['origin', 'nope'] },
      [['referrerPolicy.policy[1]', "received 'nope'"]],
    ],
    [
      'a comma-joined string',
      { policy: 'origin,unsafe-url' },
      [['referrerPolicy.policy', "received 'origin,unsafe-url'"]],
    ],
    [
      'a duplicate',
      { policy: ['origin', 'unsafe-url', 'origin'] },
      [
        [
          'referrerPolicy.policy[2]',
          "duplicate token 'origin' (already at referrerPolicy.policy[0])",
        ],
      ],
    ],
    [
      'a duplicate empty token',
      { policy: ['', ''] },
      [['referrerPolicy.policy[1]', "duplicate token ''"]],
    ],
    [
      'two problems at once',
      { policy: ['nope', 'origin', 'origin'] },
      [
        ['referrerPolicy.policy[0]', "received 'nope'"],
        ['referrerPolicy.policy[2]', 'duplicate token'],
      ],
    ],
    [
      'a hole in a sparse array',
      // biome-ignore lint/suspicious/noSparseArray: the hole is the case under test
      { policy: [, 'origin'] },
      [['referrerPolicy.policy[0]', 'received undefined']],
    ],
    [
      'a number',
      { policy: 5 },
      [
        [
          'referrerPolicy.policy',
          'must be a Referrer-Policy token or an array of them, received 5',
        ],
      ],
    ],
    ['null', { policy: null }, [['referrerPolicy.policy', 'received null']]],
    ['a Set', { policy: new Set(['origin']) }, [['referrerPolicy.policy', 'received a Set']]],
    ['a bare string', 'origin', [['referrerPolicy', "Did you mean { policy: 'origin' }?"]]],
    ['an unknown key', { polici: 'origin' }, [['referrerPolicy.polici', "Did you mean 'policy'?"]]],
  ])('reports %s', (_, value, expected) => {
    const { headers, issues } = run(value)
    expect(headers).toEqual([])
    expect(issues).toEqual(
      expected.map(([path, fragment]) => ({ path, message: expect.stringContaining(fragment) })),
    )
  })
})
