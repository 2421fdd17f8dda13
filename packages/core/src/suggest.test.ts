import { describe, expect, it } from 'vitest'
import { closestMatch, describeValue, isPlainObject } from './suggest.js'

describe('closestMatch', () => {
  it('suggests likely typos only, folding case and separators', () => {
    expect(closestMatch('alow', ['allow', 'deny'])).toBe('allow')
    expect(closestMatch('slef', ['self', 'none'])).toBe('self')
    expect(closestMatch('script_src', ['script-src', 'style-src'])).toBe('script-src')
    expect(closestMatch('foo', ['allow', 'deny'])).toBeUndefined()
    expect(closestMatch('x'.repeat(100), ['x'])).toBeUndefined()
  })
  it('breaks ties towards the input spelling', () => {
    expect(closestMatch('syncXHR', ['sync-xhr', 'syncXhr'])).toBe('syncXhr')
    expect(closestMatch('SYNC-XHR', ['syncXhr', 'sync-xhr'])).toBe('sync-xhr')
  })
})

describe('describeValue / isPlainObject', () => {
  it('describes values briefly and never echoes long input', () => {
    expect(describeValue('a'.repeat(100))).toHaveLength(67)
    expect(describeValue([])).toBe('an empty array')
    expect(describeValue(new Map())).toBe('a Map')
    expect(isPlainObject(Object.create(null))).toBe(true)
    expect(isPlainObject([])).toBe(false)
  })
})
