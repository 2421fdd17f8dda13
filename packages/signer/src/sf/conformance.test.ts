/**
 * The httpwg structured-field test suite (vendored in ./fixtures, see its README) run against the
 * parser and the serialiser: every parse case, and the serialisation-only cases.
 */
import { describe, expect, it } from 'vitest'
import binary from './fixtures/binary.json?raw'
import boolean from './fixtures/boolean.json?raw'
import date from './fixtures/date.json?raw'
import dictionary from './fixtures/dictionary.json?raw'
import displayString from './fixtures/display-string.json?raw'
import examples from './fixtures/examples.json?raw'
import item from './fixtures/item.json?raw'
import keyGenerated from './fixtures/key-generated.json?raw'
import largeGenerated from './fixtures/large-generated.json?raw'
import list from './fixtures/list.json?raw'
import listlist from './fixtures/listlist.json?raw'
import number from './fixtures/number.json?raw'
import numberGenerated from './fixtures/number-generated.json?raw'
import paramDict from './fixtures/param-dict.json?raw'
import paramList from './fixtures/param-list.json?raw'
import paramListlist from './fixtures/param-listlist.json?raw'
import serKeyGenerated from './fixtures/serialisation-tests/key-generated.json?raw'
import serNumber from './fixtures/serialisation-tests/number.json?raw'
import serStringGenerated from './fixtures/serialisation-tests/string-generated.json?raw'
import serTokenGenerated from './fixtures/serialisation-tests/token-generated.json?raw'
import string from './fixtures/string.json?raw'
import stringGenerated from './fixtures/string-generated.json?raw'
import token from './fixtures/token.json?raw'
import tokenGenerated from './fixtures/token-generated.json?raw'
import {
  type BareItem,
  Decimal,
  type Dictionary,
  DisplayString,
  type Item,
  isInnerList,
  type List,
  type ListMember,
  type Parameters,
  parseDictionaryLines,
  parseItem,
  parseListLines,
  SfDate,
  SfParseError,
  SfSerializeError,
  serializeDictionary,
  serializeItem,
  serializeList,
  Token,
} from './index.js'

const PARSE_FILES: Record<string, string> = {
  'binary.json': binary,
  'boolean.json': boolean,
  'date.json': date,
  'dictionary.json': dictionary,
  'display-string.json': displayString,
  'examples.json': examples,
  'item.json': item,
  'key-generated.json': keyGenerated,
  'large-generated.json': largeGenerated,
  'list.json': list,
  'listlist.json': listlist,
  'number-generated.json': numberGenerated,
  'number.json': number,
  'param-dict.json': paramDict,
  'param-list.json': paramList,
  'param-listlist.json': paramListlist,
  'string-generated.json': stringGenerated,
  'string.json': string,
  'token-generated.json': tokenGenerated,
  'token.json': token,
}

const SERIALISATION_FILES: Record<string, string> = {
  'serialisation-tests/key-generated.json': serKeyGenerated,
  'serialisation-tests/number.json': serNumber,
  'serialisation-tests/string-generated.json': serStringGenerated,
  'serialisation-tests/token-generated.json': serTokenGenerated,
}

// ---------------------------------------------------------------------------------------------
// A JSON reader that keeps what JSON.parse loses: a number written with a fraction or exponent
// (the suite's `1.0`) is a Decimal, one written without is an Integer.

type Json = null | boolean | string | number | Decimal | Json[] | { [key: string]: Json }

function readJson(text: string): Json {
  let pos = 0
  const NUMBER = /-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/y
  const skip = (): void => {
    while (pos < text.length && ' \t\r\n'.includes(text.charAt(pos))) pos++
  }
  const value = (): Json => {
    skip()
    const c = text.charAt(pos)
    if (c === '[') {
      pos++
      const out: Json[] = []
      skip()
      if (text.charAt(pos) === ']') {
        pos++
        return out
      }
      for (;;) {
        out.push(value())
        skip()
        const sep = text.charAt(pos++)
        if (sep === ']') return out
        if (sep !== ',') throw new Error(`bad JSON at ${pos}`)
      }
    }
    if (c === '{') {
      pos++
      const out: { [key: string]: Json } = {}
      skip()
      if (text.charAt(pos) === '}') {
        pos++
        return out
      }
      for (;;) {
        skip()
        const key = value()
        if (typeof key !== 'string') throw new Error(`bad JSON key at ${pos}`)
        skip()
        if (text.charAt(pos++) !== ':') throw new Error(`bad JSON at ${pos}`)
        out[key] = value()
        skip()
        const sep = text.charAt(pos++)
        if (sep === '}') return out
        if (sep !== ',') throw new Error(`bad JSON at ${pos}`)
      }
    }
    if (c === '"') {
      // Find the closing quote, then let JSON.parse handle the escapes.
      let end = pos + 1
      while (text.charAt(end) !== '"') end += text.charAt(end) === '\\' ? 2 : 1
      const s = JSON.parse(text.slice(pos, end + 1)) as string
      pos = end + 1
      return s
    }
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length
        return v
      }
    }
    NUMBER.lastIndex = pos
    const m = NUMBER.exec(text)
    if (m === null) throw new Error(`bad JSON at ${pos}`)
    pos += m[0].length
    const n = Number(m[0])
    return m[1] !== undefined || m[2] !== undefined ? new Decimal(n) : n
  }
  const result = value()
  skip()
  if (pos !== text.length) throw new Error(`trailing JSON at ${pos}`)
  return result
}

// ---------------------------------------------------------------------------------------------
// The suite's JSON representation → this module's data model.

