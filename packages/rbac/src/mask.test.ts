import { describe, expect, it } from 'vitest'
import {
  ALL_FIELDS,
  compileMask,
  type FieldMask,
  MAX_DEPTH,
  NO_FIELDS,
  patternError,
} from './mask.js'

/** Freezes a value and everything below it, so any write in a mask throws. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key])
  }
  return value
}

/** Filters a frozen copy of `input` with a mask of one grant and checks the result. */
function check(patterns: readonly string[] | undefined, input: unknown, expected: unknown) {
  expect(compileMask([patterns]).filter(deepFreeze(structuredClone(input)))).toEqual(expected)
}

function partner() {
  return {
    id: 'p1',
    name: 'Partner 1',
    email: 'p1@example.com',
    phone: '+49 30 1234567',
    website: 'https://p1.example.com',
    vatId: 'DE123456789',
    creditLimit: 50_000,
    ownerId: 'alice',
    address: { street: 'Hauptstraße 1', city: 'Berlin', country: 'DE' },
    contacts: [
      { name: 'Ada', email: 'ada@example.com', phone: '+49 30 7654321' },
      { name: 'Bob', email: 'bob@example.com', phone: '+49 30 1111111' },
    ],
  }
}

/** An object nested `depth` levels under key `a`, holding `{ v: 1 }` at the bottom. */
function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { v: 1 }
  for (let i = 0; i < depth; i++) value = { a: value }
  return value
}

describe('patternError', () => {
  it.each([
    'name',
    'address.city',
    '*',
    '**',
    'address.*',
    '**.password',
    'a.**.b',
    '!creditLimit',
    '!address.street',
    '!**.secret',
    'e-mail',
    'line2',
    'straße',
    ' padded ',
    '0',
  ])('accepts %j', (pattern) => {
    expect(patternError(pattern)).toBeUndefined()
  })

  it.each([
    ['', /empty pattern/],
    ['a..b', /empty segment/],
    ['a.', /empty segment/],
    ['.a', /empty segment/],
    ['!', /'!' alone/],
    ['!!x', /more than one '!'/],
    ['a!b', /may only start/],
    ['a.!b', /may only start/],
    ['a*', /mixes '\*'/],
    ['*a', /mixes '\*'/],
    ['***', /mixes '\*'/],
    ['a.**b', /mixes '\*'/],
    ['__proto__', /prototype key/],
    ['a.constructor', /prototype key/],
    ['!prototype', /prototype key/],
    [' ', /blank segment/],
    ['a.\t.b', /blank segment/],
  ])('rejects %j', (pattern, message) => {
    expect(patternError(pattern)).toMatch(message)
    expect(() => compileMask([[pattern]])).toThrow(TypeError)
    expect(() => compileMask([undefined], [pattern])).toThrow(TypeError)
  })

  it('rejects a non-string (configs written in JavaScript)', () => {
    expect(patternError(42 as unknown as string)).toMatch(/string/)
  })
})

