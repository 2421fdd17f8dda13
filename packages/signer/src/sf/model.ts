/**
 * The structured-field data model of RFC 9651 §3, as plain JavaScript values plus a few wrapper
 * classes for the bare-item types that JavaScript has no distinct value for.
 * @module
 */

/**
 * A Token (RFC 9651 §3.3.4): an unquoted identifier such as `sha-256` or `*`. Kept apart from
 * strings because `a` and `"a"` are different values. Not validated here: the serialiser checks
 * the characters.
 */
export class Token {
  /** @param value the token's characters */
  constructor(readonly value: string) {}
}

/**
 * A Display String (RFC 9651 §3.3.8): Unicode text, sent as `%"..."` with percent-encoded UTF-8.
 */
export class DisplayString {
  /** @param value the text, any Unicode (lone surrogates cannot be serialised) */
  constructor(readonly value: string) {}
}

/** A Date (RFC 9651 §3.3.7): whole seconds since the Unix epoch, sent as `@1659578233`. */
export class SfDate {
  /** @param seconds an integer in ±999,999,999,999,999 */
  constructor(readonly seconds: number) {}
}

/**
 * A Decimal (RFC 9651 §3.3.2). Wrapped because a JavaScript `number` cannot tell `1` from `1.0`,
 * and the two are different structured-field types; a bare `number` always means an Integer.
 */
export class Decimal {
  /** @param value any finite number; serialisation rounds it to three fractional digits */
  constructor(readonly value: number) {}
}

/**
 * A Bare Item (RFC 9651 §3.3): Integer (`number`, integers only), Decimal, String (`string`,
 * printable ASCII), Token, Byte Sequence (`Uint8Array`), Boolean, Date or Display String.
 */
export type BareItem =
  | number
  | Decimal
  | string
  | Token
  | Uint8Array
  | boolean
  | SfDate
  | DisplayString

/**
 * Parameters (RFC 9651 §3.1.2): ordered, keys unique; a `Map` keeps insertion order. Read-only:
 * the parser shares one empty instance between every item that has none.
 */
export type Parameters = ReadonlyMap<string, BareItem>

/** An Item (RFC 9651 §3.3): a bare item with its parameters. */
export interface Item {
  /** The bare item. */
  readonly value: BareItem
  /** Its parameters, in order (empty when there are none). */
  readonly params: Parameters
}

/** An Inner List (RFC 9651 §3.1.1): a parenthesised list of items, with its own parameters. */
export interface InnerList {
  /** The items, in order. */
  readonly items: readonly Item[]
  /** Parameters of the inner list as a whole (not of its items). */
  readonly params: Parameters
}

/** A member of a List or Dictionary: an Item or an Inner List. */
export type ListMember = Item | InnerList

/** A List (RFC 9651 §3.1). An empty list means the field is absent. */
export type List = ListMember[]

/**
 * A Dictionary (RFC 9651 §3.2): ordered; a later duplicate key overwrites the value but keeps the
 * first key's position, which is what `Map#set` does.
 */
export type Dictionary = Map<string, ListMember>

/** Whether a List or Dictionary member is an Inner List (rather than an Item). */
export function isInnerList(member: ListMember): member is InnerList {
  return Array.isArray((member as Partial<InnerList>).items)
}
