/**
 * Bytes: base64 in both alphabets, UTF-8, and a constant-time comparison. Web-standard only (no
 * `Buffer`), so the package runs on edge runtimes.
 * @module
 */

const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** Character code → 6-bit value, for one alphabet; -1 for anything else. */
function decodeTable(alphabet: string): Int8Array {
  const table = new Int8Array(128).fill(-1)
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i
  return table
}

const STD_TABLE = decodeTable(STD)
const URL_TABLE = decodeTable(URL_SAFE)

/** Any view of bytes: a `Uint8Array` (a pooled Node `Buffer` included), another view, or a buffer. */
export type Bytes = ArrayBufferView | ArrayBuffer

/** The bytes of `view` as a `Uint8Array` over the same memory (no copy): offsets respected. */
export function asBytes(view: Bytes): Uint8Array<ArrayBuffer> {
  if (view instanceof Uint8Array) return view as Uint8Array<ArrayBuffer>
  if (ArrayBuffer.isView(view)) {
    return new Uint8Array(view.buffer as ArrayBuffer, view.byteOffset, view.byteLength)
  }
  return new Uint8Array(view)
}

function encode(input: Bytes, alphabet: string, pad: boolean): string {
  const bytes = asBytes(input)
  let out = ''
  let i = 0
  for (; i + 2 < bytes.length; i += 3) {
    const n =
      ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number)
    out +=
      alphabet.charAt(n >> 18) +
      alphabet.charAt((n >> 12) & 63) +
      alphabet.charAt((n >> 6) & 63) +
      alphabet.charAt(n & 63)
  }
  const rest = bytes.length - i
  if (rest === 1) {
    const n = (bytes[i] as number) << 16
    out += alphabet.charAt(n >> 18) + alphabet.charAt((n >> 12) & 63) + (pad ? '==' : '')
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8)
    out +=
      alphabet.charAt(n >> 18) +
      alphabet.charAt((n >> 12) & 63) +
      alphabet.charAt((n >> 6) & 63) +
      (pad ? '=' : '')
  }
  return out
}

/** Standard base64 (RFC 4648 §4) with padding: the form structured-field byte sequences use. */
export function toBase64(bytes: Bytes): string {
  return encode(bytes, STD, true)
}

/** base64url (RFC 4648 §5) without padding. */
export function toBase64Url(bytes: Bytes): string {
  return encode(bytes, URL_SAFE, false)
}

/** Either alphabet: the lenient decoder's table. */
const ANY_TABLE = (() => {
  const table = Int8Array.from(STD_TABLE)
  for (let c = 0; c < 128; c++) if ((URL_TABLE[c] as number) >= 0) table[c] = URL_TABLE[c] as number
  return table
})()

/**
 * Decodes base64. `strict` (the default) accepts only the standard alphabet with correct
 * padding and zero pad bits, as RFC 4648 asks of canonical text; otherwise padding is optional and
 * the pad bits are ignored, and with `urlSafe` (the default when not strict) base64url characters
 * are accepted too. Returns `undefined` for anything malformed (never throws).
 */
export function fromBase64(text: string, strict = true, urlSafe = !strict): Uint8Array | undefined {
  let end = text.length
  if (strict && end % 4 !== 0) return undefined
  let padding = 0
  while (end > 0 && text.charCodeAt(end - 1) === 61 /* = */ && padding < 2) {
    end--
    padding++
  }
  if (!strict && padding > 0 && text.length % 4 !== 0) return undefined
  const rest = end % 4
  if (rest === 1) return undefined
  const table = urlSafe ? ANY_TABLE : STD_TABLE
  const out = new Uint8Array(((end - rest) / 4) * 3 + (rest === 0 ? 0 : rest - 1))
  let o = 0
  const whole = end - rest
  // Four characters make three bytes; any character outside the alphabet turns the OR negative.
  for (let i = 0; i < whole; i += 4) {
    const a = sextet(table, text.charCodeAt(i))
    const b = sextet(table, text.charCodeAt(i + 1))
    const c = sextet(table, text.charCodeAt(i + 2))
    const d = sextet(table, text.charCodeAt(i + 3))
    if ((a | b | c | d) < 0) return undefined
    const n = (a << 18) | (b << 12) | (c << 6) | d
    out[o++] = n >> 16
    out[o++] = (n >> 8) & 0xff
    out[o++] = n & 0xff
  }
  if (rest === 0) return out
  const a = sextet(table, text.charCodeAt(whole))
  const b = sextet(table, text.charCodeAt(whole + 1))
  const c = rest === 3 ? sextet(table, text.charCodeAt(whole + 2)) : 0
  if ((a | b | c) < 0) return undefined
  const n = (a << 18) | (b << 12) | (c << 6)
  out[o++] = n >> 16
  if (rest === 3) out[o++] = (n >> 8) & 0xff
  // Leftover bits must be zero (a canonical encoding), as RFC 4648 §3.5 allows decoders to ask.
  const leftover = rest === 2 ? n & 0xffff : n & 0xff
  if (strict && leftover !== 0) return undefined
  return out
}

function sextet(table: Int8Array, c: number): number {
  return c < 128 ? (table[c] as number) : -1
}

const encoder = new TextEncoder()

/** UTF-8 bytes of `text`. */
export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text)
}

/**
 * Whether two byte views hold the same bytes, in time that depends only on their lengths (never
 * on where they differ). Any view works: a pooled Node `Buffer`, a `subarray`, a `DataView`, a
 * bare `ArrayBuffer`; only the bytes the view covers are read. Unequal lengths answer `false`
 * without throwing (lengths are not secret: MACs and digests have fixed sizes).
 */
export function timingSafeEqual(a: Bytes, b: Bytes): boolean {
  const x = asBytes(a)
  const y = asBytes(b)
  if (x.byteLength !== y.byteLength) return false
  let diff = 0
  for (let i = 0; i < x.byteLength; i++) diff |= (x[i] as number) ^ (y[i] as number)
  return diff === 0
}

/**
 * {@link timingSafeEqual} of bytes held as a Latin-1 string (one character per byte, as
 * `node:crypto` returns digests with the `'latin1'` encoding) and a byte view. Node returns such a
 * string several times faster than a `Buffer`, whose allocation dominates a small MAC's cost.
 */
export function latin1Equal(text: string, bytes: Uint8Array): boolean {
  if (text.length !== bytes.byteLength) return false
  let diff = 0
  for (let i = 0; i < text.length; i++) diff |= text.charCodeAt(i) ^ (bytes[i] as number)
  return diff === 0
}