describe('compileMask: the shared masks', () => {
  it('gives ALL_FIELDS for every field, NO_FIELDS for no grant', () => {
    expect(compileMask([undefined])).toBe(ALL_FIELDS)
    expect(compileMask([['*']])).toBe(ALL_FIELDS)
    expect(compileMask([['**']])).toBe(ALL_FIELDS)
    expect(compileMask([['name'], undefined])).toBe(ALL_FIELDS)
    expect(compileMask([])).toBe(NO_FIELDS)
    expect(compileMask([[]])).toBe(NO_FIELDS)
    expect(compileMask([undefined], ['*'])).toBe(NO_FIELDS)
    expect(compileMask([['name']], ['name'])).toBe(NO_FIELDS)
    expect(ALL_FIELDS.all && !ALL_FIELDS.none).toBe(true)
    expect(NO_FIELDS.none && !NO_FIELDS.all).toBe(true)
  })

  it('returns the input itself under all', () => {
    const record = partner()
    expect(ALL_FIELDS.filter(record)).toBe(record)
    expect(ALL_FIELDS.filter(5)).toBe(5)
    expect(ALL_FIELDS.filter(null)).toBe(null)
  })

  it('gives nothing under none', () => {
    expect(NO_FIELDS.filter(partner())).toBeUndefined()
    expect(NO_FIELDS.filter([partner(), partner()])).toEqual([])
    expect(NO_FIELDS.filter('text')).toBeUndefined()
  })

  it('refuses an automaton that would blow up, naming the pattern', () => {
    const stars = Array.from({ length: 14 }, () => '*').join('.')
    expect(() => compileMask([[`**.a.${stars}`]])).toThrow(RangeError)
    expect(() => compileMask([['name', 'email', `**.a.${stars}`]])).toThrow(
      `Field pattern '**.a.${stars}' is too complex`,
    )
    expect(() => compileMask([['name']], [`**.a.${stars}`])).toThrow(/'\*\*\.a\.\*/)
    expect(() => compileMask([['name', `!**.a.${stars}`]])).toThrow(`'!**.a.${stars}'`)
    // Ten '*' after '**' still compile.
    const ten = Array.from({ length: 10 }, () => '*').join('.')
    expect(compileMask([['name', `!**.a.${ten}`]]).allows('email')).toBe(false)
  })
})

describe('compileMask: long lists of names', () => {
  const names = (count: number, prefix = 'f') =>
    Array.from({ length: count }, (_, i) => `${prefix}${i}`)

  it('compiles 5,000 names quickly and allows each of them', () => {
    const fields = names(5000)
    const start = performance.now()
    const mask = compileMask([fields])
    expect(performance.now() - start).toBeLessThan(1000) // about a millisecond on a laptop
    expect(mask.none || mask.all).toBe(false)
    for (const field of fields) expect(mask.allows(field)).toBe(true)
    expect(mask.allows('f5000')).toBe(false)
    expect(mask.allows('')).toBe(false)
    expect(mask.filter({ f1: 1, other: 2, f4999: { x: 1 } })).toEqual({ f1: 1, f4999: { x: 1 } })
    expect(mask.forbidden({ f1: 1, other: 2 })).toEqual(['other'])
  })

  it('compiles 20,000 names with nested paths, negations, a deep deny and several grants', () => {
    const fields = [...names(20_000), 'address.city', 'a.b.c', '!f7', '!f8.secret']
    const mask = compileMask([fields, names(3000, 'g'), ['x.*.y']], ['**.password', 'f9'])
    expect(mask.allows('f1')).toBe(false) // a password could sit below
    expect(
      mask.filter({ f1: { password: 'p', ok: 1 }, f7: 1, f8: { secret: 1, n: 2 }, f9: 1, g2: 2 }),
    ).toEqual({ f1: { ok: 1 }, f8: { n: 2 }, g2: 2 })
    expect(mask.filter({ address: { city: 'c', street: 's' }, x: { q: { y: 1, z: 2 } } })).toEqual({
      address: { city: 'c' },
      x: { q: { y: 1 } },
    })
    expect(mask.forbidden({ f19999: 1, f20000: 1, g2999: { password: 1 } })).toEqual([
      'f20000',
      'g2999.password',
    ])
  })

  it('keeps the record order past 32 names, the pattern order up to 32', () => {
    const short = compileMask([['c', 'b', 'a']])
    expect(Object.keys(short.filter({ a: 1, b: 2, c: 3, d: 4 }))).toEqual(['c', 'b', 'a'])
    const long = compileMask([[...names(40), 'c', 'b', 'a']])
    expect(Object.keys(long.filter({ a: 1, f3: 0, b: 2, c: 3, d: 4 }))).toEqual([
      'a',
      'f3',
      'b',
      'c',
    ])
  })

  it('compiles the same masks as before for the usual shapes', () => {
    // A list of names takes no state besides its root: every name leads to FULL or NONE.
    const list = compileMask([['a', 'b', '!c']])
    expect(list.filter({ a: { deep: 1 }, b: 2, c: 3 })).toEqual({ a: { deep: 1 }, b: 2 })
    const union = compileMask([['*', '!a'], ['a.x']], ['a.x.secret'])
    expect(union.allows('b')).toBe(true)
    expect(union.allows('a')).toBe(false)
    expect(union.allows('a.x')).toBe(false)
    expect(union.allows('a.x.y')).toBe(true)
    expect(union.filter({ a: { x: { secret: 1, y: 2 }, z: 3 }, b: 4 })).toEqual({
      a: { x: { y: 2 } },
      b: 4,
    })
  })
})

describe('filter: pattern forms', () => {
  it('keeps a list of top-level names', () => {
    check(['id', 'name', 'missing'], partner(), { id: 'p1', name: 'Partner 1' })
  })

  it('keeps a nested path and only that', () => {
    check(['name', 'address.city'], partner(), { name: 'Partner 1', address: { city: 'Berlin' } })
  })

  it('allows a whole subtree with its parent', () => {
    check(['address'], partner(), { address: partner().address })
    check(['address.**'], partner(), { address: partner().address })
  })

  it("'*' below a key means every key there", () => {
    check(['address.*'], partner(), { address: partner().address })
    check(
      ['address.*'],
      { address: { city: { name: 'Berlin' } } },
      {
        address: { city: { name: 'Berlin' } },
      },
    )
    // The key itself is not covered: a primitive there is dropped.
    check(['address.*'], { address: 'n/a' }, {})
  })

  it("'**' at the start matches at any depth, the top included", () => {
    const { email, contacts } = partner()
    check(['**.email'], partner(), {
      email,
      contacts: contacts.map((c) => ({ email: c.email })),
    })
  })

  it("'**' in the middle matches zero or more keys", () => {
    const input = { a: { c: 1, b: { c: 2, d: 3, e: { c: 4 } } }, c: 5 }
    check(['a.**.c'], input, { a: { c: 1, b: { c: 2, e: { c: 4 } } } })
  })

  it("'*' matches exactly one key", () => {
    const input = { a: { c: 1, b: { c: 2 } }, c: 3 }
    check(['a.*.c'], input, { a: { b: { c: 2 } } })
    check(['*.c'], input, { a: { c: 1 } })
  })

  it('matches keys literally (hyphens, digits, unicode)', () => {
    check(
      ['e-mail', '0', 'straße'],
      { 'e-mail': 1, 0: 2, straße: 3, strasse: 4 },
      {
        'e-mail': 1,
        0: 2,
        straße: 3,
      },
    )
  })
})

describe('filter: negation', () => {
  it('removes negated names from everything', () => {
    const { creditLimit: _c, vatId: _v, ...rest } = partner()
    check(['*', '!creditLimit', '!vatId'], partner(), rest)
    check(['!creditLimit', '!vatId'], partner(), rest)
    check(['!vatId', '!creditLimit', '*'], partner(), rest)
  })

  it('removes a nested path and keeps its siblings', () => {
    check(['*', '!address.street'], partner().address, partner().address)
    const { street: _s, ...address } = partner().address
    check(['!address.street'], { address: partner().address }, { address })
  })

  it('removes a key at any depth with !**', () => {
    const input = { name: 'n', secret: 1, nested: { secret: 2, keep: [{ secret: 3, ok: 4 }] } }
    check(['!**.secret'], input, { name: 'n', nested: { keep: [{ ok: 4 }] } })
  })

  it('wins within its grant whatever the order', () => {
    expect(compileMask([['!address', 'address.city']]).none).toBe(true)
    expect(compileMask([['address.city', '!address']]).none).toBe(true)
    check(['!address', 'address.city', 'name'], partner(), { name: 'Partner 1' })
    check(['address', '!address.city'], partner(), {
      address: { street: 'Hauptstraße 1', country: 'DE' },
    })
  })

  it('only applies to its own grant', () => {
    const mask = compileMask([['*', '!creditLimit'], ['creditLimit']])
    expect(mask.filter(partner())).toEqual(partner())
  })
})

describe('filter: grants and denied', () => {
  it('unites grants', () => {
    const mask = compileMask([['name'], ['address.city'], ['email']])
    expect(mask.filter(partner())).toEqual({
      name: 'Partner 1',
      email: 'p1@example.com',
      address: { city: 'Berlin' },
    })
  })

  it('subtracts denied patterns from the union, whatever the grants say', () => {
    const mask = compileMask([undefined, ['address.city']], ['address.city', '**.phone'])
    const { phone: _p, address, contacts, ...rest } = partner()
    expect(mask.filter(partner())).toEqual({
      ...rest,
      address: { street: address.street, country: address.country },
      contacts: contacts.map(({ phone: _, ...contact }) => contact),
    })
  })

  it('ignores a leading ! in denied', () => {
    const { vatId: _v, ...rest } = partner()
    expect(compileMask([undefined], ['!vatId']).filter(partner())).toEqual(rest)
  })
})

describe('filter: arrays', () => {
  const order = {
    id: 'o1',
    items: [
      { sku: 'A', price: 1, variant: { sku: 'A-1', price: 2 } },
      { sku: 'B', price: 3 },
    ],
  }

  it('applies the mask to each element (indexes are no segments)', () => {
    check(['items.sku'], order, { items: [{ sku: 'A' }, { sku: 'B' }] })
  })

  it("reads 'items.*.sku' as any key of each element, then sku", () => {
    check(['items.*.sku'], order, { items: [{ variant: { sku: 'A-1' } }] })
  })

  it('applies the mask to each element of nested arrays', () => {
    check(['m.x'], { m: [[{ x: 1, y: 2 }], [{ y: 3 }]] }, { m: [[{ x: 1 }]] })
  })

  it('filters a list of records at the root', () => {
    const mask = compileMask([['id']])
    expect(mask.filter(deepFreeze([partner(), 5, null, partner()]))).toEqual([
      { id: 'p1' },
      { id: 'p1' },
    ])
    expect(mask.filter([{ name: 'x' }])).toEqual([{}])
  })

  it('keeps or drops primitives in arrays like any value at that path', () => {
    check(['tags'], { tags: ['a', 'b'] }, { tags: ['a', 'b'] })
    check(['tags.x'], { tags: ['a', { x: 1, y: 2 }] }, { tags: [{ x: 1 }] })
    check(['*', '!tags.x'], { tags: ['a', { x: 1, y: 2 }] }, { tags: ['a', { y: 2 }] })
  })
})

describe('filter: values at full and partial paths', () => {
  it('keeps null at an allowed path', () => {
    check(['address'], { address: null }, { address: null })
    check(['*', '!address.street'], { address: null }, { address: null })
  })

  it('drops null and primitives where only paths below are allowed', () => {
    check(['address.city'], { address: null }, {})
    check(['address.city'], { address: 'Berlin' }, {})
  })

  it('keeps Dates and class instances by reference at fully allowed paths', () => {
    class Money {
      constructor(readonly cents: number) {}
    }
    const createdAt = new Date(0)
    const limit = new Money(5)
    const out = compileMask([['createdAt', 'limit']]).filter({ createdAt, limit, x: 1 })
    expect(out.createdAt).toBe(createdAt)
    expect(out.limit).toBe(limit)
    expect(out).toEqual({ createdAt, limit })
  })

  it('keeps a Date where the path is allowed but not all below it', () => {
    const createdAt = new Date(0)
    const out = compileMask([['!**.secret']]).filter({ createdAt, name: 'n' })
    expect(out.createdAt).toBe(createdAt)
    expect(out.name).toBe('n')
  })

  it('drops class instances and Maps where the path is only partly allowed', () => {
    class Owner {
      name = 'Ada'
      secret = 's'
    }
    const mask = compileMask([['!**.secret']])
    expect(mask.filter({ owner: new Owner(), tags: new Map(), id: 1 })).toEqual({ id: 1 })
    expect(mask.filter(new Owner())).toBeUndefined()
  })

  it('keeps nested objects by reference at fully allowed paths', () => {
    const record = partner()
    const out = compileMask([['address', 'contacts']]).filter(record)
    expect(out.address).toBe(record.address)
    expect(out.contacts).toBe(record.contacts)
  })

  it('drops a walked object that comes out empty unless its own path is allowed', () => {
    check(['address.city'], { address: { street: 's' } }, {})
    check(['*', '!address.street'], { address: { street: 's' } }, { address: {} })
    check(['address.city'], { address: {} }, {})
    check(['*', '!address.street'], { address: {}, list: [] }, { address: {}, list: [] })
    check(['contacts.name'], { contacts: [{ phone: 1 }] }, {})
  })

  it('gives an object for a record even when nothing in it is allowed', () => {
    check(['name'], { id: 1 }, {})
    check(['name'], {}, {})
  })

  it('gives undefined for a root that is not a record', () => {
    const mask = compileMask([['*', '!x']])
    for (const value of [5, 'text', null, undefined, true, new Date(0)]) {
      expect(mask.filter(value)).toBeUndefined()
    }
  })

  it('keeps undefined values at allowed paths', () => {
    const out = compileMask([['a', 'b.c']]).filter({ a: undefined, b: { c: undefined } })
    expect(Object.keys(out)).toEqual(['a', 'b'])
    expect(Object.keys(out.b)).toEqual(['c'])
  })

  it('reads own keys only: enumerable ones when walking, any named one when picking', () => {
    const proto = { inherited: 1 }
    const value = Object.create(proto) as Record<string, unknown>
    value.own = 1
    // Object.create(proto) is not a plain object: only kept whole.
    expect(compileMask([['nested.inherited', 'nested.own']]).filter({ nested: value })).toEqual({})
    const plain = { visible: 1 }
    Object.defineProperty(plain, 'hidden', { value: 2, enumerable: false })
    expect(compileMask([['!x']]).filter({ a: plain })).toEqual({ a: { visible: 1 } })
    // A list of names looks each up as an own property: a hidden one the mask names is allowed.
    expect(compileMask([['visible', 'hidden', 'toString']]).filter(plain)).toEqual({
      visible: 1,
      hidden: 2,
    })
  })
})

describe('filter: never mutates, never pollutes', () => {
  const masks: [string, FieldMask][] = [
    ['names', compileMask([['id', 'name', 'address.city', 'contacts.email']])],
    ['all but', compileMask([['*', '!creditLimit', '!vatId']])],
    ['deep deny', compileMask([['!**.phone']])],
    ['union with denied', compileMask([['name'], ['**.email', 'address']], ['address.street'])],
  ]

  it.each(masks)('leaves the input as it was (%s)', (_name, mask) => {
    const input = deepFreeze(partner())
    const copy = structuredClone(input)
    mask.filter(input)
    mask.filter([input])
    mask.strip(input)
    mask.forbidden(input)
    expect(input).toEqual(copy)
  })

  it('never copies prototype keys where it walks', () => {
    const input = JSON.parse(
      '{"__proto__":{"x":1},"constructor":{"x":1},"prototype":1,"name":"n","nested":{"__proto__":{"x":1},"y":2}}',
    )
    const masks = [
      compileMask([['!vatId', '!nested.z']]),
      compileMask([['**.x', 'name', 'nested.y']]),
    ]
    for (const mask of masks) {
      const out = mask.filter(input) as Record<string, unknown>
      expect(Object.getPrototypeOf(out)).toBe(Object.prototype)
      expect(Object.keys(out)).toEqual(['name', 'nested'])
      expect(Object.getPrototypeOf(out.nested)).toBe(Object.prototype)
      expect(Object.keys(out.nested as object)).toEqual(['y'])
      expect(({} as Record<string, unknown>).x).toBeUndefined()
    }
  })

  it('copies a wholly allowed subtree holding prototype keys without them', () => {
    const input = JSON.parse(
      '{"nested":{"__proto__":{"x":1},"keep":{"y":2},"list":[{"a":1},{"constructor":{"prototype":{}},"b":2}]},"vatId":1}',
    )
    const out = compileMask([['!vatId']]).filter(input)
    expect(Object.keys(out)).toEqual(['nested'])
    expect(out.nested).not.toBe(input.nested)
    expect(Object.hasOwn(out.nested, '__proto__')).toBe(false)
    expect(Object.getPrototypeOf(out.nested)).toBe(Object.prototype)
    expect(Object.keys(out.nested)).toEqual(['keep', 'list'])
    // Clean parts inside are still shared; only the way down to a prototype key is copied.
    expect(out.nested.keep).toBe(input.nested.keep)
    expect(out.nested.list).not.toBe(input.nested.list)
    expect(out.nested.list[0]).toBe(input.nested.list[0])
    expect(out.nested.list[1]).toEqual({ b: 2 })
    expect(Object.hasOwn(out.nested.list[1], 'constructor')).toBe(false)
    expect(({} as Record<string, unknown>).x).toBeUndefined()
  })

  it('shares a wholly allowed subtree without prototype keys by reference', () => {
    const input = JSON.parse('{"profile":{"bio":"b","links":[{"url":"u"}],"meta":{"a":{"b":1}}}}')
    const out = compileMask([['name', 'profile']]).filter(input)
    expect(out.profile).toBe(input.profile)
    // Whatever kind of mask leads there: a list of names, '*' but some, a union with a deny.
    expect(compileMask([['*', '!x']]).filter(input).profile).toBe(input.profile)
    expect(compileMask([['profile'], ['x']], ['x.y']).filter(input).profile).toBe(input.profile)
  })

  it('removes prototype keys at any depth of a wholly allowed subtree (review case)', () => {
    const mask = compileMask([['name', 'profile']])
    const rec = JSON.parse(
      '{"name":"n","__proto__":{"isAdmin":true},"profile":{"__proto__":{"isAdmin":true},"bio":"b","deep":{"a":[{"prototype":1,"ok":true}]}}}',
    )
    const out = mask.filter(rec)
    expect(Object.hasOwn(out, '__proto__')).toBe(false)
    expect(Object.hasOwn(out.profile, '__proto__')).toBe(false)
    expect(out).toEqual({ name: 'n', profile: { bio: 'b', deep: { a: [{ ok: true }] } } })
    expect((out.profile as { isAdmin?: unknown }).isAdmin).toBeUndefined()
    // The same for a list of records, and from a null-prototype object.
    expect(mask.filter([rec, rec])).toEqual([out, out])
    const bare = Object.create(null) as Record<string, unknown>
    Object.defineProperty(bare, '__proto__', { value: { isAdmin: true }, enumerable: true })
    bare.bio = 'b'
    const fromBare = mask.filter({ profile: bare })
    expect(fromBare.profile).not.toBe(bare)
    expect(Object.keys(fromBare.profile as object)).toEqual(['bio'])
  })

  it('does not look into class instances inside a wholly allowed subtree', () => {
    class Holder {
      constructor(readonly inner: unknown) {}
    }
    const holder = new Holder(JSON.parse('{"__proto__":{"x":1}}'))
    const date = new Date(0)
    const input = { profile: { holder, date, map: new Map([['k', 1]]) } }
    const out = compileMask([['profile']]).filter(input)
    expect(out.profile).toBe(input.profile)
    expect(out.profile.holder).toBe(holder)
  })

  it('copies a wholly allowed subtree nested deeper than the limit, dropping what is below', () => {
    const mask = compileMask([['a']])
    const shallow = nested(MAX_DEPTH - 1)
    expect(mask.filter(shallow).a).toBe(shallow.a)
    const deep = nested(MAX_DEPTH + 5)
    const out = mask.filter(deep)
    expect(out.a).not.toBe(deep.a)
    let depth = 0
    for (let node = out as Record<string, unknown> | undefined; node !== undefined; depth++) {
      node = node.a as Record<string, unknown> | undefined
    }
    expect(depth).toBe(MAX_DEPTH + 1) // the root and 64 levels below it
    expect(() => mask.filter(nested(10_000))).not.toThrow()
  })

  it('ends on a cyclic object in a wholly allowed subtree', () => {
    const cyclic: Record<string, unknown> = { x: 1 }
    cyclic.self = cyclic
    const out = compileMask([['c']]).filter({ c: cyclic, d: 1 })
    expect(Object.keys(out)).toEqual(['c'])
    expect((out.c as Record<string, unknown>).x).toBe(1)
  })

  it('shares a wholly allowed subtree despite an enumerable key on Object.prototype', () => {
    const proto = Object.prototype as Record<string, unknown>
    proto.polluted = { nested: { deeper: {} } }
    try {
      const input = { profile: { bio: 'b', links: [{ url: 'u' }] }, x: 1 }
      const out = compileMask([['profile']]).filter(input)
      expect(out.profile).toBe(input.profile)
      expect(Object.hasOwn(out, 'polluted')).toBe(false)
    } finally {
      delete proto.polluted
    }
  })

  it('leaves prototype keys in place under ALL_FIELDS, which returns its input as is', () => {
    const input = JSON.parse('{"a":{"__proto__":{"x":1}}}')
    expect(ALL_FIELDS.filter(input)).toBe(input)
    expect(compileMask([undefined]).filter(input)).toBe(input)
  })

  it('survives a polluted Object.prototype', () => {
    const proto = Object.prototype as Record<string, unknown>
    proto.name = 'polluted'
    try {
      expect(compileMask([['name', 'id']]).filter({ id: 1 })).toEqual({ id: 1 })
      expect(Object.hasOwn(compileMask([['!x']]).filter({ id: 1 }), 'name')).toBe(false)
    } finally {
      delete proto.name
    }
  })
})

describe('allows', () => {
  it('answers for whole subtrees', () => {
    const mask = compileMask([['name', 'address.city', '**.email']])
    expect(mask.allows('name')).toBe(true)
    expect(mask.allows('name.first')).toBe(true)
    expect(mask.allows('address.city')).toBe(true)
    expect(mask.allows('address')).toBe(false)
    expect(mask.allows('address.street')).toBe(false)
    expect(mask.allows('email')).toBe(true)
    expect(mask.allows('contacts.email')).toBe(true)
    expect(mask.allows('contacts')).toBe(false)
    expect(mask.allows('')).toBe(false)
  })

  it('answers for negations and denied patterns', () => {
    const viewer = compileMask([['*', '!creditLimit', '!address.street']])
    expect(viewer.allows('name')).toBe(true)
    expect(viewer.allows('creditLimit')).toBe(false)
    expect(viewer.allows('address')).toBe(false)
    expect(viewer.allows('address.city')).toBe(true)
    const deep = compileMask([undefined], ['**.secret'])
    expect(deep.allows('name')).toBe(false) // an object there could hold a secret
    expect(deep.allows('secret')).toBe(false)
  })

  it('answers for the shared masks, and never for prototype keys', () => {
    expect(ALL_FIELDS.allows('')).toBe(true)
    expect(ALL_FIELDS.allows('anything.at.all')).toBe(true)
    expect(NO_FIELDS.allows('')).toBe(false)
    expect(NO_FIELDS.allows('name')).toBe(false)
    expect(compileMask([['!x']]).allows('__proto__')).toBe(false)
    expect(compileMask([['!x.y']]).allows('x.constructor')).toBe(false)
    // Also below a wholly allowed subtree, and under all: checked before any early answer.
    expect(compileMask([['!x']]).allows('a.constructor')).toBe(false)
    expect(compileMask([['address']]).allows('address.__proto__')).toBe(false)
    expect(compileMask([['address']]).allows('address.city.prototype')).toBe(false)
    for (const path of [
      '__proto__',
      'constructor',
      'prototype',
      'constructor.prototype',
      'a.b.__proto__',
    ]) {
      expect(ALL_FIELDS.allows(path), path).toBe(false)
      expect(compileMask([undefined]).allows(path), path).toBe(false)
    }
    // Only whole segments count.
    expect(ALL_FIELDS.allows('constructors')).toBe(true)
    expect(ALL_FIELDS.allows('my__proto__.prototypes')).toBe(true)
    expect(compileMask([['address']]).allows('address.constructorName')).toBe(true)
  })
})

describe('forbidden', () => {
  it('lists leaf paths, indexes in brackets, in document order', () => {
    const mask = compileMask([['name', 'items.sku']])
    const body = {
      price: 1,
      name: 'n',
      items: [
        { sku: 'a', price: 2 },
        { price: 3, tags: ['x'] },
      ],
    }
    expect(mask.forbidden(body)).toEqual([
      'price',
      'items[0].price',
      'items[1].price',
      'items[1].tags[0]',
    ])
  })

  it('formats a list at the root', () => {
    expect(compileMask([['a']]).forbidden([{ a: 1, b: 2 }, 3])).toEqual(['[0].b', '[1]'])
  })

  it('reports nothing for an allowed body or an empty one', () => {
    const mask = compileMask([['*', '!creditLimit']])
    expect(mask.forbidden({ name: 'n', address: { city: 'c' } })).toEqual([])
    expect(mask.forbidden({})).toEqual([])
    expect(mask.forbidden([])).toEqual([])
    expect(mask.forbidden(undefined)).toEqual([])
    expect(NO_FIELDS.forbidden({})).toEqual([])
  })

  it('counts an empty object or array as a write to its path', () => {
    expect(compileMask([['address.city']]).forbidden({ address: {} })).toEqual(['address'])
    expect(compileMask([['address.city']]).forbidden({ address: [] })).toEqual(['address'])
    expect(compileMask([['*', '!address.street']]).forbidden({ address: {} })).toEqual([])
  })

  it('judges null and primitives by their own path', () => {
    expect(compileMask([['address.city']]).forbidden({ address: null })).toEqual(['address'])
    expect(compileMask([['!**.secret']]).forbidden({ name: 'n', secret: 's' })).toEqual(['secret'])
  })

  it('reports a body that is not an object unless all', () => {
    expect(compileMask([['a']]).forbidden(5)).toEqual([''])
    expect(compileMask([['a']]).forbidden(null)).toEqual([''])
    expect(ALL_FIELDS.forbidden(5)).toEqual([])
  })

  it('reports everything under none', () => {
    expect(NO_FIELDS.forbidden({ a: 1, b: { c: 2, d: [] } })).toEqual(['a', 'b.c', 'b.d'])
  })

  it('always reports prototype keys, even under all', () => {
    const body = JSON.parse(
      '{"__proto__":{"x":1},"a":{"constructor":{"prototype":{}}},"items":[{"prototype":1}]}',
    )
    const expected = ['__proto__', 'a.constructor', 'items[0].prototype']
    expect(ALL_FIELDS.forbidden(body)).toEqual(expected)
    expect(compileMask([['a', 'items']]).forbidden(body)).toEqual(expected)
    expect(NO_FIELDS.forbidden(body)).toEqual(expected)
  })

  it('stops at 100 paths', () => {
    const body = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`f${i}`, i]))
    const found = compileMask([['name']]).forbidden(body)
    expect(found).toHaveLength(100)
    expect(found[99]).toBe('f99')
    const deep = { list: Array.from({ length: 250 }, (_, i) => ({ i })) }
    expect(NO_FIELDS.forbidden(deep)).toHaveLength(100)
  })

  it('reports a class instance where only part of its path is allowed', () => {
    expect(compileMask([['!**.secret']]).forbidden({ when: new Date(0), m: new Map() })).toEqual([
      'm',
    ])
  })
})

