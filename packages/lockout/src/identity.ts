/**
 * Identities as the store sees them: normalised so that spellings of one account share its
 * counters, then replaced by a keyed HMAC so no username ever reaches the store or an event.
 * @module
 */
import { MAX_IDENTITY_LENGTH } from './options.js'

/**
 * Trims, applies Unicode NFKC (full-width `Ａｌｉｃｅ` becomes `Alice`) and, unless
 * `caseSensitive`, folds case (upper- then lower-casing, so `ß` and `SS` agree as full case
 * folding has them). `undefined` for anything that is not a non-empty string.
 */
export function normalizeIdentity(identity: unknown, caseSensitive: boolean): string | undefined {
  if (typeof identity !== 'string') return undefined
  // NFKC can turn one character into several: cut before and after so the work stays bounded.
  let value = identity
    .slice(0, MAX_IDENTITY_LENGTH * 4)
    .normalize('NFKC')
    .trim()
  if (!caseSensitive) value = value.toUpperCase().toLowerCase()
  value = value.slice(0, MAX_IDENTITY_LENGTH)
  return value === '' ? undefined : value
}

/** Bytes of the HMAC kept: 128 bits, 22 base64url characters. */
const ID_BYTES = 16

const encoder = new TextEncoder()

/** Base64url (RFC 4648 §5, unpadded) of the first `length` bytes. */
export function base64url(bytes: Uint8Array, length: number): string {
  let binary = ''
  for (let i = 0; i < length; i++) binary += String.fromCharCode(bytes[i] as number)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** Turns a normalised identity into its store id. */
export type IdentityHasher = (identity: string) => Promise<string>

/**
 * An HMAC-SHA256 keyed by `secret` (Web Crypto, so it runs on edge runtimes too), truncated to
 * 128 bits. The key is imported once, on first use.
 */
export function identityHasher(secret: string): IdentityHasher {
  let key: Promise<CryptoKey> | undefined
  return async (identity) => {
    key ??= crypto.subtle.importKey(
      'raw',
      encoder.encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    )
    const mac = await crypto.subtle.sign('HMAC', await key, encoder.encode(identity))
    return base64url(new Uint8Array(mac), ID_BYTES)
  }
}

/** A random secret for a store no other process reads (32 bytes, base64). */
export function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  return btoa(String.fromCharCode(...bytes))
}
