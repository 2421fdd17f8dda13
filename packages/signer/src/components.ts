/**
 * Component values (RFC 9421 §2.1–2.4): the derived components (`@method`, `@target-uri`,
 * `@authority`, `@scheme`, `@request-target`, `@path`, `@query`, `@query-param`, `@status`) and
 * HTTP fields with their `sf`, `key`, `bs` and `req` parameters.
 * @module
 */
import { toBase64 } from './bytes.js'
import type { HttpMessage } from './message.js'
import {
  type BareItem,
  type Item,
  isInnerList,
  parseDictionary,
  parseItem,
  parseList,
  serializeDictionary,
  serializeInnerList,
  serializeItem,
  serializeList,
} from './sf/index.js'

/** Why a component has no value in this message. */
export class ComponentError extends Error {
  constructor(
    /** `malformed`: the identifier itself is wrong; `absent`: the message lacks what it names. */
    readonly kind: 'malformed' | 'absent',
    message: string,
  ) {
    super(message)
    this.name = 'ComponentError'
  }
}

/** The structured type of a field, for the `sf` and `key` parameters. */
export type FieldType = 'item' | 'list' | 'dictionary'

/** Fields whose structured type is known (RFC 9421, 9530 and 9651 registrations). */
export const KNOWN_STRUCTURED_FIELDS: Readonly<Record<string, FieldType>> = {
  signature: 'dictionary',
  'signature-input': 'dictionary',
  'accept-signature': 'dictionary',
  'content-digest': 'dictionary',
  'repr-digest': 'dictionary',
  'want-content-digest': 'dictionary',
  'want-repr-digest': 'dictionary',
  priority: 'dictionary',
  'cache-status': 'list',
  'proxy-status': 'list',
  'accept-ch': 'list',
  'cdn-cache-control': 'dictionary',
}

/** The registered structured fields plus `extra` (which wins for a name in both). */
export function fieldTypesWith(
  extra: Readonly<Record<string, FieldType>> | undefined,
): Readonly<Record<string, FieldType>> {
  return extra === undefined ? KNOWN_STRUCTURED_FIELDS : { ...KNOWN_STRUCTURED_FIELDS, ...extra }
}

const DERIVED = new Set([
  '@method',
  '@target-uri',
  '@authority',
  '@scheme',
  '@request-target',
  '@path',
  '@query',
  '@query-param',
  '@status',
])

const FIELD_PARAMS = new Set(['sf', 'key', 'bs', 'req', 'tr'])

function fail(kind: 'malformed' | 'absent', message: string): never {
  throw new ComponentError(kind, message)
}