describe('strip', () => {
  const mask = compileMask([['*', '!creditLimit', '!address.street']])

  it('removes what forbidden reports and keeps the rest', () => {
    const body = deepFreeze({ name: 'n', creditLimit: 1, address: { street: 's', city: 'c' } })
    expect(mask.strip(body)).toEqual({ name: 'n', address: { city: 'c' } })
    expect(mask.forbidden(mask.strip(body))).toEqual([])
  })

  it('returns the body itself, and shares untouched subtrees', () => {
    const body = { name: 'n', address: { city: 'c' }, contacts: [{ name: 'a' }] }
    expect(mask.strip(body)).toBe(body)
    const odd = { n: Number.NaN, list: [Number.NaN] }
    expect(mask.strip(odd)).toBe(odd)
    const stripped = mask.strip({ ...body, creditLimit: 1 })
    expect(stripped.address).toBe(body.address)
    expect(stripped.contacts).toBe(body.contacts)
  })

  it('keeps an emptied object whose own path is allowed', () => {
    expect(mask.strip({ address: { street: 's' } })).toEqual({ address: {} })
    expect(compileMask([['address.city']]).strip({ address: { street: 's' }, x: 1 })).toEqual({})
  })

  it('removes prototype keys even under all', () => {
    const body = deepFreeze(
      JSON.parse('{"a":{"__proto__":{"x":1},"b":1},"list":[{"constructor":1}]}'),
    )
    const out = ALL_FIELDS.strip(body) as Record<string, unknown>
    expect(out).toEqual({ a: { b: 1 }, list: [{}] })
    expect(Object.keys(out.a as object)).toEqual(['b'])
  })

  it('handles lists and non-objects at the root', () => {
    expect(compileMask([['a']]).strip([{ a: 1, b: 2 }, 3, { b: 1 }])).toEqual([{ a: 1 }, {}])
    expect(compileMask([['a']]).strip(5)).toBeUndefined()
    expect(ALL_FIELDS.strip(5)).toBe(5)
    expect(NO_FIELDS.strip({ a: 1 })).toEqual({})
  })
})

