/**
 * Targeted tests beyond the httpwg suite: hostile input, ordering, serialiser errors, decimal
 * rounding edges, display strings, field lines, and the fields RFC 9421 signatures use.
 */
import { describe, expect, it } from 'vitest'
import {
  type BareItem,
  Decimal,
  DisplayString,
  type InnerList,
  type Item,
  isInnerList,
  parseDictionary,
  parseDictionaryLines,
  parseItem,
  parseList,
  parseListLines,
  SfDate,
  SfParseError,
  SfSerializeError,
  serializeBareItem,
  serializeDictionary,
  serializeInnerList,
  serializeItem,
  serializeList,
  serializeParams,
  Token,
} from './index.js'

const MB = 1 << 20

function item(value: BareItem, params: [string, BareItem][] = []): Item {
  return { value, params: new Map(params) }
}

describe('hostile input', () => {
  // Each must end in an SfParseError after one pass; a quadratic or backtracking parser would
  // hang here long enough to hit the test timeout.
  const inputs: [string, string][] = [
    ['a run of (', '('.repeat(MB)],
    ['a run of "', '"'.repeat(MB)],
    ['an unterminated string', `"${'a'.repeat(MB)}`],
    ['an unterminated string of escapes', `"${'\\\\'.repeat(MB / 2)}`],
    ['an unterminated inner list', `(${' 1'.repeat(MB / 2)}`],
    ['an inner list of spaces', `(${' '.repeat(MB)}`],
    ['an unterminated byte sequence', `:${'A'.repeat(MB)}`],
    ['an unterminated display string', `%"${'%61'.repeat(MB / 3)}`],
    ['a run of digits', '1'.repeat(MB)],
    ['a run of %', '%'.repeat(MB)],
    ['a run of ;', `a${';'.repeat(MB)}`],
    ['parameters then junk', `a${';b=1'.repeat(MB / 4)}!`],
    ['members then a trailing comma', '1,'.repeat(MB / 2)],
    ['a run of commas', ','.repeat(MB)],
    ['a run of tabs', '\t'.repeat(MB)],
    ['a long key without value then junk', `${'a'.repeat(MB)}=`],
    ['non-ASCII', 'é'.repeat(MB)],
  ]
  for (const [name, text] of inputs) {
    it(`rejects ${name} as item, list and dictionary`, () => {
      expect(() => parseItem(text)).toThrow(SfParseError)
      expect(() => parseList(text)).toThrow(SfParseError)
      expect(() => parseDictionary(text)).toThrow(SfParseError)
    })
  }

  it('parses a large valid list and round-trips it', () => {
    const text = Array.from({ length: 100_000 }, (_, i) => `t${i};q=${i % 10}`).join(', ')
    const list = parseList(text)
    expect(list).toHaveLength(100_000)
    expect(serializeList(list)).toBe(text)
  })

  it('rejects what is not a string, as SfParseError', () => {
    expect(() => parseItem(undefined as unknown as string)).toThrow(SfParseError)
    expect(() => parseListLines(['1', 2 as unknown as string])).toThrow(SfParseError)
    expect(() => parseDictionaryLines(null as unknown as string[])).toThrow(SfParseError)
  })

  it('reports where the problem is', () => {
    const error = (() => {
      try {
        parseList('1, 2,')
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(SfParseError)
    expect(error).toBeInstanceOf(Error)
    expect((error as SfParseError).name).toBe('SfParseError')
    expect((error as SfParseError).offset).toBe(5)
    expect(() => parseItem('"abc')).toThrow(expect.objectContaining({ offset: 0 }))
    expect(() => parseItem('  ?2')).toThrow(expect.objectContaining({ offset: 3 }))
  })
})

describe('ordering', () => {
  it('keeps parameter order through a round trip', () => {
    const text = 'a;z=1;b=2;m;c=?0;y="s"'
    const parsed = parseItem(text)
    expect([...parsed.params.keys()]).toEqual(['z', 'b', 'm', 'c', 'y'])
    expect(serializeItem(parsed)).toBe(text)
  })

  it('serialises parameters in insertion order, not sorted', () => {
    const params = new Map<string, BareItem>([
      ['zz', 1],
      ['aa', true],
      ['mm', new Token('x')],
    ])
    expect(serializeParams(params)).toBe(';zz=1;aa;mm=x')
  })

  it('gives a duplicate key its last value at its first position', () => {
    const dict = parseDictionary('b=1, a;x=1;y=2;x=3, b=2')
    expect([...dict.keys()]).toEqual(['b', 'a'])
    expect(serializeDictionary(dict)).toBe('b=2, a;x=3;y=2')
  })
})

describe('serialisation errors', () => {
  const bad: [string, BareItem][] = [
    ['a non-integer number', 1.5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['an integer past 15 digits', 1_000_000_000_000_000],
    ['a decimal past 12 integer digits', new Decimal(1e12)],
    ['a decimal that rounds past 12 integer digits', new Decimal(999_999_999_999.9996)],
    ['a huge decimal', new Decimal(1e21)],
    ['a NaN decimal', new Decimal(Number.NaN)],
    ['an empty token', new Token('')],
    ['a token starting with a digit', new Token('1a')],
    ['a token with a space', new Token('a b')],
    ['a non-ASCII token', new Token('é')],
    ['a non-ASCII string', 'é'],
    ['a string with a control character', 'a\nb'],
    ['a string with DEL', 'a\u007f'],
    ['a display string with a lone surrogate', new DisplayString('a\ud800b')],
    ['a date that is not an integer', new SfDate(1.5)],
    ['a date out of range', new SfDate(1e15)],
    ['an object of no structured type', {} as unknown as BareItem],
    ['null', null as unknown as BareItem],
  ]
  for (const [name, value] of bad) {
    it(`refuses ${name}`, () => {
      expect(() => serializeBareItem(value)).toThrow(SfSerializeError)
    })
  }

  it('refuses invalid keys in parameters and dictionaries', () => {
    for (const key of ['', 'A', '1a', 'a b', 'a=', 'é', '-a']) {
      expect(() => serializeParams(new Map([[key, 1]]))).toThrow(SfSerializeError)
      expect(() => serializeDictionary(new Map([[key, item(1)]]))).toThrow(SfSerializeError)
    }
    expect(serializeParams(new Map([['*a_1-.*', 1]]))).toBe(';*a_1-.*=1')
  })
})

describe('bare items', () => {
  it('serialises each type', () => {
    expect(serializeBareItem(-42)).toBe('-42')
    expect(serializeBareItem(-0)).toBe('0')
    expect(serializeBareItem(999_999_999_999_999)).toBe('999999999999999')
    expect(serializeBareItem('say "hi" \\o/')).toBe('"say \\"hi\\" \\\\o/"')
    expect(serializeBareItem(new Token('*/x:y'))).toBe('*/x:y')
    expect(serializeBareItem(true)).toBe('?1')
    expect(serializeBareItem(false)).toBe('?0')
    expect(serializeBareItem(new SfDate(1659578233))).toBe('@1659578233')
    expect(serializeBareItem(new Uint8Array([0, 1, 2, 3]).subarray(1, 3))).toBe(':AQI=:')
    expect(serializeBareItem(new Uint8Array(0))).toBe('::')
  })

  it('rounds decimals to three places, half to even, with at least one fractional digit', () => {
    const cases: [number, string][] = [
      [1, '1.0'],
      [-1.5, '-1.5'],
      [1.2345, '1.234'],
      [1.2355, '1.236'],
      [1.23451, '1.235'],
      [0.0005, '0.0'],
      [0.0015, '0.002'],
      [-0.0001, '0.0'],
      [1e-7, '0.0'],
      [0.000_999_9, '0.001'],
      [99.9999, '100.0'],
      [123_456_789_012.9996, '123456789013.0'],
      [999_999_999_999.999, '999999999999.999'],
      [-0, '0.0'],
    ]
    for (const [value, text] of cases) expect(serializeBareItem(new Decimal(value))).toBe(text)
  })

  it('keeps 1.0 a decimal and 1 an integer', () => {
    expect(parseItem('1.0').value).toStrictEqual(new Decimal(1))
    expect(parseItem('1').value).toBe(1)
    expect(serializeItem(parseItem('1.0'))).toBe('1.0')
  })

  it('normalises -0 to 0', () => {
    expect(Object.is(parseItem('-0').value, 0)).toBe(true)
    expect(Object.is((parseItem('-0.0').value as Decimal).value, 0)).toBe(true)
    expect(Object.is((parseItem('@-0').value as SfDate).seconds, 0)).toBe(true)
  })

  it('accepts byte sequences without padding or with non-zero pad bits, never base64url', () => {
    expect(parseItem(':aGk:').value).toStrictEqual(new Uint8Array([0x68, 0x69]))
    expect(parseItem(':aGl=:').value).toStrictEqual(new Uint8Array([0x68, 0x69]))
    expect(() => parseItem(':a-_z:')).toThrow(SfParseError)
    expect(() => parseItem(':a:')).toThrow(SfParseError)
  })

  it('encodes display strings as lowercase percent-encoded UTF-8', () => {
    const value = new DisplayString('füü "100%" 🎉\n')
    const text = serializeBareItem(value)
    expect(text).toBe('%"f%c3%bc%c3%bc %22100%25%22 %f0%9f%8e%89%0a"')
    expect(parseItem(text).value).toStrictEqual(value)
  })

  it('keeps a leading byte order mark in a display string', () => {
    expect(parseItem('%"%ef%bb%bfa"').value).toStrictEqual(new DisplayString('\ufeffa'))
  })

  it('rejects uppercase hex, truncated escapes and invalid UTF-8 in display strings', () => {
    for (const text of ['%"%4A"', '%"%4"', '%"%', '%"%c3"', '%"%ed%a0%80"', '%"a']) {
      expect(() => parseItem(text)).toThrow(SfParseError)
    }
  })
})

describe('structures', () => {
  it('writes a true dictionary member or parameter in the short form', () => {
    const dict = new Map([
      ['a', item(true, [['p', true]])],
      ['b', item(false, [['q', false]])],
    ])
    expect(serializeDictionary(dict)).toBe('a;p, b=?0;q=?0')
    expect(parseDictionary('a;p, b=?0;q=?0')).toStrictEqual(dict)
  })

  it('tells inner lists from items', () => {
    const list = parseList('(a b);x, c')
    expect(list.map(isInnerList)).toEqual([true, false])
    expect(serializeInnerList(list[0] as InnerList)).toBe('(a b);x')
    expect(isInnerList({ items: [], params: new Map() })).toBe(true)
  })

  it('serialises empty lists and dictionaries as the empty string', () => {
    expect(serializeList([])).toBe('')
    expect(serializeDictionary(new Map())).toBe('')
    expect(serializeInnerList({ items: [], params: new Map() })).toBe('()')
  })

  it('strips only SP around the value', () => {
    expect(parseItem('   1   ').value).toBe(1)
    expect(() => parseItem('\t1')).toThrow(SfParseError)
    expect(() => parseItem('1\t')).toThrow(SfParseError)
    expect(parseList('  ')).toEqual([])
  })
})

describe('field lines', () => {
  it('joins lines with a comma', () => {
    expect(serializeDictionary(parseDictionaryLines(['a=1', 'b=2;x']))).toBe('a=1, b=2;x')
    expect(serializeList(parseListLines(['1', '(2 3)']))).toBe('1, (2 3)')
  })

  it('treats no lines as an absent field', () => {
    expect(parseListLines([])).toEqual([])
    expect(parseDictionaryLines([]).size).toBe(0)
  })

  it('rejects an empty line between members', () => {
    expect(() => parseListLines(['1', '', '2'])).toThrow(SfParseError)
    expect(() => parseDictionaryLines(['a', '', 'b'])).toThrow(SfParseError)
  })
})

describe('RFC 9421 fields', () => {
  it('round-trips Signature-Input and Signature (RFC 9421 §B.2.5)', () => {
    const input =
      'sig-b25=("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret"'
    const dict = parseDictionary(input)
    const member = dict.get('sig-b25') as InnerList
    expect(member.items.map((i) => i.value)).toEqual(['date', '@authority', 'content-type'])
    expect(member.params.get('created')).toBe(1618884473)
    expect(serializeDictionary(dict)).toBe(input)

    const signature = 'sig-b25=:pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8=:'
    const sig = parseDictionary(signature).get('sig-b25') as Item
    expect(sig.value).toBeInstanceOf(Uint8Array)
    expect((sig.value as Uint8Array).length).toBe(32)
    expect(serializeDictionary(parseDictionary(signature))).toBe(signature)
  })

  it('round-trips component identifiers with parameters', () => {
    const input = '("@query-param";name="Pet" "example-dict";key="a" "x";sf;bs;req;tr)'
    expect(serializeInnerList(parseList(input)[0] as InnerList)).toBe(input)
  })
})
