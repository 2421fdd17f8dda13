import type { ConfigIssue } from '@rampart/core'
import { describe, expect, it } from 'vitest'
import { CLEAR_SITE_DATA_TYPES, compileClearSiteData } from './clear-site-data.js'

function run(value: unknown) {
  const issues: ConfigIssue[] = []
  const headers = compileClearSiteData(value, 'clearSiteData', issues)
  return { headers, issues }
}

describe('compileClearSiteData', () => {
  it.each<[string, unknown, string | undefined]>([
    ['undefined (never on by default)', undefined, undefined],
    ['false', false, undefined],
    ['true', true, '"cache", "cookies", "storage"'],
    ['{}', {}, '"cache", "cookies", "storage"'],
    ['cookies only', { types: ['cookies'] }, '"cookies"'],
    [
      'in the order given',
      { types: ['storage', 'executionContexts', 'cache'] },
      '"storage", "executionContexts", "cache"',
    ],
    [
      'the camelCase types',
      { types: ['clientHints', 'prefetchCache', 'prerenderCache'] },
      '"clientHints", "prefetchCache", "prerenderCache"',
    ],
    ['*', { types: ['*'] }, '"*"'],
  ])('%s', (_, value, expected) => {
    const { headers, issues } = run(value)
    expect(issues).toEqual([])
    expect(headers).toEqual(
      expected === undefined ? [] : [{ name: 'Clear-Site-Data', value: expected }],
    )
  })

  it('knows the spec types', () => {
    expect(CLEAR_SITE_DATA_TYPES).toEqual([
      'cache',
      'cookies',
      'storage',
      'executionContexts',
      'clientHints',
      'prefetchCache',
      'prerenderCache',
      '*',
    ])
  })

  it.each<[string, unknown, readonly [string, string][]]>([
    ['an empty list', { types: [] }, [['clearSiteData.types', 'must list at least one type']]],
    [
      'an unknown type',
      { types: ['cookie'] },
      [['clearSiteData.types[0]', "received 'cookie'. Did you mean 'cookies'?"]],
    ],
    [
      'a kebab-case type',
      { types: ['execution-contexts'] },
      [['clearSiteData.types[0]', "Did you mean 'executionContexts'?"]],
    ],
    [
      'a quoted type',
      { types: ['"cache"'] },
      [['clearSiteData.types[0]', "Did you mean 'cache'?"]],
    ],
    [
      'a duplicate',
      { types: ['cache', 'cache'] },
      [['clearSiteData.types[1]', "duplicate type 'cache' (already at clearSiteData.types[0])"]],
    ],
    ['* with others', { types: ['*', 'cache'] }, [['clearSiteData.types', "use ['*'] alone"]]],
    ['a string', { types: 'cache' }, [['clearSiteData.types', "Wrap it in an array: ['cache']"]]],
    ['null types', { types: null }, [['clearSiteData.types', 'received null']]],
    ['an unknown key', { type: ['cache'] }, [['clearSiteData.type', "Did you mean 'types'?"]]],
    ['null', null, [['clearSiteData', 'must be true, false or an options object { types }']]],
  ])('reports %s', (_, value, expected) => {
    const { headers, issues } = run(value)
    expect(headers).toEqual([])
    expect(issues).toEqual(
      expected.map(([path, fragment]) => ({ path, message: expect.stringContaining(fragment) })),
    )
  })
})
