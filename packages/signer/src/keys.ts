/**
 * Key material into Web Crypto keys, checked against the algorithm the key is pinned to. Accepts
 * what people hold: a `CryptoKey`, a JWK, a PEM (SPKI public or PKCS #8 private), raw bytes (an
 * HMAC secret, an Ed25519 or uncompressed EC public key) or, for HMAC, a text secret.
 * @module
 */
import { type Algorithm, specOf } from './algorithms.js'
import { asBytes, utf8 } from './bytes.js'
import { readPem } from './pem.js'

/** Anything a key can be given as. */
export type KeyMaterial = CryptoKey | JsonWebKey | string | Uint8Array

/** Why key material could not be imported (a configuration mistake, named for the fix). */
export class KeyImportError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'KeyImportError'
  }
}

function isCryptoKey(value: unknown): value is CryptoKey {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as CryptoKey).type === 'string' &&
    typeof (value as CryptoKey).algorithm === 'object' &&
    Array.isArray((value as CryptoKey).usages)
  )
}

function checkCryptoKey(alg: Algorithm, key: CryptoKey, usage: KeyUsage): CryptoKey {
  const wanted = specOf(alg).importParams as { name: string; namedCurve?: string; hash?: string }
  const has = key.algorithm as { name: string; namedCurve?: string; hash?: { name: string } }
  const sameCurve = wanted.namedCurve === undefined || has.namedCurve === wanted.namedCurve
  const sameHash = wanted.hash === undefined || has.hash?.name === wanted.hash
  if (has.name !== wanted.name || !sameCurve || !sameHash) {
    throw new KeyImportError(`a ${describe(has)} CryptoKey cannot be used for ${alg}`)
  }
  if (!key.usages.includes(usage)) {
    throw new KeyImportError(`the CryptoKey for ${alg} does not allow '${usage}'`)
  }
  return key
}

function describe(a: { name: string; namedCurve?: string; hash?: { name: string } }): string {
  return [a.name, a.namedCurve, a.hash?.name].filter((x) => x !== undefined).join('/')
}

/** Imports `material` for `usage` under `alg`; the key is not extractable. */
export async function importKey(
  alg: Algorithm,
  material: KeyMaterial,
  usage: 'sign' | 'verify',
): Promise<CryptoKey> {
  if (isCryptoKey(material)) return checkCryptoKey(alg, material, usage)
  const spec = specOf(alg)
  const params = spec.importParams
  try {
    if (material instanceof Uint8Array) {
      if (!spec.symmetric && usage === 'sign') {
        throw new KeyImportError(`raw bytes cannot sign with ${alg}: give a PKCS #8 PEM or a JWK`)
      }
      return await crypto.subtle.importKey('raw', asBytes(material), params, false, [usage])
    }
    if (typeof material === 'string') {
      if (spec.symmetric) {
        return await crypto.subtle.importKey('raw', utf8(material), params, false, [usage])
      }
      return await importPem(alg, material, usage)
    }
    if (typeof material === 'object' && material !== null) {
      return await crypto.subtle.importKey('jwk', material, params, false, [usage])
    }
  } catch (error) {
    if (error instanceof KeyImportError) throw error
    throw new KeyImportError(
      `the key for ${alg} could not be imported for '${usage}': ${(error as Error)?.message ?? String(error)}`,
    )
  }
  throw new KeyImportError(`expected a CryptoKey, a JWK, a PEM or bytes for ${alg}`)
}

async function importPem(alg: Algorithm, text: string, usage: 'sign' | 'verify') {
  const block = readPem(text)
  if (block === undefined) throw new KeyImportError(`expected a PEM key for ${alg}`)
  const params = specOf(alg).importParams
  if (block.label === 'PUBLIC KEY' && usage === 'verify') {
    return crypto.subtle.importKey('spki', asBytes(block.der), params, false, [usage])
  }
  if (block.label === 'PRIVATE KEY' && usage === 'sign') {
    return crypto.subtle.importKey('pkcs8', asBytes(block.der), params, false, [usage])
  }
  const wanted = usage === 'sign' ? "'PRIVATE KEY' (PKCS #8)" : "'PUBLIC KEY' (SPKI)"
  const hint =
    block.label.endsWith('PRIVATE KEY') && usage === 'sign'
      ? '; convert it with `openssl pkcs8 -topk8 -nocrypt`'
      : ''
  throw new KeyImportError(`expected a ${wanted} PEM for ${alg}, got '${block.label}'${hint}`)
}