describe('keys holding a dot', () => {
  // Such a key cannot be named by a pattern, yet MongoDB $set, lodash set and many ORMs read it
  // as a path: below a partly allowed path it is refused, dropped and stripped.
  const denyOwner = compileMask([undefined], ['owner.id', 'address.city'])

  it('are reported by forbidden, whatever their value', () => {
    const body = { 'owner.id': 'bob', 'address.city': 'X', name: 'n', 'a.b': { c: 1, d: [] } }
    expect(denyOwner.forbidden(body)).toEqual(['owner.id', 'address.city', 'a.b'])
    expect(denyOwner.forbidden({ owner: { id: 'bob' } })).toEqual(['owner.id'])
    // Even where the path they spell is allowed: write nested objects instead.
    expect(compileMask([['address.city']]).forbidden({ 'address.city': 'X' })).toEqual([
      'address.city',
    ])
    expect(compileMask([['!items.x']]).forbidden({ items: [{ 'p.q': 1, ok: 2 }] })).toEqual([
      'items[0].p.q',
    ])
    // Where items is wholly allowed, any path below it is too.
    expect(compileMask([['!x']]).forbidden({ items: [{ 'p.q': 1 }] })).toEqual([])
  })

  it('are accepted where the whole subtree is allowed', () => {
    expect(ALL_FIELDS.forbidden({ 'owner.id': 'bob', a: { 'b.c': 1 } })).toEqual([])
    const viewer = compileMask([['*', '!address.street']])
    expect(viewer.forbidden({ meta: { 'x.y': 1 } })).toEqual([])
    expect(viewer.forbidden({ address: { 'x.y': 1 }, 'meta.x': 1 })).toEqual([
      'address.x.y',
      'meta.x',
    ])
  })

  it('are stripped with their whole value', () => {
    const body = deepFreeze({ 'owner.id': 'bob', name: 'n', meta: { 'x.y': 1 } })
    const mask = compileMask([['name', 'meta']], ['owner.id'])
    const out = mask.strip(body)
    expect(out).toEqual({ name: 'n', meta: { 'x.y': 1 } })
    expect(out.meta).toBe(body.meta)
    expect(mask.forbidden(out)).toEqual([])
    expect(ALL_FIELDS.strip(body)).toBe(body)
    expect(compileMask([['*', '!a.x']]).strip({ a: { 'b.c': 1, d: 2 } })).toEqual({ a: { d: 2 } })
  })

  it('are dropped by filter below a partly allowed path, kept in a wholly allowed subtree', () => {
    const mask = compileMask([['*', '!owner.id']])
    const record = { 'owner.id': 'u1', owner: { id: 'u1', name: 'Ada' }, name: 'n', 'x.y': 1 }
    expect(mask.filter(record)).toEqual({ owner: { name: 'Ada' }, name: 'n' })
    expect(denyOwner.filter({ meta: { 'a.b': 1 }, address: { 'c.d': 1, zip: 1 } })).toEqual({
      meta: { 'a.b': 1 },
      address: { zip: 1 },
    })
    const meta = { 'a.b': 1 }
    expect(compileMask([['meta']]).filter({ meta }).meta).toBe(meta)
    expect(ALL_FIELDS.filter({ 'a.b': 1 })).toEqual({ 'a.b': 1 })
    // A list of names never names one.
    expect(compileMask([['a', 'b']]).filter({ a: 1, 'a.b': 2 })).toEqual({ a: 1 })
  })

  it('are judged the same however many records and keys went through the mask', () => {
    const mask = compileMask([['*', '!secret']])
    // More distinct keys than a state remembers, then dotted keys and plain ones again.
    const wide = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i]))
    expect(mask.filter(wide)).toEqual(wide)
    for (let round = 0; round < 3; round++) {
      expect(
        mask.filter({ 'k1.x': 1, k1: 1, 'secret.x': 2, secret: 3, 'n.m': 4, k999: 5 }),
      ).toEqual({ k1: 1, k999: 5 })
      expect(mask.filter({ late: { 'a.b': 1 }, 'late.x': 2 })).toEqual({ late: { 'a.b': 1 } })
    }
  })
})

