/**
 * `Content-Digest` (RFC 9530): a structured dictionary of digests of the message content, made
 * and checked over the exact bytes on the wire (never over a re-serialised parsed body).
 * @module
 */
import { bytesEqual, digestMatchesNow, digestOf } from '#crypto-backend'
import { asBytes, type Bytes } from './bytes.js'
import {
  type Dictionary,
  isInnerList,
  parseDictionary,
  SfParseError,
  serializeDictionary,
} from './sf/index.js'

/** The digest algorithms of the RFC 9530 registry this package computes (the others are insecure). */
export const DIGEST_ALGORITHMS = ['sha-256', 'sha-512'] as const

/** A digest algorithm name. */
export type DigestAlgorithm = (typeof DIGEST_ALGORITHMS)[number]

const HASH: Readonly<Record<DigestAlgorithm, 'SHA-256' | 'SHA-512'>> = {
  'sha-256': 'SHA-256',
  'sha-512': 'SHA-512',
}

/** The `Content-Digest` field value for `body`, e.g. `sha-256=:X48E9q…=:`. */
export async function contentDigest(
  body: Bytes,
  algorithms: readonly DigestAlgorithm[] = ['sha-256'],
): Promise<string> {
  const dict: Dictionary = new Map()
  for (const alg of algorithms) {
    const digest = await digestOf(HASH[alg], asBytes(body))
    dict.set(alg, { value: digest, params: new Map() })
  }
  return serializeDictionary(dict)
}

/** How a `Content-Digest` check came out. */
export type DigestCheck = 'ok' | 'missing' | 'malformed' | 'unsupported' | 'mismatch'

/** The accepted digests a `Content-Digest` field carries, or why there are none to compare. */
function acceptedDigests(
  field: string | null | undefined,
  accepted: readonly DigestAlgorithm[],
): [DigestAlgorithm, Uint8Array][] | DigestCheck {
  if (field === null || field === undefined) return 'missing'
  let dict: Dictionary
  try {
    dict = parseDictionary(field)
  } catch (error) {
    if (error instanceof SfParseError) return 'malformed'
    throw error
  }
  const out: [DigestAlgorithm, Uint8Array][] = []
  for (const alg of accepted) {
    const member = dict.get(alg)
    if (member === undefined) continue
    if (isInnerList(member) || !(member.value instanceof Uint8Array)) return 'malformed'
    out.push([alg, member.value])
  }
  return out.length === 0 ? 'unsupported' : out
}

/**
 * Checks a `Content-Digest` field value against `body`. Every digest it carries with an
 * algorithm in `accepted` must match (a stale second digest is not hidden by a fresh first);
 * digests with other algorithms are ignored, and a field with none of `accepted` is
 * `unsupported` (a weak `md5` alone does not pass).
 */
export async function checkContentDigest(
  field: string | null | undefined,
  body: Bytes,
  accepted: readonly DigestAlgorithm[] = DIGEST_ALGORITHMS,
): Promise<DigestCheck> {
  const digests = acceptedDigests(field, accepted)
  if (typeof digests === 'string') return digests
  for (const [alg, expected] of digests) {
    if (!bytesEqual(await digestOf(HASH[alg], asBytes(body)), expected)) return 'mismatch'
  }
  return 'ok'
}

/**
 * {@link checkContentDigest} synchronously where the crypto backend can hash without a promise
 * (Node); `undefined` where it cannot.
 */
export function checkContentDigestNow(
  field: string | null | undefined,
  body: Bytes,
  accepted: readonly DigestAlgorithm[] = DIGEST_ALGORITHMS,
): DigestCheck | undefined {
  const digests = acceptedDigests(field, accepted)
  if (typeof digests === 'string') return digests
  for (const [alg, expected] of digests) {
    const matches = digestMatchesNow(HASH[alg], asBytes(body), expected)
    if (matches === undefined) return undefined
    if (!matches) return 'mismatch'
  }
  return 'ok'
}
