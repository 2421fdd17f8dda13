/**
 * Structured-field parsing, following the algorithms of RFC 9651 §4.2 step by step. The parser
 * walks the text once with an index (no slicing of the rest, no regular expressions, no
 * recursion beyond the one level of inner lists), so any input is handled in linear time, and
 * every failure is an {@link SfParseError}.
 * @module
 */
import { fromBase64 } from '../bytes.js'
import { DIGIT, is, isTokenStart, KEY, KEY_START, TOKEN } from './chars.js'
import { SfParseError } from './errors.js'
import {
  type BareItem,
  Decimal,
  type Dictionary,
  DisplayString,
  type InnerList,
  type Item,
  type List,
  type ListMember,
  type Parameters,
  SfDate,
  Token,
} from './model.js'

const SP = 0x20
const HTAB = 0x09
const DQUOTE = 0x22
const PERCENT = 0x25
const LPAREN = 0x28
const RPAREN = 0x29
const COMMA = 0x2c
const MINUS = 0x2d
const DOT = 0x2e
const COLON = 0x3a
const SEMICOLON = 0x3b
const EQUALS = 0x3d
const QUESTION = 0x3f
const AT = 0x40
const BACKSLASH = 0x5c

// Rejects invalid UTF-8 instead of substituting U+FFFD, and keeps a leading BOM as text.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** The parameters of every item that has none (never mutated: `Parameters` is read-only). */
const NO_PARAMETERS: Parameters = new Map()

/** Value of a lowercase hex digit, or -1: display strings allow only `0-9a-f` (§4.2.10). */
function lowerHex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10
  return -1
}

/** One pass over one field value; `pos` only moves forward. */
class Parser {
  private pos = 0

  constructor(private readonly input: string) {}

  private fail(reason: string, at = this.pos): never {
    throw new SfParseError(reason, at)
  }

  /** Character code at the cursor, or -1 at the end (NaN would compare false everywhere). */
  private peek(): number {
    return this.pos < this.input.length ? this.input.charCodeAt(this.pos) : -1
  }

  private skipSP(): void {
    while (this.peek() === SP) this.pos++
  }

  private skipOWS(): void {
    for (let c = this.peek(); c === SP || c === HTAB; c = this.peek()) this.pos++
  }

  /** §4.2 steps 2, 4 and 5 around one of the three top-level algorithms. */
  top<T>(parse: () => T): T {
    this.skipSP()
    const value = parse()
    this.skipSP()
    if (this.pos < this.input.length) this.fail('unexpected character after the value')
    return value
  }

  /** §4.2.1 Parsing a List. */
  list(): List {
    const members: List = []
    while (this.pos < this.input.length) {
      members.push(this.itemOrInnerList())
      if (this.endOfMember()) return members
    }
    return members
  }

  /** §4.2.2 Parsing a Dictionary. */
  dictionary(): Dictionary {
    const dict: Dictionary = new Map()
    while (this.pos < this.input.length) {
      const key = this.key()
      if (this.peek() === EQUALS) {
        this.pos++
        dict.set(key, this.itemOrInnerList())
      } else {
        // A member without a value is Boolean true, still with parameters.
        dict.set(key, { value: true, params: this.parameters() })
      }
      if (this.endOfMember()) return dict
    }
    return dict
  }

  /**
   * The separator between List or Dictionary members: OWS, then either the end (returns true) or
   * a comma and OWS followed by more input (a trailing comma fails).
   */
  private endOfMember(): boolean {
    this.skipOWS()
    if (this.pos >= this.input.length) return true
    if (this.peek() !== COMMA) this.fail("expected ',' between members")
    this.pos++
    this.skipOWS()
    if (this.pos >= this.input.length) this.fail('trailing comma')
    return false
  }

  /** §4.2.1.1 Parsing an Item or Inner List. */
  private itemOrInnerList(): ListMember {
    return this.peek() === LPAREN ? this.innerList() : this.item()
  }

  /** §4.2.1.2 Parsing an Inner List. */
  private innerList(): InnerList {
    const start = this.pos
    this.pos++ // the '('
    const items: Item[] = []
    while (this.pos < this.input.length) {
      this.skipSP()
      if (this.peek() === RPAREN) {
        this.pos++
        return { items, params: this.parameters() }
      }
      items.push(this.item())
      const c = this.peek()
      if (c !== SP && c !== RPAREN) this.fail("expected ' ' or ')' in inner list")
    }
    return this.fail('inner list not closed', start)
  }

  /** §4.2.3 Parsing an Item. */
  item(): Item {
    const value = this.bareItem()
    return { value, params: this.parameters() }
  }

