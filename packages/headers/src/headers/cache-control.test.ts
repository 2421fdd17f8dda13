import type { ConfigIssue } from '@rampart/core'
import { describe, expect, it } from 'vitest'
import { compileCacheControl, DEFAULT_CACHE_CONTROL } from './cache-control.js'

function run(value: unknown) {
  const issues: ConfigIssue[] = []
  const headers = compileCacheControl(value, 'cacheControl', issues)
  return { headers, issues }
}

describe('compileCacheControl', () => {
  it.each<[string, unknown, string | undefined]>([
    ['undefined', undefined, undefined],
    ['false', false, undefined],
    ['true', true, DEFAULT_CACHE_CONTROL],
    ['no-store', 'no-store', 'no-store'],
    ["OWASP's value", 'no-store, max-age=0', 'no-store, max-age=0'],
    [
      'spacing normalised',
      'private,no-cache ,  must-revalidate',
      'private, no-cache, must-revalidate',
    ],
    ['names lower-cased', 'No-Store, Max-Age=0', 'no-store, max-age=0'],
    ['static assets', 'public, max-age=31536000, immutable', 'public, max-age=31536000, immutable'],
    [
      'RFC 5861',
      'max-age=60, stale-while-revalidate=30, stale-if-error=86400',
      'max-age=60, stale-while-revalidate=30, stale-if-error=86400',
    ],
    [
      's-maxage',
      's-maxage=0, proxy-revalidate, no-transform, must-understand, no-store',
      's-maxage=0, proxy-revalidate, no-transform, must-understand, no-store',
    ],
    [
      'a field list',
      'private="Set-Cookie, X-Token", no-cache="Set-Cookie"',
      'private="Set-Cookie, X-Token", no-cache="Set-Cookie"',
    ],
  ])('%s', (_, value, expected) => {
    const { headers, issues } = run(value)
    expect(issues).toEqual([])
    expect(headers).toEqual(
      expected === undefined ? [] : [{ name: 'Cache-Control', value: expected }],
    )
  })

  it.each<[string, unknown, readonly string[]]>([
    ['a typo', 'no-stor', ["unknown directive 'no-stor'. Did you mean 'no-store'?"]],
    [
      'a request directive',
      'no-store, only-if-cached',
      ["'only-if-cached' is a request directive"],
    ],
    ['max-stale', 'max-stale=5', ["'max-stale' is a request directive"]],
    ['a repeat', 'no-store, NO-STORE', ["directive 'no-store' appears more than once"]],
    ['public and private', 'public, private', ["'public' and 'private' contradict each other"]],
    [
      'max-age without a value',
      'max-age',
      ["'max-age' needs a number of seconds, e.g. 'max-age=0'"],
    ],
    [
      'a negative max-age',
      'max-age=-1',
      ["'max-age' needs a whole number of seconds (digits only), received 'max-age=-1'"],
    ],
    ['a fractional max-age', 'max-age=1.5', ['digits only']],
    ['a quoted max-age', 'max-age="60"', ['digits only']],
    ['an argument on no-store', 'no-store=1', ["'no-store' takes no argument"]],
    ['a bare argument on private', 'private=Set-Cookie', ['quoted list of header names']],
    ['a bad field list', 'no-cache="Set Cookie"', ['must list header names separated by commas']],
    ['an empty value', '', ["must not be empty: give at least one directive, e.g. 'no-store'"]],
    ['spaces only', '   ', ['must not be empty']],
    ['a trailing comma', 'no-store,', ['trailing comma: remove it']],
    [
      'a double comma',
      'no-store,, max-age=0',
      ["unexpected ',' at position 9: expected a directive name"],
    ],
    [
      'a semicolon separator',
      'no-store; max-age=0',
      ["unexpected ';' at position 8: directives are separated by commas"],
    ],
    ['a space around =', 'max-age = 0', ["unexpected '=' at position 8"]],
    ['a missing value', 'max-age=', ["'max-age=' is missing its value"]],
    [
      'an unterminated quote',
      'private="Set-Cookie',
      ["unterminated quoted string after 'private='"],
    ],
    ['a tab', 'no-store,\tprivate', ['visible ASCII characters and spaces']],
    [
      'a line break',
      'no-store\r\nX-Evil: 1',
      ['visible ASCII characters and spaces (no line breaks)'],
    ],
    [
      'a number',
      0,
      ["must be a Cache-Control value such as 'no-store', true (no-store) or false, received 0"],
    ],
    ['an object', { noStore: true }, ['received an object']],
    [
      'several directives wrong',
      'no-stor, max-age=x',
      ["unknown directive 'no-stor'", "'max-age' needs a whole number"],
    ],
  ])('reports %s', (_, value, fragments) => {
    const { headers, issues } = run(value)
    expect(headers).toEqual([])
    expect(issues).toEqual(
      fragments.map((fragment) => ({
        path: 'cacheControl',
        message: expect.stringContaining(fragment),
      })),
    )
  })

  it('runs in linear time on hostile input', () => {
    const start = performance.now()
    run(`${'a'.repeat(50_000)}=${'"'.repeat(50_000)}`)
    run(`private="${'\\'.repeat(100_000)}`)
    run(','.repeat(100_000))
    expect(performance.now() - start).toBeLessThan(500)
  })
})
