/**
 * The RFC 9421 signature algorithms (§3.3): what each imports its keys as (Web Crypto), and
 * signing and verifying through the crypto backend (`crypto-backend.ts`, or its Node fast path).
 * ECDSA signatures are the raw `r || s` concatenation RFC 9421 asks for; RSA-PSS uses SHA-512
 * with a 64-byte salt.
 * @module
 */
import { signWith, verifyNow, verifyWith } from '#crypto-backend'

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
    symmetric: true,
  },
  ed25519: { importParams: { name: 'Ed25519' }, symmetric: false },
  'ecdsa-p256-sha256': {
    importParams: { name: 'ECDSA', namedCurve: 'P-256' },
    symmetric: false,
  },
  'ecdsa-p384-sha384': {
    importParams: { name: 'ECDSA', namedCurve: 'P-384' },
    symmetric: false,
  },
  'rsa-pss-sha512': {
    importParams: { name: 'RSA-PSS', hash: 'SHA-512' },
    symmetric: false,
  },
  'rsa-v1_5-sha256': {
    importParams: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    symmetric: false,
  },
}

/** The Web Crypto parameters of `alg`. */
export function specOf(alg: Algorithm): AlgorithmSpec {
  return SPECS[alg]
}

// Wrapped, not re-exported: declaration files then never name `#crypto-backend`, which only
// this package can resolve.

/** Signs `data` (bytes, or text as UTF-8) with `key` under `alg`. */
export function signBytes(
  alg: Algorithm,
  key: CryptoKey,
  data: Uint8Array | string,
): Promise<Uint8Array> {
  return signWith(alg, key, data)
}

/**
 * Whether `signature` is `alg`'s signature of `data` by `key`. MACs are compared in constant
 * time. A signature of the wrong shape answers `false`, never throws.
 */
export function verifyBytes(
  alg: Algorithm,
  key: CryptoKey,
  data: Uint8Array | string,
  signature: Uint8Array,
): Promise<boolean> {
  return verifyWith(alg, key, data, signature)
}

/** {@link verifyBytes} synchronously where the backend can; `undefined` where it cannot. */
export function verifyBytesNow(
  alg: Algorithm,
  key: CryptoKey,
  data: Uint8Array | string,
  signature: Uint8Array,
): boolean | undefined {
  return verifyNow(alg, key, data, signature)
}
