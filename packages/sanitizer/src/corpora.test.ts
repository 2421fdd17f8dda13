// Adversarial corpora through every rule: the Big List of Naughty Strings as values, keys and
// upload names; prototype-pollution and NoSQL-operator payload variants; deep and wide shapes.
import { describe, expect, it } from 'vitest'
import { safeFilename } from './filename.js'
import { NAUGHTY_STRINGS_BASE64 } from './fixtures/blns.js'
import { sanitizeHtml } from './html.js'
import { type WalkRules, walk } from './walk.js'

const RULES: WalkRules = {
  maxDepth: 32,
  maxKeys: 1_000,
  maxTotalKeys: 10_000,
  maxArrayLength: 1_000,
  maxStringLength: 100_000,
  mongo: true,
  mongoAllow: new Set(),
  strings: { normalize: 'NFC', invisible: true, mixedScript: true },
  strip: false,
}

const decoder = new TextDecoder()
const naughty = NAUGHTY_STRINGS_BASE64.map((b64) =>
  decoder.decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))),
)

function hasStrippedControl(s: string): boolean {
  for (const ch of s) {
    const c = ch.codePointAt(0) as number
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || (c >= 0x7f && c <= 0x9f)) return true
  }
  return false
}

describe('the big list of naughty strings', () => {
  it(`has its ${naughty.length} strings`, () => {
    expect(naughty.length).toBeGreaterThan(400)
  })

  it('as values: passed normalised and free of controls, or refused with a code', () => {
    let refused = 0
    for (const s of naughty) {
      for (const strip of [false, true]) {
        const result = walk({ field: s, list: [s] }, 'body', { ...RULES, strip })
        if (!result.ok) {
          refused++
          expect(['nul-byte', 'invisible-char', 'mixed-script']).toContain(result.violation.code)
          continue
        }
        const value = (result.value as { field: string }).field
        expect(hasStrippedControl(value), JSON.stringify(s)).toBe(false)
        expect(value).toBe(value.normalize('NFC'))
      }
    }
    expect(refused).toBeGreaterThan(0)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('as keys: admitted, stripped or refused, never a crash or a polluted prototype', () => {
    for (const s of naughty) {
      const result = walk(JSON.parse(JSON.stringify({ [s]: { inner: 1 } })), 'body', RULES)
      if (!result.ok) expect(result.violation.path.startsWith('body')).toBe(true)
      walk(JSON.parse(JSON.stringify({ [s]: 1 })), 'body', { ...RULES, strip: true })
    }
    expect(Object.keys(Object.prototype)).toEqual([])
  })

  it('as upload names and rich text', () => {
    for (const s of naughty) {
      const name = safeFilename(s)
      expect(name.length).toBeGreaterThan(0)
      expect(name).not.toMatch(/[/\\<>:"|?*]/)
      expect(sanitizeHtml(s).toLowerCase()).not.toMatch(/<(script|img|svg|iframe|style)/)
    }
  })
})

describe('payload corpora', () => {
  const protoPayloads = [
    '{"__proto__":{"polluted":1}}',
    '{"a":{"__proto__":{"polluted":1}}}',
    '{"\\u005F\\u005Fproto\\u005F\\u005F":{"polluted":1}}',
    '{"constructor":{"prototype":{"polluted":1}}}',
    '[{"__proto__":[]}]',
    '{"a":[{"b":{"prototype":{}}}]}',
  ]
  const operatorPayloads = [
    '{"password":{"$ne":null}}',
    '{"username":{"$gt":""}}',
    '{"$where":"sleep(1000)"}',
    '{"user":{"$regex":".*"}}',
    '{"filter":{"role":{"$in":["admin"]}}}',
    '{"a.b":1}',
    '{"q":{"＄ne":1}}',
    '{"q":{"﹩ne":1}}',
  ]

  it('refuses every prototype-pollution variant and strips it without polluting', () => {
    for (const text of protoPayloads) {
      expect(walk(JSON.parse(text), 'body', RULES), text).toMatchObject({
        ok: false,
        violation: { code: 'proto-key' },
      })
      const stripped = walk(JSON.parse(text), 'body', { ...RULES, strip: true })
      expect(stripped.ok).toBe(true)
      expect(JSON.stringify((stripped as { value: unknown }).value)).not.toMatch(
        /__proto__|prototype/,
      )
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('refuses every operator payload', () => {
    for (const text of operatorPayloads) {
      const result = walk(JSON.parse(text), 'body', RULES)
      expect(result.ok, text).toBe(false)
      expect(['mongo-operator', 'mongo-dotted-key']).toContain(
        (result as { violation: { code: string } }).violation.code,
      )
    }
  })

  it('refuses deep and wide shapes at their limits, whatever their kind', () => {
    const shapes: [unknown, string][] = [
      [JSON.parse(`${'['.repeat(50_000)}${']'.repeat(50_000)}`), 'max-depth'],
      [JSON.parse(`${'{"a":'.repeat(50_000)}0${'}'.repeat(50_000)}`), 'max-depth'],
      [Array.from({ length: 100_000 }, () => 0), 'max-array-length'],
      [Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, 0])), 'max-keys'],
      [{ s: 'x'.repeat(200_000) }, 'max-string-length'],
      [Array.from({ length: 900 }, () => Array.from({ length: 900 }, () => 0)), 'max-total-keys'],
    ]
    for (const [shape, code] of shapes) {
      expect(walk(shape, 'body', RULES)).toMatchObject({ ok: false, violation: { code } })
    }
  })
})
