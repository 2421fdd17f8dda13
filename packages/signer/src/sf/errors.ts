/**
 * The two ways structured-field handling fails: a field value that cannot be parsed, and a value
 * that cannot be serialised.
 * @module
 */

/**
 * A field value is not a valid structured field (RFC 9651 §4.2). RFC 9651 says the whole field
 * must then be ignored, so callers treat this as "field absent or invalid", never as partial data.
 */
export class SfParseError extends Error {
  /** Index (UTF-16 code unit) in the parsed text where the problem was found. */
  readonly offset: number

  /**
   * @param reason what was wrong, without the position
   * @param offset where in the parsed text it was found
   */
  constructor(reason: string, offset: number) {
    super(`${reason} at offset ${offset}`)
    this.name = 'SfParseError'
    this.offset = offset
  }
}

/**
 * A value cannot be serialised as a structured field (RFC 9651 §4.1): an integer out of range, a
 * non-integer `number`, a token or key with forbidden characters, a string outside printable
 * ASCII, and the like.
 */
export class SfSerializeError extends Error {
  /** @param message what cannot be serialised, and why */
  constructor(message: string) {
    super(message)
    this.name = 'SfSerializeError'
  }
}
