/**
 * Why a signature was refused: the codes events and problems carry.
 * @module
 */

/** Failure codes of signature verification. */
export const FAILURE_CODES = [
  'missing-signature',
  'malformed',
  'insufficient-coverage',
  'unknown-key',
  'alg-mismatch',
  'expired',
  'too-old',
  'created-in-future',
  'invalid-signature',
  'digest-mismatch',
  'replayed',
] as const

/** A failure code (see the README's table). */
export type FailureCode = (typeof FAILURE_CODES)[number]
