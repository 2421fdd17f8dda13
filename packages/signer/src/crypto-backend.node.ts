/**
 * The Node backend of `#crypto-backend` (see `crypto-backend.ts`): the same operations through
 * `node:crypto`. On Node 20 each Web Crypto call costs tens of microseconds (its promise and
 * thread hand-off), where `createHmac` or `crypto.verify` on a small input costs a few; a
 * signature check makes two or three such calls. Keys stay Web Crypto `CryptoKey`s, converted once
 * to `KeyObject`s.
 * @module
 */
import {
  constants,
  createHmac,
  hash,
  KeyObject,
  sign as nodeSign,
  verify as nodeVerify,
  timingSafeEqual,
} from 'node:crypto'
import type { Algorithm } from './algorithms.js'
import { latin1Equal } from './bytes.js'

/** Which backend is in use (for tests and the benchmark's caption). */
export const BACKEND: 'web-crypto' | 'node-crypto' = 'node-crypto'

const keyObjects = new WeakMap<CryptoKey, KeyObject>()

function keyObjectOf(key: CryptoKey): KeyObject {
  let object = keyObjects.get(key)
  if (object === undefined) {
    object = KeyObject.from(key)
    keyObjects.set(key, object)
  }
  return object
}

function bytesOf(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}

/** The `crypto.sign`/`verify` arguments of an asymmetric algorithm. */
function asymmetric(alg: Exclude<Algorithm, 'hmac-sha256'>, key: KeyObject) {
  switch (alg) {
    case 'ed25519':
      return { hash: null, key }
    case 'ecdsa-p256-sha256':
      return { hash: 'sha256', key: { key, dsaEncoding: 'ieee-p1363' as const } }
    case 'ecdsa-p384-sha384':
      return { hash: 'sha384', key: { key, dsaEncoding: 'ieee-p1363' as const } }
    case 'rsa-pss-sha512':
      return {
        hash: 'sha512',
        key: { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 },
      }
    case 'rsa-v1_5-sha256':
      return { hash: 'sha256', key }
  }
}

function mac(key: CryptoKey, data: Uint8Array | string): Buffer {
  return createHmac('sha256', keyObjectOf(key)).update(data).digest()
}

/** `alg`'s signature (or MAC) of `data` (bytes, or text as UTF-8) by `key`. */
export async function signWith(
  alg: Algorithm,
  key: CryptoKey,
  data: Uint8Array | string,
): Promise<Uint8Array> {
  if (alg === 'hmac-sha256') return bytesOf(mac(key, data))
  const { hash, key: k } = asymmetric(alg, keyObjectOf(key))
  return bytesOf(nodeSign(hash, typeof data === 'string' ? Buffer.from(data) : data, k))
}

/** Whether `signature` is `alg`'s signature of `data` by `key` (MACs compared in constant time). */
export async function verifyWith(
  alg: Algorithm,
  key: CryptoKey,
  data: Uint8Array | string,
  signature: Uint8Array,
): Promise<boolean> {
  return verifyNow(alg, key, data, signature)
}

/** {@link verifyWith}, synchronously: node:crypto needs no promise. */
export function verifyNow(
  alg: Algorithm,
  key: CryptoKey,
  data: Uint8Array | string,
  signature: Uint8Array,
): boolean {
  try {
    if (alg === 'hmac-sha256') {
      // As a Latin-1 (`'binary'`) string: a third of the MAC's cost is allocating the Buffer otherwise.
      const expected = createHmac('sha256', keyObjectOf(key)).update(data).digest('binary')
      return latin1Equal(expected, signature)
    }
    const { hash, key: k } = asymmetric(alg, keyObjectOf(key))
    return nodeVerify(hash, typeof data === 'string' ? Buffer.from(data) : data, k, signature)
  } catch {
    return false
  }
}

/** A SHA-2 digest of `data`. */
export async function digestOf(name: 'SHA-256' | 'SHA-512', data: Uint8Array): Promise<Uint8Array> {
  return digestNow(name, data)
}

/** {@link digestOf}, synchronously (the one-shot `crypto.hash`, Node 20.12+, skips a Hash object). */
function digestNow(name: 'SHA-256' | 'SHA-512', data: Uint8Array): Uint8Array {
  return bytesOf(hash(name === 'SHA-256' ? 'sha256' : 'sha512', data, 'buffer'))
}

/**
 * Whether `expected` is the digest of `data`. The digest comes back as a Latin-1 string, which
 * Node makes in a fraction of a `Buffer`'s time; digests are public, but the comparison is
 * constant-time anyway.
 */
export function digestMatchesNow(
  name: 'SHA-256' | 'SHA-512',
  data: Uint8Array,
  expected: Uint8Array,
): boolean {
  return latin1Equal(hash(name === 'SHA-256' ? 'sha256' : 'sha512', data, 'binary'), expected)
}

/** Constant-time equality of two byte strings (`false` on a length mismatch), natively. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && timingSafeEqual(a, b)
}
