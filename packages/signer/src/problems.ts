/**
 * The answers the guards give: a 401 that names only the failure code, and the 500 and 503 of a
 * misconfiguration or an unavailable nonce store (no internals in either).
 * @module
 */
import { type Problem, problem, problems } from '@rampart/core'

const TITLES: Readonly<Record<string, string>> = {
  'missing-signature': 'A signature is required.',
  malformed: 'The signature fields are malformed.',
  'insufficient-coverage': 'The signature does not cover what this endpoint requires.',
  'unknown-key': 'The signing key is not accepted.',
  'alg-mismatch': "The signature's algorithm is not the key's.",
  expired: 'The signature has expired.',
  'too-old': 'The signature is too old.',
  'created-in-future': 'The signature was created in the future.',
  'invalid-signature': 'The signature does not verify.',
  'digest-mismatch': 'The content does not match its digest.',
  replayed: 'The signature was already used.',
}

/** 401 naming `code` and nothing else. */
export function signatureRejected(code: string): Problem {
  return problem(401, 'signature-rejected', 'Unauthorized', {
    detail: TITLES[code] ?? 'The signature was refused.',
    extensions: { code },
  })
}

/** 500: the guard cannot see the raw body (mounted after a parser that kept no bytes). */
export const signerMisconfigured: Problem = Object.freeze(problems.internal())

/** 503: the nonce store is down and replay protection fails closed. */
export const signerUnavailable: Problem = Object.freeze(
  problem(503, 'signer-unavailable', 'Service Unavailable', {
    detail: 'Signed requests cannot be accepted right now; try again shortly.',
    headers: { 'Retry-After': '5' },
  }),
)
