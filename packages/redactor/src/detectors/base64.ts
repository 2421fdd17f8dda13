/**
 * A small base64 decoder for validating candidates (a JWT header, Basic credentials) without
 * `atob`'s exceptions and without allocating a byte array: bytes come back as a binary string.
 * @module
 */

/** Sextet value per ASCII code, -1 for anything else. Both alphabets: `+/` and `-_`. */
const VALUES = new Int8Array(128).fill(-1)
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
for (let v = 0; v < 64; v++) VALUES[ALPHABET.charCodeAt(v)] = v
VALUES[0x2d] = 62
VALUES[0x5f] = 63

/**
 * Decodes `text.slice(start, end)` (standard or URL-safe base64, padding optional, at most two
 * `=`) to a binary string, one character per byte; `undefined` when it is not base64.
 */
export function decodeBase64(text: string, start: number, end: number): string | undefined {
  let stop = end
  if (stop > start && text.charCodeAt(stop - 1) === 0x3d) stop--
  if (stop > start && text.charCodeAt(stop - 1) === 0x3d) stop--
  const length = stop - start
  // One leftover sextet holds no whole byte: no encoder produces that length.
  if (length % 4 === 1) return undefined
  let out = ''
  let acc = 0
  let bits = 0
  for (let j = start; j < stop; j++) {
    const c = text.charCodeAt(j)
    const v = c < 128 ? (VALUES[c] as number) : -1
    if (v < 0) return undefined
    acc = (acc << 6) | v
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out += String.fromCharCode((acc >> bits) & 0xff)
      acc &= (1 << bits) - 1
    }
  }
  return out
}
