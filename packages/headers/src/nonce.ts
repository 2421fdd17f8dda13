/**
 * CSP nonces from a pooled CSPRNG buffer: one `getRandomValues` call fills 256 nonces, so a
 * request pays a base64 encode, not a trip to the system's random source.
 * @module
 */

/** Random bytes per nonce: 144 bits, base64-encoded to 24 characters without padding. */
export const NONCE_BYTES = 18
const NONCES_PER_FILL = 256
const POOL_BYTES = NONCE_BYTES * NONCES_PER_FILL

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
/** Base64 digit → char code, so a nonce is built as one flat string in one call. */
const CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0))

/** A pool of random bytes; each byte is handed out once, then the pool is refilled. */
export class NoncePool {
  readonly #pool = new Uint8Array(POOL_BYTES)
  readonly #codes: number[] = new Array<number>((NONCE_BYTES / 3) * 4).fill(0)
  #offset = POOL_BYTES

  /** A fresh nonce: 18 unused CSPRNG bytes as base64 (valid in CSP's `'nonce-…'` grammar). */
  next(): string {
    if (this.#offset === POOL_BYTES) {
      crypto.getRandomValues(this.#pool)
      this.#offset = 0
    }
    const pool = this.#pool
    const codes = this.#codes
    // 18 bytes = 6 groups of 3 bytes = 24 characters, no padding.
    for (let i = this.#offset, j = 0, end = this.#offset + NONCE_BYTES; i < end; i += 3) {
      const n =
        ((pool[i] as number) << 16) | ((pool[i + 1] as number) << 8) | (pool[i + 2] as number)
      codes[j++] = CODES[n >>> 18] as number
      codes[j++] = CODES[(n >>> 12) & 63] as number
      codes[j++] = CODES[(n >>> 6) & 63] as number
      codes[j++] = CODES[n & 63] as number
    }
    const out = String.fromCharCode.apply(null, codes)
    // Wipe what was handed out, so a later leak of the pool cannot reveal past nonces.
    pool.fill(0, this.#offset, this.#offset + NONCE_BYTES)
    this.#offset += NONCE_BYTES
    return out
  }
}

/** The process-wide pool every guard shares. */
export const noncePool = new NoncePool()
