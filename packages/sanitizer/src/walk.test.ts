import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type WalkRules, walk } from './walk.js'

const RULES: WalkRules = {
  maxDepth: 32,
  maxKeys: 1_000,
  maxTotalKeys: 10_000,
  maxArrayLength: 1_000,
  maxStringLength: 10_000,
  mongo: true,
  mongoAllow: new Set(),
  strings: { normalize: 'NFC', invisible: false, mixedScript: false },
  strip: false,
}

const strip: WalkRules = { ...RULES, strip: true }

function nested(depth: number): unknown {
  let value: unknown = 'leaf'
  for (let i = 0; i < depth; i++) value = { a: value }
  return value
}

const violation = (root: unknown, rules: WalkRules = RULES) => {
  const result = walk(root, 'body', rules)
  return result.ok ? undefined : result.violation
}

describe('structural limits', () => {
  it('admits maxDepth levels and refuses one more, naming the path', () => {
    expect(violation(nested(32))).toBeUndefined()
    expect(violation(nested(33))).toEqual({
      code: 'max-depth',
      path: `body${'.a'.repeat(32)}`,
    })
  })

  it('refuses 100,000 levels from JSON.parse without a stack overflow', () => {
    const text = `${'['.repeat(100_000)}${']'.repeat(100_000)}`
    const deep = JSON.parse(text)
    expect(violation(deep)?.code).toBe('max-depth')
    const deepObjects = JSON.parse(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`)
    expect(violation(deepObjects)?.code).toBe('max-depth')
  })

  it('refuses a million-element array before visiting its elements', () => {
    const huge = new Array(1_000_000).fill('x')
    expect(violation({ list: huge })).toEqual({ code: 'max-array-length', path: 'body.list' })
    expect(violation(huge)).toEqual({ code: 'max-array-length', path: 'body' })
  })

  it('counts keys per object and in total', () => {
    const wide = Object.fromEntries(Array.from({ length: 1_001 }, (_, i) => [`k${i}`, i]))
    expect(violation({ wide })).toEqual({ code: 'max-keys', path: 'body.wide' })
    const many = Array.from({ length: 20 }, () =>
      Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`k${i}`, i])),
    )
    expect(violation({ many })?.code).toBe('max-total-keys')
  })

  it('limits string length, at the root too', () => {
    expect(violation({ s: 'x'.repeat(10_001) })).toEqual({
      code: 'max-string-length',
      path: 'body.s',
    })
    expect(violation('x'.repeat(10_001))).toEqual({ code: 'max-string-length', path: 'body' })
  })
})

describe('prototype pollution', () => {
  it('refuses __proto__, prototype and constructor.prototype, however spelled in JSON', () => {
    for (const text of [
      '{"__proto__":{"admin":true}}',
      '{"a":{"\\u005f_proto__":{"admin":true}}}',
      '{"constructor":{"prototype":{"admin":true}}}',
      '[{"x":[{"prototype":1}]}]',
    ]) {
      expect(violation(JSON.parse(text))?.code, text).toBe('proto-key')
    }
    expect(violation(JSON.parse('{"a":{"\\u005f_proto__":1}}'))?.path).toBe('body.a.__proto__')
  })

  it('strips them as own properties, never touching a prototype', () => {
    const body = JSON.parse('{"user":{"name":"x","__proto__":{"admin":true}}}')
    const result = walk(body, 'body', strip)
    expect(result).toMatchObject({ ok: true, value: { user: { name: 'x' } } })
    expect(Object.getPrototypeOf(body.user)).toBe(Object.prototype)
    expect(({} as { admin?: boolean }).admin).toBeUndefined()
  })
})

describe('NoSQL operators', () => {
  it('refuses $-keys and dotted keys, full-width spellings included', () => {
    expect(violation({ password: { $ne: null } })).toEqual({
      code: 'mongo-operator',
      path: 'body.password.$ne',
    })
    expect(violation({ '＄where': '1' })?.code).toBe('mongo-operator')
    expect(violation({ 'profile.role': 'admin' })).toEqual({
      code: 'mongo-dotted-key',
      path: 'body["profile.role"]',
    })
  })

  it('strips like express-mongo-sanitize (removes the key), and honours the allow list', () => {
    const body = { user: { $gt: '', name: 'a' }, list: [{ 'a.b': 1, c: 2 }] }
    expect(walk(body, 'body', strip)).toMatchObject({
      ok: true,
      value: { user: { name: 'a' }, list: [{ c: 2 }] },
    })
    const allowed = { ...RULES, mongoAllow: new Set(['$search']) }
    expect(violation({ $search: 'x' }, allowed)).toBeUndefined()
    expect(violation({ $ne: 'x' }, { ...RULES, mongo: false })).toBeUndefined()
  })
})

describe('strings', () => {
  it('normalises, strips controls, refuses NUL', () => {
    const body = { a: 'e\u0301', b: 'x\u0007y\u0085z', c: 'tab\tnew\nline\r' }
    expect(walk(body, 'body', RULES)).toMatchObject({
      ok: true,
      value: { a: 'é', b: 'xyz', c: 'tab\tnew\nline\r' },
    })
    expect(violation({ a: ['ok', 'nul\u0000'] })).toEqual({ code: 'nul-byte', path: 'body.a[1]' })
    expect(walk({ a: 'n\u0000ul' }, 'body', strip)).toMatchObject({ ok: true, value: { a: 'nul' } })
    expect(violation({ 'k\u0000': 1 })).toEqual({
      code: 'control-char-key',
      path: 'body["k\\u0000"]',
    })
  })

  it('NFKC maps full-width look-alikes', () => {
    const nfkc = { ...RULES, strings: { ...RULES.strings, normalize: 'NFKC' as const } }
    expect(walk({ q: 'ｓｅｌｅｃｔ' }, 'body', nfkc)).toMatchObject({
      ok: true,
      value: { q: 'select' },
    })
  })

  it('finds invisible characters and mixed scripts when asked', () => {
    const both = {
      ...RULES,
      strings: { normalize: 'NFC' as const, invisible: true, mixedScript: true },
    }
    expect(violation({ u: 'ad\u200bmin' }, both)?.code).toBe('invisible-char')
    expect(violation({ u: 'a\u202egnp.exe' }, both)?.code).toBe('invisible-char')
    expect(violation({ u: 'p\u0430ypal' }, both)?.code).toBe('mixed-script')
    expect(violation({ u: 'Ελληνικά and English' }, both)).toBeUndefined()
    expect(violation({ u: 'ad\u200bmin' })).toBeUndefined()
  })

  it('never echoes the value: paths hold keys only, cut and escaped', () => {
    const key = `${'k'.repeat(100)}"\u0001`
    const path = violation({ [key]: { $ne: 1 } })?.path ?? ''
    expect(path.length).toBeLessThan(100)
    expect(path).not.toContain('\u0001')
  })
})

describe('change tracking', () => {
  it('says whether it cleaned anything, so the caller hands the value back only then', () => {
    expect(walk({ a: 'plain', b: [1, { c: 'é' }] }, 'body', RULES)).toMatchObject({
      changed: false,
    })
    expect(walk({ a: 'x\u0007' }, 'body', RULES)).toMatchObject({ changed: true })
    expect(walk({ $a: 1 }, 'body', strip)).toMatchObject({ changed: true, value: {} })
    expect(walk('e\u0301', 'body', RULES)).toEqual({ ok: true, value: 'é', changed: true })
  })
})

describe('properties', () => {
  it('random JSON passes unchanged or is refused with a code; no prototype is ever polluted', () => {
    const key = fc.oneof(
      fc.string(),
      fc.constantFrom('__proto__', 'constructor', 'prototype', '$where', 'a.b', '＄ne'),
    )
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 5 }),
        fc.dictionary(key, tie('value'), { maxKeys: 5 }),
      ),
    })).value
    fc.assert(
      fc.property(json, fc.boolean(), (value, stripMode) => {
        const text = JSON.stringify(value)
        const parsed = JSON.parse(text)
        const result = walk(parsed, 'body', stripMode ? strip : RULES)
        expect(({} as Record<string, unknown>).admin).toBeUndefined()
        expect(Object.prototype).not.toHaveProperty('$where')
        if (result.ok) {
          // Whatever passes is plain data that survives a JSON round trip.
          expect(JSON.parse(JSON.stringify(result.value))).toEqual(result.value)
          if (!stripMode) {
            const clean = JSON.parse(text)
            const again = walk(clean, 'body', RULES)
            expect(again.ok).toBe(true)
          }
        } else {
          expect(result.violation.code).toMatch(/^[a-z-]+$/)
          expect(result.violation.path.startsWith('body')).toBe(true)
        }
      }),
      { numRuns: 300 },
    )
  })
})