  /** §4.2.3.1 Parsing a Bare Item: the first character decides the type. */
  private bareItem(): BareItem {
    const c = this.peek()
    if (c === MINUS || is(c, DIGIT)) return this.number()
    if (c === DQUOTE) return this.string()
    if (isTokenStart(c)) return this.token()
    if (c === COLON) return this.byteSequence()
    if (c === QUESTION) return this.boolean()
    if (c === AT) return this.date()
    if (c === PERCENT) return this.displayString()
    return this.fail(c < 0 ? 'expected a value' : 'unexpected character at the start of a value')
  }

  /** §4.2.3.2 Parsing Parameters. */
  private parameters(): Parameters {
    // Most items have none: one shared empty map spares an allocation per item.
    if (this.peek() !== SEMICOLON) return NO_PARAMETERS
    const params = new Map<string, BareItem>()
    while (this.peek() === SEMICOLON) {
      this.pos++
      this.skipSP()
      const key = this.key()
      let value: BareItem = true
      if (this.peek() === EQUALS) {
        this.pos++
        value = this.bareItem()
      }
      params.set(key, value)
    }
    return params
  }

  /** §4.2.3.3 Parsing a Key. */
  private key(): string {
    const start = this.pos
    if (!is(this.peek(), KEY_START)) this.fail('expected a key (lowercase letter or *)')
    this.pos++
    while (is(this.peek(), KEY)) this.pos++
    return this.input.slice(start, this.pos)
  }

  /**
   * §4.2.4 Parsing an Integer or Decimal. Lengths are checked as digits arrive, so an endless run
   * of digits fails at the 16th or 17th character.
   */
  private number(): number | Decimal {
    let sign = 1
    if (this.peek() === MINUS) {
      sign = -1
      this.pos++
    }
    if (!is(this.peek(), DIGIT)) this.fail('expected a digit')
    const start = this.pos
    let dot = -1
    for (let c = this.peek(); c >= 0; c = this.peek()) {
      if (c === DOT && dot < 0) {
        if (this.pos - start > 12) this.fail('more than 12 digits before the decimal point')
        dot = this.pos
      } else if (!is(c, DIGIT)) {
        break
      }
      this.pos++
      const length = this.pos - start
      if (dot < 0 ? length > 15 : length > 16) this.fail('too many digits', start)
    }
    // `+ 0` turns -0 into 0: "-0" is the integer zero.
    const value = sign * Number(this.input.slice(start, this.pos)) + 0
    if (dot < 0) return value
    if (dot === this.pos - 1) this.fail('decimal without fractional digits', dot)
    if (this.pos - dot - 1 > 3) this.fail('more than 3 fractional digits', dot)
    return new Decimal(value)
  }

  /** §4.2.5 Parsing a String: printable ASCII, with only `\"` and `\\` escapes. */
  private string(): string {
    const start = this.pos
    this.pos++ // the opening DQUOTE
    let out = ''
    let chunk = this.pos // start of the run of plain characters not yet copied to `out`
    while (this.pos < this.input.length) {
      const c = this.input.charCodeAt(this.pos)
      if (c === BACKSLASH) {
        out += this.input.slice(chunk, this.pos)
        const next = this.pos + 1 < this.input.length ? this.input.charCodeAt(this.pos + 1) : -1
        if (next !== DQUOTE && next !== BACKSLASH) this.fail('invalid escape in string')
        chunk = this.pos + 1 // the escaped character starts the next run
        this.pos += 2
      } else if (c === DQUOTE) {
        out += this.input.slice(chunk, this.pos)
        this.pos++
        return out
      } else if (c < 0x20 || c > 0x7e) {
        this.fail('string contains a character outside printable ASCII')
      } else {
        this.pos++
      }
    }
    return this.fail('string not closed', start)
  }

  /** §4.2.6 Parsing a Token. */
  private token(): Token {
    const start = this.pos
    this.pos++ // ALPHA or '*', checked by the caller
    while (is(this.peek(), TOKEN)) this.pos++
    return new Token(this.input.slice(start, this.pos))
  }

  /**
   * §4.2.7 Parsing a Byte Sequence. Only the standard alphabet and `=` are allowed; missing
   * padding and non-zero pad bits are accepted, as the RFC says parsers SHOULD.
   */
  private byteSequence(): Uint8Array {
    const start = this.pos
    const end = this.input.indexOf(':', start + 1)
    if (end < 0) this.fail('byte sequence not closed', start)
    // The standard alphabet only (the decoder refuses anything else, base64url included);
    // padding optional and pad bits ignored, as RFC 9651 §4.2.7 asks.
    const bytes = fromBase64(this.input.slice(start + 1, end), false, false)
    if (bytes === undefined) this.fail('invalid base64', start + 1)
    this.pos = end + 1
    return bytes as Uint8Array
  }

