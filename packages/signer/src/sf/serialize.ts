/**
 * Structured-field serialisation, following the algorithms of RFC 9651 §4.1. Output is always
 * canonical; anything that has no valid serialisation throws {@link SfSerializeError}.
 * @module
 */
import { toBase64 } from '../bytes.js'
import { isKey, isToken } from './chars.js'
import { serializeDecimal } from './decimal.js'
import { SfSerializeError } from './errors.js'
import {
  type BareItem,
  Decimal,
  DisplayString,
  type InnerList,
  type Item,
  isInnerList,
  type ListMember,
  SfDate,
  Token,
} from './model.js'

const MAX_INTEGER = 999_999_999_999_999
const utf8Encoder = new TextEncoder()
const HEX = '0123456789abcdef'

/**
 * Serialises a List (RFC 9651 §4.1.1). An empty list gives `''`: the field should then not be
 * sent at all.
 * @throws {SfSerializeError} if any member cannot be serialised
 */
export function serializeList(list: readonly ListMember[]): string {
  return list.map(serializeMember).join(', ')
}

/**
 * Serialises a Dictionary (RFC 9651 §4.1.2). A member whose value is Boolean true is written as
 * its key alone (plus parameters), the canonical short form. An empty dictionary gives `''`.
 * @throws {SfSerializeError} if any key or member cannot be serialised
 */
export function serializeDictionary(dict: ReadonlyMap<string, ListMember>): string {
  const out: string[] = []
  for (const [key, member] of dict) {
    const name = serializeKey(key)
    if (!isInnerList(member) && member.value === true)
      out.push(name + serializeParams(member.params))
    else out.push(`${name}=${serializeMember(member)}`)
  }
  return out.join(', ')
}

/**
 * Serialises an Inner List (RFC 9651 §4.1.1.1): `(a b);param`.
 * @throws {SfSerializeError} if any item or parameter cannot be serialised
 */
export function serializeInnerList(list: InnerList): string {
  return `(${list.items.map(serializeItem).join(' ')})${serializeParams(list.params)}`
}

/**
 * Serialises an Item (RFC 9651 §4.1.3): the bare item, then its parameters.
 * @throws {SfSerializeError} if the value or a parameter cannot be serialised
 */
export function serializeItem(item: Item): string {
  return serializeBareItem(item.value) + serializeParams(item.params)
}

/**
 * Serialises Parameters (RFC 9651 §4.1.1.2) in their order: `;key=value`, or `;key` alone for
 * Boolean true.
 * @throws {SfSerializeError} if a key or value cannot be serialised
 */
export function serializeParams(params: ReadonlyMap<string, BareItem>): string {
  let out = ''
  for (const [key, value] of params) {
    out += `;${serializeKey(key)}`
    if (value !== true) out += `=${serializeBareItem(value)}`
  }
  return out
}

/**
 * Serialises a Bare Item (RFC 9651 §4.1.3.1), by its JavaScript type: `number` as an Integer,
 * `string` as a String, `boolean` as a Boolean, any byte view (`Uint8Array`) as a Byte Sequence,
 * and the wrapper classes as their types.
 * @throws {SfSerializeError} if the value is out of range, has forbidden characters, or is of no
 *   structured-field type
 */
export function serializeBareItem(value: BareItem): string {
  if (typeof value === 'number') return serializeInteger(value)
  if (typeof value === 'string') return serializeString(value)
  if (typeof value === 'boolean') return value ? '?1' : '?0'
  if (value instanceof Decimal) return serializeDecimal(value.value)
  if (value instanceof Token) return serializeToken(value.value)
  if (value instanceof SfDate) return `@${serializeInteger(value.seconds)}`
  if (value instanceof DisplayString) return serializeDisplayString(value.value)
  // isView rather than instanceof: a Uint8Array from another realm (an edge VM) is still bytes.
  if (ArrayBuffer.isView(value)) return `:${toBase64(value)}:`
  throw new SfSerializeError(`not a structured-field value: ${describe(value)}`)
}

function serializeMember(member: ListMember): string {
  return isInnerList(member) ? serializeInnerList(member) : serializeItem(member)
}

/** §4.1.1.3 Serializing a Key. */
function serializeKey(key: string): string {
  if (typeof key !== 'string' || !isKey(key)) {
    throw new SfSerializeError(`invalid key ${JSON.stringify(key)}`)
  }
  return key
}

/** §4.1.4 Serializing an Integer: a JavaScript integer within ±999,999,999,999,999. */
function serializeInteger(value: number): string {
  if (!Number.isInteger(value)) {
    throw new SfSerializeError(`integer expected, got ${value} (wrap decimals in Decimal)`)
  }
  if (Math.abs(value) > MAX_INTEGER) throw new SfSerializeError(`integer ${value} out of range`)
  return String(value) // never an exponent below 1e21; -0 prints as "0"
}

/** §4.1.6 Serializing a String: printable ASCII, escaping `"` and `\`. */
function serializeString(value: string): string {
  let out = '"'
  let chunk = 0 // start of the run of characters not yet copied to `out`
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c < 0x20 || c > 0x7e) {
      throw new SfSerializeError(
        'string has a character outside printable ASCII (use DisplayString)',
      )
    }
    if (c === 0x22 || c === 0x5c) {
      out += `${value.slice(chunk, i)}\\`
      chunk = i // the quote or backslash itself starts the next run
    }
  }
  return `${out}${value.slice(chunk)}"`
}

/** §4.1.7 Serializing a Token. */
function serializeToken(value: string): string {
  if (typeof value !== 'string' || !isToken(value)) {
    throw new SfSerializeError(`invalid token ${JSON.stringify(value)}`)
  }
  return value
}

/** §4.1.11 Serializing a Display String: UTF-8, percent-encoding `%`, `"` and non-printables. */
function serializeDisplayString(value: string): string {
  if (typeof value !== 'string' || !isWellFormed(value)) {
    throw new SfSerializeError('display string is not a sequence of Unicode code points')
  }
  let out = '%"'
  for (const byte of utf8Encoder.encode(value)) {
    if (byte === 0x25 || byte === 0x22 || byte < 0x20 || byte > 0x7e) {
      out += `%${HEX[byte >> 4]}${HEX[byte & 15]}`
    } else {
      out += String.fromCharCode(byte)
    }
  }
  return `${out}"`
}

/** No lone surrogates (TextEncoder would silently turn them into U+FFFD). */
function isWellFormed(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1)
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false
      i++
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return false
    }
  }
  return true
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object'
  return typeof value
}
