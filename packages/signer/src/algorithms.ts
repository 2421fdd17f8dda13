/**
 * The RFC 9421 signature algorithms (§3.3) through Web Crypto: what each imports its keys as,
 * signs with and verifies with. ECDSA signatures are the raw `r || s` concatenation RFC 9421
 * asks for, which is also what Web Crypto produces; RSA-PSS uses SHA-512 with a 64-byte salt.
 * @module
 */
import { asBytes } from './bytes.js'

/** The algorithms of the RFC 9421 registry. */
export const ALGORITHMS = [
  'hmac-sha256',
  'ed25519',
  'ecdsa-p256-sha256',
  'ecdsa-p384-sha384',
  'rsa-pss-sha512',
  'rsa-v1_5-sha256',
] as const

/** An RFC 9421 algorithm name. */
export type Algorithm = (typeof ALGORITHMS)[number]

/** Whether `name` is a registered algorithm. */
export function isAlgorithm(name: unknown): name is Algorithm {
  return typeof name === 'string' && (ALGORITHMS as readonly string[]).includes(name)
}

/** How one algorithm meets Web Crypto. */
export interface AlgorithmSpec {
  /** For `importKey`. */
  readonly importParams: RsaHashedImportParams | EcKeyImportParams | HmacImportParams | Algorithm_
  /** For `sign` / `verify`. */
  readonly signParams: RsaPssParams | EcdsaParams | Algorithm_
  /** Symmetric: one secret signs and verifies. */
  readonly symmetric: boolean
}

/** Web Crypto's plain `{ name }` algorithm identifier. */
interface Algorithm_ {
  readonly name: string
}

const SPECS: Readonly<Record<Algorithm, AlgorithmSpec>> = {
  'hmac-sha256': {
    importParams: { name: 'HMAC', hash: 'SHA-256' },
    signParams: { name: 'HMAC' },
    symmetric: true,
  },
  ed25519: { importParams: { name: 'Ed25519' }, signParams: { name: 'Ed25519' }, symmetric: false },
  'ecdsa-p256-sha256': {
    importParams: { name: 'ECDSA', namedCurve: 'P-256' },
    signParams: { name: 'ECDSA', hash: 'SHA-256' },
    symmetric: false,
  },
  'ecdsa-p384-sha384': {
    importParams: { name: 'ECDSA', namedCurve: 'P-384' },
    signParams: { name: 'ECDSA', hash: 'SHA-384' },
    symmetric: false,
  },
  'rsa-pss-sha512': {
    importParams: { name: 'RSA-PSS', hash: 'SHA-512' },
    // RFC 9421 §3.3.1: the salt is 64 bytes. Verifiers that expect it reject other lengths.
    signParams: { name: 'RSA-PSS', saltLength: 64 },
    symmetric: false,
  },
  'rsa-v1_5-sha256': {
    importParams: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    signParams: { name: 'RSASSA-PKCS1-v1_5' },
    symmetric: false,
  },
}

/** The Web Crypto parameters of `alg`. */
export function specOf(alg: Algorithm): AlgorithmSpec {
  return SPECS[alg]
}

/** Signs `data` with `key` under `alg`. */
export async function signBytes(
  alg: Algorithm,
  key: CryptoKey,
  data: Uint8Array,
): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign(SPECS[alg].signParams, key, asBytes(data)))
}

/**
 * Whether `signature` is `alg`'s signature of `data` by `key`. Web Crypto compares MACs in
 * constant time. A signature of the wrong shape answers `false`, never throws.
 */
export async function verifyBytes(
  alg: Algorithm,
  key: CryptoKey,
  data: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  try {
    return await crypto.subtle.verify(SPECS[alg].signParams, key, asBytes(signature), asBytes(data))
  } catch {
    return false
  }
}