  /** §4.2.8 Parsing a Boolean. */
  private boolean(): boolean {
    this.pos++ // the '?'
    const c = this.peek()
    if (c !== 0x30 && c !== 0x31) this.fail("expected '0' or '1' after '?'")
    this.pos++
    return c === 0x31
  }

  /** §4.2.9 Parsing a Date: an integer after `@`. */
  private date(): SfDate {
    this.pos++ // the '@'
    const start = this.pos
    const seconds = this.number()
    if (seconds instanceof Decimal) this.fail('a date must be an integer', start)
    return new SfDate(seconds as number)
  }

  /** §4.2.10 Parsing a Display String: `%"`, then ASCII and lowercase `%xx` UTF-8 octets. */
  private displayString(): DisplayString {
    const start = this.pos
    if (this.input.charCodeAt(this.pos + 1) !== DQUOTE) this.fail("expected '\"' after '%'")
    this.pos += 2
    // Every character yields at most one byte, so the rest of the input bounds the size.
    const bytes = new Uint8Array(this.input.length - this.pos)
    let n = 0
    while (this.pos < this.input.length) {
      const c = this.input.charCodeAt(this.pos)
      if (c < 0x20 || c > 0x7e)
        this.fail('display string contains a non-ASCII or control character')
      if (c === PERCENT) {
        const hi =
          this.pos + 1 < this.input.length ? lowerHex(this.input.charCodeAt(this.pos + 1)) : -1
        const lo =
          this.pos + 2 < this.input.length ? lowerHex(this.input.charCodeAt(this.pos + 2)) : -1
        if (hi < 0 || lo < 0) this.fail("expected two lowercase hex digits after '%'")
        bytes[n++] = (hi << 4) | lo
        this.pos += 3
      } else if (c === DQUOTE) {
        this.pos++
        try {
          return new DisplayString(utf8Decoder.decode(bytes.subarray(0, n)))
        } catch {
          return this.fail('display string is not valid UTF-8', start)
        }
      } else {
        bytes[n++] = c
        this.pos++
      }
    }
    return this.fail('display string not closed', start)
  }
}

/** Runs one top-level parse; anything but text is rejected as an {@link SfParseError} too. */
function parse<T>(text: string, run: (parser: Parser) => T): T {
  if (typeof text !== 'string') throw new SfParseError('field value is not a string', 0)
  const parser = new Parser(text)
  return parser.top(() => run(parser))
}

/**
 * Parses a field value as an Item (RFC 9651 §4.2 with field type "item").
 * @throws {SfParseError} if `text` is not a valid Item
 */
export function parseItem(text: string): Item {
  return parse(text, (p) => p.item())
}

/**
 * Parses a field value as a List (RFC 9651 §4.2 with field type "list"). Empty text gives an
 * empty list.
 * @throws {SfParseError} if `text` is not a valid List
 */
export function parseList(text: string): List {
  return parse(text, (p) => p.list())
}

/**
 * Parses a field value as a Dictionary (RFC 9651 §4.2 with field type "dictionary"). Empty text
 * gives an empty dictionary; a duplicate key keeps its first position and its last value.
 * @throws {SfParseError} if `text` is not a valid Dictionary
 */
export function parseDictionary(text: string): Dictionary {
  return parse(text, (p) => p.dictionary())
}

/**
 * Combines the field lines of one field as RFC 9651 §4.2 asks: joined with a comma and a space.
 * An empty line thus yields an empty member, which fails, as the httpwg test suite expects.
 */
function combine(lines: readonly string[]): string {
  if (!Array.isArray(lines)) throw new SfParseError('field lines are not an array', 0)
  for (const line of lines) {
    if (typeof line !== 'string') throw new SfParseError('a field line is not a string', 0)
  }
  return lines.join(', ')
}

/**
 * Parses a List sent as several field lines (offsets in errors refer to the joined text). No
 * lines gives an empty list, the same as an absent field.
 * @throws {SfParseError} if the combined value is not a valid List
 */
export function parseListLines(lines: readonly string[]): List {
  return parseList(combine(lines))
}

/**
 * Parses a Dictionary sent as several field lines (offsets in errors refer to the joined text).
 * No lines gives an empty dictionary, the same as an absent field.
 * @throws {SfParseError} if the combined value is not a valid Dictionary
 */
export function parseDictionaryLines(lines: readonly string[]): Dictionary {
  return parseDictionary(combine(lines))
}
