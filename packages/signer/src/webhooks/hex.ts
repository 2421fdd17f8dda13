/**
 * Lowercase hex, both ways. Stripe and GitHub send their MACs as hex digests; parsing is strict
 * (even length, `[0-9a-fA-F]` only) and linear, so a hostile header costs one pass and never throws.
 * @module
 */

import { asBytes, type Bytes } from '../bytes.js'

const DIGITS = '0123456789abcdef'

/** Lowercase hex of `bytes` (two digits per byte, no prefix). */
export function toHex(bytes: Bytes): string {
  const view = asBytes(bytes)
  let out = ''
  for (let i = 0; i < view.length; i++) {
    const b = view[i] as number
    out += (DIGITS[b >> 4] as string) + (DIGITS[b & 15] as string)
  }
  return out
}

/** Value of one hex digit (either case), or -1 for anything else. */
function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48 // 0-9
  if (code >= 97 && code <= 102) return code - 87 // a-f
  if (code >= 65 && code <= 70) return code - 55 // A-F
  return -1
}

/**
 * Decodes hex (either case). Returns `undefined` for an odd length or any character outside
 * `[0-9a-fA-F]` (no `0x` prefix, no whitespace, no separators); never throws.
 */
export function fromHex(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (text.length % 2 !== 0) return undefined
  const out = new Uint8Array(text.length / 2)
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(text.charCodeAt(2 * i))
    const lo = nibble(text.charCodeAt(2 * i + 1))
    if (hi < 0 || lo < 0) return undefined
    out[i] = (hi << 4) | lo
  }
  return out
}
