/**
 * HMAC-SHA256 keys and MACs through Web Crypto, with each key imported once (see `key-cache`).
 * MACs are computed once per key and compared with `timingSafeEqual` against every candidate
 * the header carries, rather than `crypto.subtle.verify` per candidate, so a header listing
 * many signatures costs one MAC over the body, not one per entry.
 * @module
 */

import { signWith } from '#crypto-backend'
import { toBase64, utf8 } from '../bytes.js'
import { cachedKey } from './key-cache.js'

const HMAC_SHA256 = { name: 'HMAC', hash: 'SHA-256' } as const

/** Raw key bytes: fresh, non-shared memory as Web Crypto wants. */
function importRaw(material: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', Uint8Array.from(material), HMAC_SHA256, false, ['sign'])
}

/**
 * The HMAC-SHA256 signing key for `material`, imported once and cached under `id` (which names
 * both the secret and how its bytes were derived). `material` is only called on a cache miss.
 * Throws a `TypeError` for empty key material, which is a configuration error.
 */
export function hmacKey(id: string, material: () => Uint8Array): Promise<CryptoKey> {
  return cachedKey(id, async () => {
    const bytes = material()
    if (bytes.length === 0) throw new TypeError('an HMAC webhook secret must not be empty')
    return importRaw(bytes)
  })
}

/** The HMAC-SHA256 key for raw bytes, cached by their value (so a reused array still hits). */
export function hmacKeyFromBytes(bytes: Uint8Array): Promise<CryptoKey> {
  return hmacKey(`hmac-raw:${toBase64(bytes)}`, () => bytes)
}

/**
 * Checks that a caller-supplied `CryptoKey` can compute HMAC-SHA256 MACs (algorithm HMAC, hash
 * SHA-256, `sign` usage); throws a `TypeError` otherwise.
 */
export function assertHmacSigningKey(key: CryptoKey): CryptoKey {
  const algorithm = key.algorithm as Partial<HmacKeyAlgorithm>
  if (
    algorithm.name !== 'HMAC' ||
    algorithm.hash?.name !== 'SHA-256' ||
    !key.usages.includes('sign')
  ) {
    throw new TypeError('an HMAC webhook key must be an HMAC SHA-256 CryptoKey with "sign" usage')
  }
  return key
}

/** HMAC-SHA256 of `data` under `key` (32 bytes). */
export async function hmacSha256(
  key: CryptoKey,
  data: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  return (await signWith('hmac-sha256', key, data)) as Uint8Array<ArrayBuffer>
}

/**
 * The HMAC-SHA256 key whose bytes are the UTF-8 encoding of `secret`, as Stripe (the whole
 * `whsec_…` string, not base64-decoded) and GitHub use their secrets.
 */
export function hmacKeyFromText(secret: string): Promise<CryptoKey> {
  return hmacKey(`hmac-utf8:${secret}`, () => utf8(secret))
}
