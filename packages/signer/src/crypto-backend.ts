/**
 * The cryptography every signature, digest and MAC goes through: Web Crypto, the default on every
 * runtime. On Node, the package's `#crypto-backend` import resolves to `crypto-backend.node.ts`
 * instead (the `node` condition), which does the same with `node:crypto` one call at a time; both
 * pass the same tests. Keys are always imported through Web Crypto, so both take `CryptoKey`s.
 * @module
 */
import type { Algorithm } from './algorithms.js'
import { asBytes, timingSafeEqual, utf8 } from './bytes.js'

/** Which backend is in use (for tests and the benchmark's caption). */
export const BACKEND: 'web-crypto' | 'node-crypto' = 'web-crypto'

const SIGN_PARAMS: Readonly<Record<Algorithm, AlgorithmIdentifier | RsaPssParams | EcdsaParams>> = {
  'hmac-sha256': { name: 'HMAC' },
  ed25519: { name: 'Ed25519' },
  'ecdsa-p256-sha256': { name: 'ECDSA', hash: 'SHA-256' },
  'ecdsa-p384-sha384': { name: 'ECDSA', hash: 'SHA-384' },
  // RFC 9421 §3.3.1: the salt is 64 bytes. Verifiers that expect it reject other lengths.
  'rsa-pss-sha512': { name: 'RSA-PSS', saltLength: 64 },
  'rsa-v1_5-sha256': { name: 'RSASSA-PKCS1-v1_5' },
}

/** Text as its UTF-8 bytes (a signature base), bytes as they are. */
function bytesOf(data: Uint8Array | string): Uint8Array<ArrayBuffer> {
  return typeof data === 'string' ? utf8(data) : asBytes(data)
}

/** `alg`'s signature (or MAC) of `data` (bytes, or text as UTF-8) by `key`. */
export async function signWith(
  alg: Algorithm,
  key: CryptoKey,
  data: Uint8Array | string,
): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign(SIGN_PARAMS[alg], key, bytesOf(data)))
}

/** Whether `signature` is `alg`'s signature of `data` by `key` (MACs compared in constant time). */
export async function verifyWith(
  alg: Algorithm,
  key: CryptoKey,
  data: Uint8Array | string,
  signature: Uint8Array,
): Promise<boolean> {
  try {
    return await crypto.subtle.verify(SIGN_PARAMS[alg], key, asBytes(signature), bytesOf(data))
  } catch {
    return false
  }
}

/** A SHA-2 digest of `data`. */
export async function digestOf(hash: 'SHA-256' | 'SHA-512', data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest(hash, asBytes(data)))
}

/**
 * The same checks synchronously, where the backend can (Node): `undefined` here, so callers await
 * {@link verifyWith} instead.
 */
export function verifyNow(
  _alg: Algorithm,
  _key: CryptoKey,
  _data: Uint8Array | string,
  _signature: Uint8Array,
): boolean | undefined {
  return undefined
}

/**
 * Whether `expected` is the digest of `data`, synchronously, where the backend can (Node);
 * `undefined` here, so callers await {@link digestOf} instead.
 */
export function digestMatchesNow(
  _hash: 'SHA-256' | 'SHA-512',
  _data: Uint8Array,
  _expected: Uint8Array,
): boolean | undefined {
  return undefined
}

/** Constant-time equality of two byte strings (`false` on a length mismatch). */
export const bytesEqual: (a: Uint8Array, b: Uint8Array) => boolean = timingSafeEqual