describe('hostile nesting', () => {
  const deep = nested(10_000)
  const masks = [
    compileMask([['**.v', '!**.secret']]),
    compileMask([['a.a.a', '!a.a.a.b']]),
    ALL_FIELDS,
    NO_FIELDS,
  ]

  it.each(masks)('walks a 10,000-deep object without overflowing (%#)', (mask) => {
    expect(() => mask.filter(deep)).not.toThrow()
    expect(() => mask.strip(deep)).not.toThrow()
    expect(() => mask.forbidden(deep)).not.toThrow()
    expect(() => mask.filter([[[deep]]])).not.toThrow()
  })

  it('drops and reports containers nested past the limit', () => {
    const mask = compileMask([['**.v', '!**.secret']])
    expect(mask.filter(nested(MAX_DEPTH - 1))).toEqual(nested(MAX_DEPTH - 1))
    expect(mask.filter(nested(MAX_DEPTH + 1))).toEqual({})
    const path = Array.from({ length: MAX_DEPTH + 1 }, () => 'a').join('.')
    expect(ALL_FIELDS.forbidden(nested(MAX_DEPTH + 1))).toEqual([path])
    expect(ALL_FIELDS.forbidden(nested(MAX_DEPTH))).toEqual([])
    expect(ALL_FIELDS.forbidden(deep)).toEqual([path])
    expect(ALL_FIELDS.filter(deep)).toBe(deep)
  })
})

