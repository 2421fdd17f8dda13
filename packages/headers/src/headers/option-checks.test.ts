import { type ConfigIssue, closestMatch as closest } from '@rampart/core'
import { describe, expect, it } from 'vitest'
import { describeValue, isPlainObject, isToken, listValues, readOptions } from './option-checks.js'

describe('option checks', () => {
  it.each<[unknown, string]>([
    ['abc', "'abc'"],
    ['x'.repeat(100), `'${'x'.repeat(64)}…'`],
    [1, '1'],
    [Number.NaN, 'NaN'],
    [true, 'true'],
    [10n, '10n'],
    [null, 'null'],
    [undefined, 'undefined'],
    [[], 'an empty array'],
    [[1], 'an array'],
    [() => 1, 'a function'],
    [Symbol('s'), 'a symbol'],
    [{}, 'an object'],
    [new Map(), 'a Map'],
    [new Date(0), 'a Date'],
    [Object.create({}), 'an object with a custom prototype'],
  ])('describes %o as %s', (value, expected) => {
    expect(describeValue(value)).toBe(expected)
  })

  it('suggests close names only', () => {
    expect(closest('polcy', ['policy'])).toBe('policy')
    expect(closest('POLICY', ['policy'])).toBe('policy')
    expect(closest('foo', ['all', 'none'])).toBeUndefined()
    expect(closest('x', [])).toBeUndefined()
  })

  it('lists values', () => {
    expect(listValues(['a'])).toBe("'a'")
    expect(listValues(['a', 'b', 'c'])).toBe("'a', 'b' or 'c'")
  })

  it('recognises tokens', () => {
    expect(isToken("X-Powered-By!#$%&'*+-.^_`|~09")).toBe(true)
    for (const bad of ['', 'a b', 'a:b', 'a"b', 'a\u00e9', 'a\r\nb', 'a(b)'])
      expect(isToken(bad)).toBe(false)
  })

  it('accepts plain and null-prototype objects only', () => {
    expect(isPlainObject({})).toBe(true)
    expect(isPlainObject(Object.create(null))).toBe(true)
    expect(isPlainObject([])).toBe(false)
    expect(isPlainObject(new Map())).toBe(false)
    expect(isPlainObject(null)).toBe(false)
  })

  it('copies only own, known keys into a null-prototype object', () => {
    const issues: ConfigIssue[] = []
    const input = JSON.parse('{"policy":"a","__proto__":{"polluted":true}}')
    const options = readOptions(input, 'x', issues, {
      header: 'H',
      defaultOn: true,
      keys: ['policy'],
    })
    expect(Object.getPrototypeOf(options)).toBeNull()
    expect(options).toEqual({ policy: 'a' })
    expect(issues).toEqual([
      { path: 'x.__proto__', message: 'unknown option. Known options: policy.' },
    ])
  })
})
