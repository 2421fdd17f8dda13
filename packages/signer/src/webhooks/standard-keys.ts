/**
 * Standard Webhooks key formats, turned into Web Crypto keys (each imported once, cached).
 *
 * - `whsec_` + base64: a symmetric secret; the HMAC key is the base64-*decoded* bytes. As in the
 *   reference libraries the prefix is optional (bare base64 is accepted too).
 * - `whpk_` + base64: an Ed25519 public key, the 32 raw bytes (RFC 8032).
 * - `whsk_` + base64: an Ed25519 private key. The spec says only "standard ed25519 key pair";
 *   Svix (the spec's authors) store the 64-byte libsodium form, seed then public key, and some
 *   implementations store just the 32-byte seed. Both are accepted; for the 64-byte form the
 *   public half must match the seed.
 *
 * Base64 is the standard alphabet with padding, strictly (the spec does not say which variant;
 * every published key uses this one). Anything unusable throws a `TypeError`: keys are
 * configuration, never request input.
 * @module
 */

import { asBytes, fromBase64, toBase64, utf8 } from '../bytes.js'
import { assertHmacSigningKey, hmacKey, hmacKeyFromBytes } from './hmac.js'
import { cachedKey } from './key-cache.js'

/** Prefix of a symmetric (`v1`) secret. */
export const SECRET_PREFIX = 'whsec_'
/** Prefix of an Ed25519 private (`v1a` signing) key. */
export const PRIVATE_KEY_PREFIX = 'whsk_'
/** Prefix of an Ed25519 public (`v1a` verifying) key. */
export const PUBLIC_KEY_PREFIX = 'whpk_'

/** A `v1` secret: `whsec_…` (or bare base64), raw key bytes, or an HMAC SHA-256 `CryptoKey`. */
export type StandardWebhookSecret = string | Uint8Array | CryptoKey

/** A `v1a` verifying key: `whpk_…`, the 32 raw public-key bytes, or an Ed25519 public `CryptoKey`. */
export type StandardWebhookPublicKey = string | Uint8Array | CryptoKey

/** The PKCS#8 wrapping of a 32-byte Ed25519 seed (RFC 8410 §7): this header, then the seed. */
const PKCS8_ED25519_HEADER = [
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]

/**
 * Whether a key is given as bytes. `ArrayBuffer.isView` rather than `instanceof Uint8Array`, so
 * bytes from another realm (a Node `Buffer` handed into an edge VM) are still recognised.
 */
export function isKeyBytes(key: string | Uint8Array | CryptoKey): key is Uint8Array {
  return ArrayBuffer.isView(key)
}

function decode(text: string, what: string): Uint8Array {
  const bytes = fromBase64(text)
  if (bytes === undefined) throw new TypeError(`${what} is not valid base64`)
  return bytes
}

/** The HMAC key a `v1` secret stands for. */
export function standardHmacKey(secret: StandardWebhookSecret): Promise<CryptoKey> {
  if (isKeyBytes(secret)) return hmacKeyFromBytes(asBytes(secret))
  if (typeof secret !== 'string') return Promise.resolve(assertHmacSigningKey(secret))
  if (secret.startsWith(PRIVATE_KEY_PREFIX) || secret.startsWith(PUBLIC_KEY_PREFIX)) {
    // An Ed25519 key given where a symmetric secret belongs: say so rather than decode it.
    throw new TypeError('a whsk_/whpk_ key is an Ed25519 (v1a) key, not a v1 secret')
  }
  const body = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret
  return hmacKey(`hmac-whsec:${body}`, () => decode(body, 'a whsec_ secret'))
}

function pkcs8FromSeed(seed: Uint8Array): Uint8Array<ArrayBuffer> {
  const der = new Uint8Array(PKCS8_ED25519_HEADER.length + 32)
  der.set(PKCS8_ED25519_HEADER, 0)
  der.set(seed, PKCS8_ED25519_HEADER.length)
  return der
}

function importPublic(bytes: Uint8Array): Promise<CryptoKey> {
  if (bytes.length !== 32) throw new TypeError('an Ed25519 public key must be 32 bytes')
  return crypto.subtle.importKey('raw', Uint8Array.from(bytes), 'Ed25519', false, ['verify'])
}

/** Imports a `whsk_` key (32-byte seed, or 64 bytes of seed then public key). */
async function importPrivate(text: string): Promise<CryptoKey> {
  const bytes = decode(text, 'a whsk_ key')
  if (bytes.length !== 32 && bytes.length !== 64) {
    throw new TypeError('a whsk_ key must hold 32 (seed) or 64 (seed and public key) bytes')
  }
  const key = await crypto.subtle.importKey(
    'pkcs8',
    pkcs8FromSeed(bytes.subarray(0, 32)),
    'Ed25519',
    false,
    ['sign'],
  )
  if (bytes.length === 64) {
    // Web Crypto derives the public key from the seed and ignores the stored half; a mismatch
    // means a corrupted key whose signatures the published whpk_ would never verify. Check with
    // a probe signature (as Svix validates its keys) so the private key never has to be
    // extractable.
    const probe = Uint8Array.from(utf8('standard-webhooks key check'))
    const signature = await crypto.subtle.sign('Ed25519', key, probe)
    const matches = await importPublic(bytes.subarray(32)).then(
      (stored) => crypto.subtle.verify('Ed25519', stored, signature, probe),
      () => false, // not even a valid public key
    )
    if (!matches) throw new TypeError('the public half of this whsk_ key does not match its seed')
  }
  return key
}

/** The Ed25519 private key a `whsk_…` string or `CryptoKey` stands for. */
export function standardSigningKey(key: string | CryptoKey): Promise<CryptoKey> {
  if (typeof key !== 'string') {
    if (
      key.algorithm.name !== 'Ed25519' ||
      key.type !== 'private' ||
      !key.usages.includes('sign')
    ) {
      throw new TypeError('a v1a signing key must be a private Ed25519 CryptoKey with "sign" usage')
    }
    return Promise.resolve(key)
  }
  if (!key.startsWith(PRIVATE_KEY_PREFIX)) throw new TypeError('a v1a signing key starts whsk_')
  const body = key.slice(PRIVATE_KEY_PREFIX.length)
  return cachedKey(`ed25519-whsk:${body}`, () => importPrivate(body))
}

/** The Ed25519 public key a `whpk_…` string, 32 raw bytes or `CryptoKey` stands for. */
export function standardPublicKey(key: StandardWebhookPublicKey): Promise<CryptoKey> {
  if (isKeyBytes(key)) {
    const bytes = asBytes(key)
    return cachedKey(`ed25519-raw:${toBase64(bytes)}`, async () => importPublic(bytes))
  }
  if (typeof key !== 'string') {
    if (
      key.algorithm.name !== 'Ed25519' ||
      key.type !== 'public' ||
      !key.usages.includes('verify')
    ) {
      throw new TypeError('a v1a public key must be a public Ed25519 CryptoKey with "verify" usage')
    }
    return Promise.resolve(key)
  }
  if (!key.startsWith(PUBLIC_KEY_PREFIX)) throw new TypeError('a v1a public key starts whpk_')
  const body = key.slice(PUBLIC_KEY_PREFIX.length)
  return cachedKey(`ed25519-whpk:${body}`, async () => importPublic(decode(body, 'a whpk_ key')))
}
