import { RampartConfigError } from '@rampart/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Censor } from './censor.js'
import { MARKERS } from './copy.js'
import { createRedactor } from './redactor.js'

const R = '[REDACTED]'

describe('paths (fast-redact / pino syntax, plus **)', () => {
  it('censors static, bracketed, indexed and wildcard paths', () => {
    const redact = createRedactor({
      defaultKeys: false,
      paths: [
        'a.b',
        'h["x-api-key"]',
        "q['it\\'s']",
        'list[1]',
        '*.pin',
        'rows[*].card',
        'deep.*.z',
      ],
    })
    const input = {
      a: { b: 'secret', c: 'keep' },
      h: { 'x-api-key': 'k', other: 'keep' },
      list: ['keep', 'secret', 'keep'],
      user: { pin: '1234', name: 'keep' },
      rows: [
        { card: '4242', id: 1 },
        { card: '5555', id: 2 },
      ],
      deep: { x: { z: 1, y: 2 }, w: { z: 3 } },
    }
    expect(redact(input)).toEqual({
      a: { b: R, c: 'keep' },
      h: { 'x-api-key': R, other: 'keep' },
      list: ['keep', R, 'keep'],
      user: { pin: R, name: 'keep' },
      rows: [
        { card: R, id: 1 },
        { card: R, id: 2 },
      ],
      deep: { x: { z: R, y: 2 }, w: { z: R } },
    })
  })

  it('** matches at any depth, zero levels included', () => {
    const redact = createRedactor({ defaultKeys: false, paths: ['**.ssn', 'req.**.sig'] })
    expect(
      redact({ ssn: 1, a: { b: [{ ssn: 2 }] }, req: { sig: 3, q: { r: { sig: 4 } } }, sig: 5 }),
    ).toEqual({ ssn: R, a: { b: [{ ssn: R }] }, req: { sig: R, q: { r: { sig: R } } }, sig: 5 })
  })

  it('refuses a malformed path at construction, naming it', () => {
    expect(() => createRedactor({ paths: ['a..b'] })).toThrow(RampartConfigError)
    expect(() => createRedactor({ paths: ['ok', 'a[b'] })).toThrow(/paths\[1\].*unclosed bracket/)
  })
})

describe('key rules', () => {
  it('censors the default secret names whatever their case or separators', () => {
    const redact = createRedactor()
    expect(
      redact({
        Authorization: 'Bearer x',
        headers: { 'Set-Cookie': ['a=b'], 'X-API-Key': 'k', accept: '*/*' },
        user: { PassWord: 'p', api_key: 'k', apiKey: 'k', clientSecret: 's', name: 'ann' },
      }),
    ).toEqual({
      Authorization: R,
      headers: { 'Set-Cookie': R, 'X-API-Key': R, accept: '*/*' },
      user: { PassWord: R, api_key: R, apiKey: R, clientSecret: R, name: 'ann' },
    })
  })

  it('extends or replaces the list', () => {
    expect(createRedactor({ keys: ['iban'] })({ IBAN: 'x', token: 't' })).toEqual({
      IBAN: R,
      token: R,
    })
    expect(
      createRedactor({ defaultKeys: false, keys: ['iban'] })({ IBAN: 'x', token: 't' }),
    ).toEqual({
      IBAN: R,
      token: 't',
    })
  })
})

describe('censors', () => {
  const input = { card: '4242424242424242', pin: 1234, name: 'ann' }
  const paths = ['card', 'pin']

  it('fixed text, remove, partial and a function of (value, path)', () => {
    expect(createRedactor({ paths, censor: '***' })(input)).toEqual({
      card: '***',
      pin: '***',
      name: 'ann',
    })
    expect(createRedactor({ paths, censor: 'remove' })(input)).toEqual({ name: 'ann' })
    expect(createRedactor({ paths, censor: { partial: 4 } })(input)).toEqual({
      card: '************4242',
      pin: R,
      name: 'ann',
    })
    const seen: unknown[] = []
    const fn = createRedactor({
      paths,
      censor: (value, path) => {
        seen.push(path.join('.'))
        return typeof value
      },
    })
    expect(fn(input)).toEqual({ card: 'string', pin: 'number', name: 'ann' })
    expect(seen).toEqual(['card', 'pin'])
  })

  it('partial never reveals more than a quarter of a short secret', () => {
    expect(createRedactor({ paths: ['p'], censor: { partial: 4 } })({ p: 'abcd' })).toEqual({
      p: '***d',
    })
  })

  it('a throwing censor function gives the default text', () => {
    const redact = createRedactor({
      paths: ['a'],
      censor: () => {
        throw new Error('censor bug')
      },
    })
    expect(redact({ a: 'x' })).toEqual({ a: R })
  })
})

