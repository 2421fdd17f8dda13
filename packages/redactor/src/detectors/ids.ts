/**
 * The detector names, and the finding a detector reports: the span of the secret itself.
 * @module
 */

/** A detector of one kind of secret or personal data in free text. */
export type DetectorId =
  | 'bearer'
  | 'basic'
  | 'jwt'
  | 'pem-private-key'
  | 'aws-access-key'
  | 'github-token'
  | 'stripe-key'
  | 'stripe-webhook-secret'
  | 'credit-card'
  | 'us-ssn'
  | 'iban'
  | 'email'
  | 'url-credentials'
  | 'url-secret-param'

/** Every detector, in a stable order (the order of the bits in a compiled detector set). */
export const DETECTOR_IDS: readonly DetectorId[] = Object.freeze([
  'bearer',
  'basic',
  'jwt',
  'pem-private-key',
  'aws-access-key',
  'github-token',
  'stripe-key',
  'stripe-webhook-secret',
  'credit-card',
  'us-ssn',
  'iban',
  'email',
  'url-credentials',
  'url-secret-param',
] as const)

const KNOWN: ReadonlySet<string> = new Set(DETECTOR_IDS)

/** Whether `value` names a detector (for option validation). */
export function isDetectorId(value: unknown): value is DetectorId {
  return typeof value === 'string' && KNOWN.has(value)
}

/**
 * One secret found in a string: `text.slice(start, end)` is what to censor, and only that (the
 * token after `Bearer `, the password in a URL, a query parameter's value, a whole PEM block).
 */
export interface Finding {
  readonly detector: DetectorId
  /** Index of the secret's first character (UTF-16 code units, like `String#slice`). */
  readonly start: number
  /** Index just past the secret's last character. */
  readonly end: number
}

/** A finding (one literal shape, so every finding shares one hidden class). */
export function finding(detector: DetectorId, start: number, end: number): Finding {
  return { detector, start, end }
}

/** The bit of `id` in a detector set: its index in {@link DETECTOR_IDS}. */
export function detectorBit(id: DetectorId): number {
  return 1 << DETECTOR_IDS.indexOf(id)
}
