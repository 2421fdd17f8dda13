import type { ConfigIssue } from '@rampart/core'
import { describe, expect, it } from 'vitest'
import { isToken } from './option-checks.js'
import { compileRemovals, OWASP_REMOVE_HEADERS } from './remove-headers.js'

function run(value: unknown) {
  const issues: ConfigIssue[] = []
  const names = compileRemovals(value, 'removeHeaders', issues)
  return { names, issues }
}

describe('OWASP_REMOVE_HEADERS', () => {
  it('holds the OWASP list: valid, unique names, frozen', () => {
    expect(OWASP_REMOVE_HEADERS).toHaveLength(87)
    for (const name of [
      'X-Powered-By',
      'Server',
      'X-AspNet-Version',
      'X-AspNetMvc-Version',
      'X-Generator',
      'X-Php-Version',
      'SourceMap',
      '$wsep',
      'X-ruxit-JS-Agent',
    ]) {
      expect(OWASP_REMOVE_HEADERS).toContain(name)
    }
    for (const name of OWASP_REMOVE_HEADERS) expect(isToken(name)).toBe(true)
    expect(new Set(OWASP_REMOVE_HEADERS.map((n) => n.toLowerCase())).size).toBe(
      OWASP_REMOVE_HEADERS.length,
    )
    expect(Object.isFrozen(OWASP_REMOVE_HEADERS)).toBe(true)
  })
})

describe('compileRemovals', () => {
  it.each<[string, unknown, readonly string[]]>([
    ['undefined', undefined, []],
    ['false', false, []],
    ['an empty list', [], []],
    [
      'own names, as written',
      ['X-Powered-By', 'server', 'X-Runtime'],
      ['X-Powered-By', 'server', 'X-Runtime'],
    ],
  ])('%s', (_, value, expected) => {
    const { names, issues } = run(value)
    expect(issues).toEqual([])
    expect(names).toEqual(expected)
  })

  it('true removes the OWASP list (a fresh copy)', () => {
    const { names, issues } = run(true)
    expect(issues).toEqual([])
    expect(names).toEqual(OWASP_REMOVE_HEADERS)
    expect(names).not.toBe(OWASP_REMOVE_HEADERS)
  })

  it('extends the OWASP list by spreading it', () => {
    expect(run([...OWASP_REMOVE_HEADERS, 'X-Runtime']).names).toHaveLength(
      OWASP_REMOVE_HEADERS.length + 1,
    )
  })

  it.each<[string, unknown, readonly [string, string][]]>([
    [
      'a string',
      'X-Powered-By',
      [
        [
          'removeHeaders',
          "must be true (the OWASP list), false, or an array of header names, received 'X-Powered-By'",
        ],
      ],
    ],
    ['null', null, [['removeHeaders', 'received null']]],
    ['a name with a colon', ['X-Powered-By:'], [['removeHeaders[0]', 'must be a header name']]],
    ['a name with a space', ['X Powered By'], [['removeHeaders[0]', "received 'X Powered By'"]]],
    ['an empty name', [''], [['removeHeaders[0]', "received ''"]]],
    ['CRLF', ['X-A\r\nSet-Cookie'], [['removeHeaders[0]', 'must be a header name']]],
    ['a number', [1], [['removeHeaders[0]', 'received 1']]],
    [
      'a duplicate in another case',
      ['Server', 'server'],
      [
        [
          'removeHeaders[1]',
          "duplicate header name 'server' (already at removeHeaders[0]; names are case-insensitive)",
        ],
      ],
    ],
  ])('reports %s', (_, value, expected) => {
    const { names, issues } = run(value)
    expect(names).toEqual([])
    expect(issues).toEqual(
      expected.map(([path, fragment]) => ({ path, message: expect.stringContaining(fragment) })),
    )
  })
})