/** Percent-encodes every byte but ASCII letters, digits and `*-._` (RFC 9421 §2.2.8). */
function encodeQueryPart(text: string): string {
  let out = ''
  for (const byte of new TextEncoder().encode(text)) {
    const keep =
      (byte >= 0x30 && byte <= 0x39) ||
      (byte >= 0x41 && byte <= 0x5a) ||
      (byte >= 0x61 && byte <= 0x7a) ||
      byte === 0x2a ||
      byte === 0x2d ||
      byte === 0x2e ||
      byte === 0x5f
    out += keep ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/** A `name` parameter decoded as form data is (`+` a space, then percent-decoding). */
function decodeQueryPart(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '))
  } catch {
    return fail('malformed', 'the @query-param name is not valid percent-encoding')
  }
}

function requestTarget(m: HttpMessage, what: string) {
  return m.target ?? fail('malformed', `${what} is derived from a request`)
}

function derivedValue(name: string, params: ReadonlyMap<string, BareItem>, m: HttpMessage): string {
  switch (name) {
    case '@method':
      return m.method ?? fail('malformed', '@method is derived from a request')
    case '@target-uri': {
      const t = requestTarget(m, '@target-uri')
      return `${t.scheme}://${t.authority}${t.path}${t.query === undefined ? '' : `?${t.query}`}`
    }
    case '@authority':
      return requestTarget(m, '@authority').authority
    case '@scheme':
      return requestTarget(m, '@scheme').scheme
    case '@request-target': {
      const t = requestTarget(m, '@request-target')
      return `${t.path}${t.query === undefined ? '' : `?${t.query}`}`
    }
    case '@path':
      return requestTarget(m, '@path').path
    case '@query':
      return `?${requestTarget(m, '@query').query ?? ''}`
    case '@query-param': {
      const wanted = params.get('name')
      if (typeof wanted !== 'string') {
        return fail('malformed', '@query-param needs a string name parameter')
      }
      const decoded = decodeQueryPart(wanted)
      const all = new URLSearchParams(requestTarget(m, '@query-param').query ?? '').getAll(decoded)
      if (all.length === 0) return fail('absent', `no query parameter '${wanted}'`)
      // §2.2.8: a name that occurs several times cannot be signed on its own.
      if (all.length > 1)
        return fail('malformed', `query parameter '${wanted}' occurs ${all.length} times`)
      return encodeQueryPart(all[0] as string)
    }
    case '@status':
      if (m.status === undefined) return fail('malformed', '@status is derived from a response')
      return String(m.status).padStart(3, '0')
    default:
      return fail('malformed', `unknown derived component ${name}`)
  }
}

function structured(text: string, type: FieldType, name: string) {
  try {
    if (type === 'dictionary') return parseDictionary(text)
    if (type === 'list') return parseList(text)
    return parseItem(text)
  } catch {
    return fail('malformed', `field '${name}' is not a valid structured ${type}`)
  }
}

function fieldValue(
  name: string,
  params: ReadonlyMap<string, BareItem>,
  m: HttpMessage,
  types: Readonly<Record<string, FieldType>>,
): string {
  if (name !== name.toLowerCase()) return fail('malformed', `field names are lower case: '${name}'`)
  for (const key of params.keys()) {
    if (!FIELD_PARAMS.has(key)) return fail('malformed', `unknown parameter '${key}' on '${name}'`)
  }
  if (params.has('tr')) return fail('malformed', 'trailer fields (tr) are not supported')
  const lines = m.fields(name)
  if (lines === undefined) return fail('absent', `the message has no '${name}' field`)
  const sf = params.get('sf') === true
  const key = params.get('key')
  const bs = params.get('bs') === true
  if ((sf && bs) || (key !== undefined && bs)) {
    return fail('malformed', `'${name}' cannot combine bs with sf or key`)
  }
  if (bs) return lines.map((line) => `:${toBase64(new TextEncoder().encode(line))}:`).join(', ')
  const joined = lines.length === 1 ? (lines[0] as string) : lines.join(', ')
  if (key !== undefined) {
    if (typeof key !== 'string')
      return fail('malformed', `the key parameter of '${name}' is not a string`)
    if (types[name] !== 'dictionary' && types[name] !== undefined) {
      return fail('malformed', `'${name}' is not a dictionary field`)
    }
    const member = (
      structured(joined, 'dictionary', name) as ReturnType<typeof parseDictionary>
    ).get(key)
    if (member === undefined) return fail('absent', `'${name}' has no member '${key}'`)
    return isInnerList(member) ? serializeInnerList(member) : serializeItem(member)
  }
  if (sf) {
    const type = types[name] ?? fail('malformed', `the structured type of '${name}' is not known`)
    const value = structured(joined, type, name)
    if (type === 'dictionary')
      return serializeDictionary(value as ReturnType<typeof parseDictionary>)
    if (type === 'list') return serializeList(value as ReturnType<typeof parseList>)
    return serializeItem(value as Item)
  }
  return joined
}

/**
 * The value of one covered component in `message` (or, with `req`, in `request`).
 * @throws ComponentError when the identifier is malformed or the message lacks it.
 */
export function componentValue(
  component: Item,
  message: HttpMessage,
  request: HttpMessage | undefined,
  types: Readonly<Record<string, FieldType>> = KNOWN_STRUCTURED_FIELDS,
): string {
  const name = component.value
  if (typeof name !== 'string') return fail('malformed', 'a component identifier is a string')
  const source =
    component.params.get('req') === true
      ? (request ?? fail('malformed', "'req' needs the request"))
      : message
  if (name.startsWith('@')) {
    if (!DERIVED.has(name)) return fail('malformed', `unknown derived component ${name}`)
    for (const key of component.params.keys()) {
      if (key !== 'req' && !(key === 'name' && name === '@query-param')) {
        return fail('malformed', `unknown parameter '${key}' on ${name}`)
      }
    }
    return derivedValue(name, component.params, source)
  }
  return fieldValue(name, component.params, source, types)
}
