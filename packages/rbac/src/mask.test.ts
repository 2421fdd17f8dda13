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

  it('refuses an automaton that would blow up', () => {
    const stars = Array.from({ length: 14 }, () => '*').join('.')
    expect(() => compileMask([[`**.a.${stars}`]])).toThrow(RangeError)
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

  it('shares a wholly allowed subtree as it is, own prototype keys included', () => {
    const input = JSON.parse('{"nested":{"__proto__":{"x":1}},"vatId":1}')
    const out = compileMask([['!vatId']]).filter(input)
    expect(out).toEqual({ nested: input.nested })
    expect(out.nested).toBe(input.nested)
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
    // A wholly allowed subtree is shared as is: everything below it is allowed.
    expect(compileMask([['!x']]).allows('a.constructor')).toBe(true)
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
