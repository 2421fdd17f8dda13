/**
 * Hash sources (`'sha256-…'`, `'sha384-…'`, `'sha512-…'`): the digest must be base64 of the
 * right length, or the browser never matches it and the script or style is blocked.
 * @module
 */
import { isAlpha, isDigit } from './chars.js'

/** Digest size in bytes per algorithm. */
const DIGEST_BYTES: ReadonlyMap<string, number> = new Map([
  ['sha256', 32],
  ['sha384', 48],
  ['sha512', 64],
])

/** True when `inner` (a quoted source without its quotes) starts like a hash source. */
export function looksLikeHashSource(inner: string): boolean {
  const dash = inner.indexOf('-')
  return dash !== -1 && DIGEST_BYTES.has(inner.slice(0, dash).toLowerCase())
}

/** base64 or base64url (CSP's `base64-value` allows both alphabets). */
function isBase64Char(c: number): boolean {
  return isAlpha(c) || isDigit(c) || c === 0x2b || c === 0x2f || c === 0x2d || c === 0x5f
}

function isHex(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i) | 0x20
    if (!isDigit(c) && (c < 0x61 || c > 0x66)) return false
  }
  return true
}

/**
 * Checks a hash source given without its quotes (`sha256-…`). Returns what is wrong, or
 * `undefined` when the digest is well-formed.
 */
export function checkHashSource(inner: string): string | undefined {
  const dash = inner.indexOf('-')
  const algorithm = inner.slice(0, dash).toLowerCase()
  const bytes = DIGEST_BYTES.get(algorithm) as number
  const digest = inner.slice(dash + 1)
  let end = digest.length
  while (end > 0 && digest.charCodeAt(end - 1) === 0x3d) end--
  const padding = digest.length - end
  const fix = `use the base64 of the binary digest, e.g. \`openssl dgst -${algorithm} -binary file.js | openssl base64 -A\``
  if (digest.length === bytes * 2 && isHex(digest)) {
    return `'${inner}' looks like a hexadecimal digest; CSP hashes are base64: ${fix}.`
  }
  for (let i = 0; i < end; i++) {
    if (!isBase64Char(digest.charCodeAt(i))) {
      return `'${inner}' is not a valid ${algorithm} hash: ${JSON.stringify(digest[i])} is not a base64 character; ${fix}.`
    }
  }
  // Unpadded length of `bytes` in base64, and the padding that completes it to a multiple of 4.
  const expected = Math.ceil((bytes * 4) / 3)
  const expectedPadding = (4 - (expected % 4)) % 4
  if (end !== expected || (padding !== 0 && padding !== expectedPadding)) {
    return `'${inner}' is not a valid ${algorithm} hash: a ${bytes}-byte digest is ${expected + expectedPadding} base64 characters${expectedPadding ? ` including ${'='.repeat(expectedPadding)} padding` : ''}, this one has ${digest.length}; ${fix}.`
  }
  return undefined
}