describe('the safe serialiser', () => {
  const redact = createRedactor({ paths: ['**.secret'] })

  it('survives cycles, BigInt, throwing getters and odd objects, and never throws', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' }
    cyclic.self = cyclic
    const getter = {
      get boom() {
        throw new Error('no')
      },
      ok: 1,
    }
    const out = redact({
      cyclic,
      big: 10n ** 20n,
      getter,
      fn: () => 1,
      sym: Symbol('s'),
      nothing: undefined,
    })
    expect(out).toEqual({
      cyclic: { name: 'loop', self: MARKERS.circular },
      big: '100000000000000000000',
      getter: { boom: MARKERS.unserializable, ok: 1 },
    })
    const proxy = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('trap')
        },
      },
    )
    expect(() => redact.json(proxy)).not.toThrow()
    expect(redact.json(undefined)).toBe('null')
  })

  it('keeps an Error whole (name, message, stack, cause, fields), redacted', () => {
    const cause = new TypeError('inner')
    const error = Object.assign(new Error('outer', { cause }), { code: 'E_X', secret: 's3' })
    const out = redact(error) as Record<string, unknown>
    expect(out).toMatchObject({
      name: 'Error',
      message: 'outer',
      stack: expect.stringContaining('outer'),
      code: 'E_X',
      secret: R,
      cause: { name: 'TypeError', message: 'inner' },
    })
  })

  it('honours toJSON and still redacts its result', () => {
    const value = { toJSON: () => ({ secret: 'x', ok: 1 }) }
    expect(redact({ value, when: new Date(0) })).toEqual({
      value: { secret: R, ok: 1 },
      when: '1970-01-01T00:00:00.000Z',
    })
  })

  it('renders Map, Set, Headers, URLSearchParams and URL readably, with key rules', () => {
    const out = redact({
      map: new Map<unknown, unknown>([
        ['a', 1],
        ['token', 't'],
        [2, 'two'],
      ]),
      set: new Set([1, 2]),
      headers: new Headers({ authorization: 'Bearer x', accept: 'json' }),
      params: new URLSearchParams('q=1&password=p'),
      url: new URL('https://example.com/a?b=1'),
      bytes: new Uint8Array(3),
    })
    expect(out).toEqual({
      map: { a: 1, token: R, '2': 'two' },
      set: [1, 2],
      headers: { accept: 'json', authorization: R },
      params: { q: '1', password: R },
      url: 'https://example.com/a?b=1',
      bytes: '[Uint8Array 3 bytes]',
    })
  })

  it('bounds depth, node count and string length with markers', () => {
    let deep: unknown = 'bottom'
    for (let i = 0; i < 50; i++) deep = { d: deep }
    const limited = createRedactor({ maxDepth: 3, maxNodes: 5, maxStringLength: 4 })
    expect(limited({ d: { d: { d: { d: 1 } } } })).toEqual({ d: { d: { d: MARKERS.depth } } })
    expect(limited([1, 2, 3, 4, 5, 6, 7])).toEqual([1, 2, 3, 4, 5, MARKERS.nodes])
    expect(limited('abcdefgh')).toBe('abcd…[4 more characters]')
    expect(() => createRedactor()(deep)).not.toThrow()
  })

  it('keeps a __proto__ key an own key of the copy', () => {
    const out = createRedactor({ defaultKeys: false })(
      JSON.parse('{"__proto__":{"x":1}}'),
    ) as object
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype)
    expect(Object.keys(out)).toEqual(['__proto__'])
  })

  it('json() is the copy as JSON text', () => {
    expect(createRedactor().json({ password: 'p', n: 1 })).toBe('{"password":"[REDACTED]","n":1}')
  })
})

describe('properties', () => {
  const SECRET = 'S3CR3T-VALUE-7f1c'

  it('a secret under a secret key, anywhere in a random structure, never reaches the output; the input is unchanged', () => {
    const redact = createRedactor()
    const leaf = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null))
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie('node'), { maxKeys: 4 }),
        tie('map'),
        tie('error'),
      ),
      map: fc
        .array(fc.tuple(fc.string(), tie('node')), { maxLength: 3 })
        .map((entries) => new Map(entries)),
      error: fc
        .tuple(fc.string(), tie('node'))
        .map(([m, v]) => Object.assign(new Error(m), { data: v })),
    })).node
    const place = fc.constantFrom(
      'password',
      'Authorization',
      'api-key',
      'SET_COOKIE',
      'clientSecret',
    )
    fc.assert(
      fc.property(tree, place, fc.nat(), (base, key, seed) => {
        // Plant the secret under a secret key at a position chosen by the seed.
        const holder: Record<string, unknown> = { [key]: SECRET }
        const root = {
          items: [base, holder],
          nested: seed % 2 === 0 ? { holder } : new Map([['h', holder]]),
        }
        const before = JSON.stringify(root, (_k, v) => (v instanceof Map ? [...v] : v))
        const out = redact.json(root)
        expect(out).not.toContain(SECRET)
        expect(JSON.stringify(root, (_k, v) => (v instanceof Map ? [...v] : v))).toBe(before)
      }),
      { numRuns: 300 },
    )
  })
})

