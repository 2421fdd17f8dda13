import { describe, expect, it } from 'vitest'
import { mergePatch } from './merge.js'

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key])
  }
  return value
}

/** Applies a patch to frozen inputs and checks that neither changed. */
function merge(target: unknown, patch: unknown): unknown {
  const [targetCopy, patchCopy] = [structuredClone(target), structuredClone(patch)]
  const result = mergePatch(deepFreeze(target), deepFreeze(patch))
  expect(target).toEqual(targetCopy)
  expect(patch).toEqual(patchCopy)
  return result
}

describe('mergePatch: RFC 7396', () => {
  // Appendix A, every example, as JSON text.
  it.each([
    ['{"a":"b"}', '{"a":"c"}', '{"a":"c"}'],
    ['{"a":"b"}', '{"b":"c"}', '{"a":"b","b":"c"}'],
    ['{"a":"b"}', '{"a":null}', '{}'],
    ['{"a":"b","b":"c"}', '{"a":null}', '{"b":"c"}'],
    ['{"a":["b"]}', '{"a":"c"}', '{"a":"c"}'],
    ['{"a":"c"}', '{"a":["b"]}', '{"a":["b"]}'],
    ['{"a":{"b":"c"}}', '{"a":{"b":"d","c":null}}', '{"a":{"b":"d"}}'],
    ['{"a":[{"b":"c"}]}', '{"a":[1]}', '{"a":[1]}'],
    ['["a","b"]', '["c","d"]', '["c","d"]'],
    ['{"a":"b"}', '["c"]', '["c"]'],
    ['{"a":"foo"}', 'null', 'null'],
    ['{"a":"foo"}', '"bar"', '"bar"'],
    ['{"e":null}', '{"a":1}', '{"e":null,"a":1}'],
    ['[1,2]', '{"a":"b","c":null}', '{"a":"b"}'],
    ['{}', '{"a":{"bb":{"ccc":null}}}', '{"a":{"bb":{}}}'],
  ])('%s patched by %s gives %s', (target, patch, result) => {
    expect(merge(JSON.parse(target), JSON.parse(patch))).toEqual(JSON.parse(result))
  })

  it('merges the example of section 3', () => {
    const target = {
      title: 'Goodbye!',
      author: { givenName: 'John', familyName: 'Doe' },
      tags: ['example', 'sample'],
      content: 'This will be unchanged',
    }
    const patch = {
      title: 'Hello!',
      phoneNumber: '+01-123-456-7890',
      author: { familyName: null },
      tags: ['example'],
    }
    expect(merge(target, patch)).toEqual({
      title: 'Hello!',
      author: { givenName: 'John' },
      tags: ['example'],
      content: 'This will be unchanged',
      phoneNumber: '+01-123-456-7890',
    })
  })

  it('treats a target that is not a plain object as {}', () => {
    expect(merge('text', { a: 1 })).toEqual({ a: 1 })
    expect(mergePatch(new Date(0), { a: 1 })).toEqual({ a: 1 })
    expect(merge({ a: 5 }, { a: { b: 1 } })).toEqual({ a: { b: 1 } })
  })
})

describe('mergePatch: safety', () => {
  it('never mutates and shares untouched subtrees', () => {
    const target = deepFreeze({ owner: 'alice', address: { city: 'c' }, list: [1] })
    const result = mergePatch(target, { owner: 'bob' }) as typeof target
    expect(result).toEqual({ owner: 'bob', address: { city: 'c' }, list: [1] })
    expect(result).not.toBe(target)
    expect(result.address).toBe(target.address)
    expect(target.owner).toBe('alice')
  })

  it('ignores prototype keys in the patch, at any depth', () => {
    const patch = JSON.parse(
      '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"prototype":1,"a":{"__proto__":{"polluted":1},"b":1}}',
    )
    const result = merge({ a: { c: 2 } }, patch) as Record<string, Record<string, unknown>>
    expect(result).toEqual({ a: { c: 2, b: 1 } })
    expect(Object.keys(result)).toEqual(['a'])
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype)
    expect(Object.getPrototypeOf(result.a)).toBe(Object.prototype)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('keeps an own __proto__ key of the target as a key', () => {
    const target = JSON.parse('{"__proto__":{"x":1},"a":1}')
    const result = mergePatch(target, { a: 2 }) as Record<string, unknown>
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype)
    expect(Object.keys(result)).toEqual(['__proto__', 'a'])
    expect(result.x).toBeUndefined()
  })

  it('merges a 10,000-deep patch without overflowing', () => {
    let patch: Record<string, unknown> = { v: 1 }
    for (let i = 0; i < 10_000; i++) patch = { a: patch }
    let result = mergePatch({ a: { keep: true } }, patch) as Record<string, unknown>
    expect(result.a).toHaveProperty('keep', true)
    for (let i = 0; i < 10_000; i++) result = result.a as Record<string, unknown>
    expect(result).toEqual({ v: 1 })
  })

  it('refuses a cyclic patch instead of hanging', () => {
    const patch: Record<string, unknown> = {}
    patch.self = patch
    expect(() => mergePatch({}, patch)).toThrow(RangeError)
  })
})