interface Case {
  name: string
  raw?: string[]
  header_type: 'item' | 'list' | 'dictionary'
  expected?: Json
  must_fail?: boolean
  can_fail?: boolean
  canonical?: string[]
}

function base32(text: string): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  const out: number[] = []
  let acc = 0
  let bits = 0
  for (const ch of text.replace(/=+$/, '')) {
    acc = (acc << 5) | alphabet.indexOf(ch)
    bits += 5
    if (bits >= 8) {
      bits -= 8
      out.push((acc >> bits) & 0xff)
    }
  }
  return new Uint8Array(out)
}

function toBare(json: Json): BareItem {
  if (typeof json === 'number' || typeof json === 'string' || typeof json === 'boolean') return json
  if (json instanceof Decimal) return json
  if (json !== null && !Array.isArray(json)) {
    const { __type: type, value } = json
    if (type === 'token' && typeof value === 'string') return new Token(value)
    if (type === 'binary' && typeof value === 'string') return base32(value)
    if (type === 'date' && typeof value === 'number') return new SfDate(value)
    if (type === 'displaystring' && typeof value === 'string') return new DisplayString(value)
  }
  throw new Error(`unknown bare item ${JSON.stringify(json)}`)
}

function pairs(json: Json): [string, Json][] {
  return json as [string, Json][]
}

function toParams(json: Json): Parameters {
  return new Map(pairs(json).map(([key, value]) => [key, toBare(value)]))
}

function toItem(json: Json): Item {
  const [value, params] = json as [Json, Json]
  return { value: toBare(value), params: toParams(params) }
}

function toMember(json: Json): ListMember {
  const [first, params] = json as [Json, Json]
  // A bare item is never a JSON array, so an array in first place is an inner list.
  if (Array.isArray(first)) return { items: first.map(toItem), params: toParams(params) }
  return toItem(json)
}

function toList(json: Json): List {
  return (json as Json[]).map(toMember)
}

function toDictionary(json: Json): Dictionary {
  return new Map(pairs(json).map(([key, member]) => [key, toMember(member)]))
}

// ---------------------------------------------------------------------------------------------
// Model → plain arrays for comparison: keeps map order, types and -0 visible to toStrictEqual.

type Plain = unknown[]

function plainBare(value: BareItem): Plain {
  if (typeof value === 'number') return ['integer', value]
  if (typeof value === 'string') return ['string', value]
  if (typeof value === 'boolean') return ['boolean', value]
  if (value instanceof Decimal) return ['decimal', value.value]
  if (value instanceof Token) return ['token', value.value]
  if (value instanceof SfDate) return ['date', value.seconds]
  if (value instanceof DisplayString) return ['displaystring', value.value]
  return ['binary', Array.from(value)]
}

function plainParams(params: Parameters): Plain {
  return Array.from(params, ([key, value]) => [key, plainBare(value)])
}

function plainMember(member: ListMember): Plain {
  if (isInnerList(member)) {
    return ['inner', member.items.map(plainMember), plainParams(member.params)]
  }
  return ['item', plainBare(member.value), plainParams(member.params)]
}

function plain(type: Case['header_type'], value: Item | List | Dictionary): Plain {
  if (type === 'item') return plainMember(value as Item)
  if (type === 'list') return (value as List).map(plainMember)
  return Array.from(value as Dictionary, ([key, member]) => [key, plainMember(member)])
}

// ---------------------------------------------------------------------------------------------

function parse(type: Case['header_type'], lines: string[]): Item | List | Dictionary {
  if (type === 'item') return parseItem(lines.join(', '))
  if (type === 'list') return parseListLines(lines)
  return parseDictionaryLines(lines)
}

function fromExpected(type: Case['header_type'], json: Json): Item | List | Dictionary {
  if (type === 'item') return toItem(json)
  if (type === 'list') return toList(json)
  return toDictionary(json)
}

function serialize(type: Case['header_type'], value: Item | List | Dictionary): string {
  if (type === 'item') return serializeItem(value as Item)
  if (type === 'list') return serializeList(value as List)
  return serializeDictionary(value as Dictionary)
}

function cases(text: string): Case[] {
  return readJson(text) as unknown as Case[]
}

describe('httpwg structured-field-tests: parsing', () => {
  for (const [file, text] of Object.entries(PARSE_FILES)) {
    describe(file, () => {
      for (const c of cases(text)) {
        it(c.name, () => {
          const raw = c.raw ?? []
          if (c.must_fail) {
            expect(() => parse(c.header_type, raw)).toThrow(SfParseError)
            return
          }
          let parsed: Item | List | Dictionary
          try {
            parsed = parse(c.header_type, raw)
          } catch (error) {
            // A SHOULD the parser may decline: failing is allowed, but only cleanly.
            if (c.can_fail && error instanceof SfParseError) return
            throw error
          }
          const expected = fromExpected(c.header_type, c.expected ?? null)
          expect(plain(c.header_type, parsed)).toStrictEqual(plain(c.header_type, expected))
          const canonical = (c.canonical ?? raw).join(', ')
          expect(serialize(c.header_type, parsed)).toBe(canonical)
          expect(serialize(c.header_type, expected)).toBe(canonical)
        })
      }
    })
  }
})

describe('httpwg structured-field-tests: serialisation', () => {
  for (const [file, text] of Object.entries(SERIALISATION_FILES)) {
    describe(file, () => {
      for (const c of cases(text)) {
        it(c.name, () => {
          const run = () =>
            serialize(c.header_type, fromExpected(c.header_type, c.expected ?? null))
          if (c.must_fail) expect(run).toThrow(SfSerializeError)
          else expect(run()).toBe((c.canonical ?? []).join(', '))
        })
      }
    })
  }
})