describe('detectors', () => {
  const jwt =
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'

  it('globally: secrets inside free text are censored in place', () => {
    const redact = createRedactor({ detectors: 'all' })
    const out = redact({
      msg: `login ok with token ${jwt} for card 4242 4242 4242 4242`,
      note: 'order 123456789 shipped',
    }) as Record<string, string>
    expect(out.msg).not.toContain(jwt)
    expect(out.msg).not.toContain('4242 4242 4242 4242')
    expect(out.msg).toContain('[REDACTED]')
    expect(out.note).toBe('order 123456789 shipped')
  })

  it('per field: only the fields declared', () => {
    const redact = createRedactor({
      detectorFields: { 'req.url': ['url-credentials', 'url-secret-param'] },
    })
    const out = redact({
      req: { url: 'https://ann:hunter2@example.com/cb?code=abc123&state=x' },
      other: 'https://ann:hunter2@example.com/',
    }) as { req: { url: string }; other: string }
    expect(out.req.url).not.toMatch(/hunter2|abc123/)
    expect(out.req.url).toContain('state=x')
    expect(out.other).toContain('hunter2')
  })

  it('with a partial censor, a card keeps its last digits', () => {
    const redact = createRedactor({ detectors: ['credit-card'], censor: { partial: 4 } })
    expect(redact('paid with 4111111111111111')).toMatch(/paid with \*+1111$/)
  })

  it('refuses an unknown detector at construction', () => {
    expect(() => createRedactor({ detectors: ['jwtt' as never] })).toThrow(RampartConfigError)
  })
})

describe('the keyed-hash censor', () => {
  it('gives one secret one tag, different secrets different tags, and reveals neither', () => {
    const redact = createRedactor({
      paths: ['**.card'],
      censor: { hash: { secret: 'log-correlation-key-1' } },
    })
    const a = redact({ x: { card: '4242424242424242' } }) as { x: { card: string } }
    const b = redact({ y: [{ card: '4242424242424242' }] }) as { y: { card: string }[] }
    const c = redact({ card: '5555555555554444' }) as { card: string }
    expect(a.x.card).toMatch(/^\[REDACTED:[0-9a-f]{16}\]$/)
    expect(b.y[0]?.card).toBe(a.x.card)
    expect(c.card).not.toBe(a.x.card)
    const otherKey = createRedactor({
      paths: ['card'],
      censor: { hash: { secret: 'another-key-of-16-chars' } },
    })
    expect((otherKey({ card: '4242424242424242' }) as { card: string }).card).not.toBe(a.x.card)
    expect(() => createRedactor({ censor: { hash: { secret: 'short' } } })).toThrow(
      RampartConfigError,
    )
  })
})