describe('the ERP partner', () => {
  const viewer = ['*', '!creditLimit', '!vatId']

  it('shows a viewer everything but the credit limit and the VAT id', () => {
    const { creditLimit: _c, vatId: _v, ...visible } = partner()
    const record = deepFreeze(partner())
    const out = compileMask([viewer]).filter(record)
    expect(out).toEqual(visible)
    expect(out.address).toBe(record.address)
    expect(compileMask([viewer]).forbidden({ name: 'n', vatId: 'x' })).toEqual(['vatId'])
  })

  it('shows a manager everything', () => {
    const record = partner()
    expect(compileMask([undefined]).filter(record)).toBe(record)
  })

  it('adds the credit limit back with a second grant', () => {
    const { vatId: _v, ...visible } = partner()
    const mask = compileMask([viewer, ['creditLimit']])
    expect(mask.filter(partner())).toEqual(visible)
    expect(mask.allows('creditLimit')).toBe(true)
    expect(mask.allows('vatId')).toBe(false)
  })

  it('takes the VAT id away from everything with a denied pattern', () => {
    const { vatId: _v, ...visible } = partner()
    const mask = compileMask([undefined], ['vatId'])
    expect(mask.all).toBe(false)
    expect(mask.filter(partner())).toEqual(visible)
    expect(mask.forbidden(partner())).toEqual(['vatId'])
  })

  it('filters a list of partners', () => {
    const mask = compileMask([['id', 'name', 'contacts.email']])
    expect(mask.filter([partner(), partner()])).toEqual(
      Array.from({ length: 2 }, () => ({
        id: 'p1',
        name: 'Partner 1',
        contacts: [{ email: 'ada@example.com' }, { email: 'bob@example.com' }],
      })),
    )
  })
})