describe('detector secrets planted anywhere', () => {
  const secrets = [
    'AKIAIOSFODNN7EXAMPLE',
    'ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789',
    'sk_live_4eC39HqLyjWDarjtT1zdp7dc',
    '4111 1111 1111 1111',
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.dGVzdHNpZ25hdHVyZXRlc3RzaWc',
  ]

  it('never reach the output, in values, arrays, Maps, error messages or URLs; the input is unchanged', () => {
    const redact = createRedactor({ detectors: 'all' })
    fc.assert(
      fc.property(
        fc.constantFrom(...secrets),
        fc.string({ maxLength: 20 }).filter((s) => !/[A-Za-z0-9]$/.test(s)),
        fc.constantFrom('value', 'array', 'map', 'error', 'url', 'deep'),
        (secret, prefix, where) => {
          const text = `${prefix} ${secret} end`
          const holder: Record<string, unknown> =
            where === 'value'
              ? { note: text }
              : where === 'array'
                ? { list: ['a', text] }
                : where === 'map'
                  ? { map: new Map([['k', text]]) }
                  : where === 'error'
                    ? { err: new Error(text) }
                    : where === 'url'
                      ? {
                          url: `https://example.com/cb?note=${encodeURIComponent('x')}&token=${encodeURIComponent(secret)}`,
                        }
                      : { a: { b: { c: [text] } } }
          const before = JSON.stringify(holder, (_k, v) =>
            v instanceof Map ? [...v] : v instanceof Error ? v.message : v,
          )
          const out = redact.json(holder)
          expect(out).not.toContain(secret)
          expect(out).not.toContain(encodeURIComponent(secret))
          expect(
            JSON.stringify(holder, (_k, v) =>
              v instanceof Map ? [...v] : v instanceof Error ? v.message : v,
            ),
          ).toBe(before)
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe("serializer: 'native'", () => {
  const paths = ['outer.b.c', 'rows[*].pin', 'h["x-y"]']
  const fast = createRedactor({ paths, defaultKeys: false, serializer: 'native' })
  const safe = createRedactor({ paths, defaultKeys: false })

  it('writes the same text as the safe walk for plain data, and leaves the input alone', () => {
    const input = {
      outer: { b: { c: 's', d: 1 } },
      rows: [{ pin: 1, id: 2 }, { id: 3 }],
      h: { 'x-y': 'k' },
      n: null,
    }
    const before = JSON.stringify(input)
    expect(fast.json(input)).toBe(safe.json(input))
    expect(JSON.stringify(input)).toBe(before)
  })

  it('falls back to the safe walk for what JSON.stringify cannot write, and for odd objects on a path', () => {
    const cyclic: Record<string, unknown> = { outer: { b: { c: 's' } } }
    cyclic.self = cyclic
    expect(fast.json(cyclic)).toBe(safe.json(cyclic))
    expect(fast.json({ big: 1n, outer: { b: { c: 's' } } })).toBe(
      safe.json({ big: 1n, outer: { b: { c: 's' } } }),
    )
    const onPath = { outer: new Map([['b', { c: 's' }]]) }
    expect(fast.json(onPath)).toBe(safe.json(onPath))
  })

  it('writes what the safe walk writes, for random plain data, paths and censors (differential)', () => {
    // A small key alphabet so that random paths meet random data often.
    const key = fc.constantFrom('a', 'b', '0', '1', '__proto__', 'constructor', 'x-y')
    const leaf = fc.oneof(
      fc.string({ maxLength: 3 }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
    )
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('node'), { maxLength: 3 }),
        fc
          .array(fc.tuple(key, tie('node')), { maxLength: 4 })
          .map((entries) => JSON.parse(JSON.stringify(Object.fromEntries(entries)))),
      ),
    })).node
    const segment = fc.oneof(key, fc.constant('*'))
    const path = fc
      .array(segment, { minLength: 1, maxLength: 3 })
      .map((segs) => segs.map((s) => (s === '*' ? '[*]' : `[${JSON.stringify(s)}]`)).join(''))
    const censor = fc.constantFrom<Censor>(
      '[X]',
      'remove',
      { partial: 2 },
      (value: unknown, at: readonly (string | number)[]) => `${at.join('/')}:${typeof value}`,
    )
    fc.assert(
      fc.property(tree, fc.array(path, { minLength: 1, maxLength: 4 }), censor, (data, ps, c) => {
        const options = { paths: ps, defaultKeys: false, censor: c } as const
        const before = JSON.stringify(data)
        const fastText = createRedactor({ ...options, serializer: 'native' }).json(data)
        expect(fastText).toBe(createRedactor(options).json(data))
        expect(JSON.stringify(data)).toBe(before)
      }),
      { numRuns: 2000 },
    )
  })

  it('leaves inherited keys, array lengths and holes as the safe walk does', () => {
    const options = {
      paths: ['constructor', 'list.length', 'list[1]', 'list[5]', 'o.toString'],
      defaultKeys: false,
    } as const
    const list: unknown[] = [1]
    list[2] = 3 // a hole at 1
    const input = { list, o: {} }
    const text = createRedactor({ ...options, serializer: 'native' }).json(input)
    expect(text).toBe(createRedactor(options).json(input))
    expect(text).toBe(`{"list":[1,"${R}",3],"o":{}}`)
  })

  it('hands an object with a toJSON, a boxed value or a class instance on the spine to the safe walk', () => {
    class Point {
      constructor(readonly outer = { b: { c: 'p' } }) {}
    }
    for (const value of [
      { outer: { b: { c: 's', toJSON: () => ({ c: 'leak' }) } } },
      { outer: Object.assign(new String('text'), { b: { c: 's' } }) },
      { outer: { b: new Date(0) } },
      new Point(),
    ]) {
      expect(fast.json(value)).toBe(safe.json(value))
    }
  })

  it('is refused with any rule it cannot apply', () => {
    expect(() => createRedactor({ paths, serializer: 'native' })).toThrow(/key rules/)
    expect(() =>
      createRedactor({ paths: ['**.x'], defaultKeys: false, serializer: 'native' }),
    ).toThrow(/'\*\*' paths/)
    expect(() =>
      createRedactor({ defaultKeys: false, detectors: 'all', serializer: 'native' }),
    ).toThrow(/detectors/)
  })
})
