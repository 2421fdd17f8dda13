import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  compileDetectors,
  DETECTOR_IDS,
  type DetectorId,
  type Finding,
  redactFindings,
} from './index.js'

const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'
const PEM_LINE = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj'

/** One realistic secret per detector: the text planted, and the part that must not survive. */
const PLANTED: readonly { id: DetectorId; text: string; secret: string }[] = [
  { id: 'bearer', text: 'Authorization: Bearer mF_9.B5f-4.1JqM', secret: 'mF_9.B5f-4.1JqM' },
  {
    id: 'basic',
    text: 'Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==',
    secret: 'QWxhZGRpbjpvcGVuIHNlc2FtZQ==',
  },
  { id: 'jwt', text: JWT, secret: JWT },
  {
    id: 'pem-private-key',
    text: `-----BEGIN PRIVATE KEY-----\n${PEM_LINE}\n-----END PRIVATE KEY-----`,
    secret: PEM_LINE,
  },
  { id: 'aws-access-key', text: 'AKIAIOSFODNN7EXAMPLE', secret: 'AKIAIOSFODNN7EXAMPLE' },
  { id: 'github-token', text: `ghp_${'aB3'.repeat(12)}`, secret: `ghp_${'aB3'.repeat(12)}` },
  {
    id: 'stripe-key',
    text: 'sk_live_51H8xZ2eZvKYlo2C0aBcDeFgHiJ',
    secret: 'sk_live_51H8xZ2eZvKYlo2C0aBcDeFgHiJ',
  },
  {
    id: 'stripe-webhook-secret',
    text: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  },
  { id: 'credit-card', text: '4111 1111 1111 1111', secret: '4111 1111 1111 1111' },
  { id: 'credit-card', text: '378282246310005', secret: '378282246310005' },
  { id: 'us-ssn', text: '536-22-8177', secret: '536-22-8177' },
  { id: 'iban', text: 'DE89 3704 0044 0532 0130 00', secret: 'DE89 3704 0044 0532 0130 00' },
  { id: 'iban', text: 'GB82WEST12345698765432', secret: 'GB82WEST12345698765432' },
  { id: 'email', text: 'jane.doe+ops@example.co.uk', secret: 'jane.doe+ops@example.co.uk' },
  {
    id: 'url-credentials',
    text: 'postgres://app:s3cr3t-P4ss@db.internal:5432/app',
    secret: 's3cr3t-P4ss',
  },
  {
    id: 'url-secret-param',
    text: 'https://api.example.com/cb?state=1&code=SplxlOBeZQQYbYS6WxSbIA',
    secret: 'SplxlOBeZQQYbYS6WxSbIA',
  },
]

/**
 * Noise around the secrets: single characters, fragments of every trigger (half-secrets that
 * must not confuse the scan), and arbitrary code units (lone surrogates included).
 */
const noise = fc.string({
  unit: fc.oneof(
    fc.constantFrom(...'aZ09 -_.:/?&#=@+%\n\t"\'\\;,'),
    fc.constantFrom(
      'eyJ',
      'Bearer ',
      'basic ',
      'Authorization: ',
      '://',
      '?token=',
      '&code=',
      '-----BEGIN PRIVATE KEY-----',
      '-----END PRIVATE KEY-----',
      'ghp_',
      'sk_live_',
      'whsec_',
      'AKIA',
      '4111',
      'DE89',
      '536-22-',
      '@example.com',
      'eyJhbGciOiJIUzI1NiJ9.',
    ),
    fc.string({ unit: 'binary', maxLength: 3 }),
  ),
  maxLength: 40,
})

const all = compileDetectors(DETECTOR_IDS)

/** The invariants of any result: sorted, disjoint, non-empty spans inside the scanned prefix. */
function wellFormed(findings: readonly Finding[], text: string, maxScan: number): void {
  let covered = 0
  for (const f of findings) {
    expect(DETECTOR_IDS).toContain(f.detector)
    expect(Number.isInteger(f.start) && Number.isInteger(f.end)).toBe(true)
    expect(f.start).toBeGreaterThanOrEqual(covered)
    expect(f.end).toBeGreaterThan(f.start)
    expect(f.end).toBeLessThanOrEqual(Math.min(text.length, maxScan))
    covered = f.end
  }
}

describe('detector properties', () => {
  /** Where the planted secret lies in `text`, as `[start, end]`. */
  const locate = (planted: (typeof PLANTED)[number], before: string): [number, number] => {
    const start = before.length + 3 + planted.text.indexOf(planted.secret)
    return [start, start + planted.secret.length]
  }

  it('finds a planted secret anywhere in noise, and redaction removes it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PLANTED), noise, noise, (planted, before, after) => {
        const text = `${before} ; ${planted.text} ; ${after}`
        const [start, end] = locate(planted, before)
        const findings = all(text)
        wellFormed(findings, text, Number.POSITIVE_INFINITY)
        // Covered by one finding: its own detector's, or a larger one around it (noise can
        // frame it, as a `-----BEGIN PRIVATE KEY-----` before and an END after do).
        const covering = findings.find((f) => f.start <= start && f.end >= end)
        expect(covering, `${planted.id} in ${JSON.stringify(text)}`).toBeDefined()
        const redacted = redactFindings(text, findings, () => '\u2588')
        expect(redacted.includes(planted.secret)).toBe(false)
      }),
      { numRuns: 2_000 },
    )
  })

  it('finds a planted secret with only its own detector on, under its own name', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PLANTED), noise, noise, (planted, before, after) => {
        const text = `${before} ; ${planted.text} ; ${after}`
        const [start, end] = locate(planted, before)
        const findings = compileDetectors([planted.id])(text)
        const covering = findings.find((f) => f.start <= start && f.end >= end)
        expect(covering?.detector, JSON.stringify(text)).toBe(planted.id)
        const redacted = redactFindings(text, findings, (_, id) => `[${id}]`)
        expect(redacted.includes(planted.secret)).toBe(false)
      }),
      { numRuns: 1_000 },
    )
  })

  it('never throws on any string and returns sorted, disjoint spans within bounds', () => {
    const text = fc.oneof(noise, fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }))
    fc.assert(
      fc.property(text, (s) => {
        const findings = all(s)
        wellFormed(findings, s, Number.POSITIVE_INFINITY)
        // Censoring each secret with itself gives the text back: spans are exact slices.
        expect(redactFindings(s, findings, (secret) => secret)).toBe(s)
      }),
      { numRuns: 2_000 },
    )
  })

  it('holds for any subset of detectors and any limit, and reads nothing past the limit', () => {
    const ids = fc.subarray([...DETECTOR_IDS])
    fc.assert(
      fc.property(ids, fc.integer({ min: 1, max: 120 }), noise, noise, (subset, maxScan, a, b) => {
        const detect = compileDetectors(subset, { maxScan })
        const text = a + b
        const findings = detect(text)
        wellFormed(findings, text, maxScan)
        // What lies past the limit cannot change what is found before it.
        const prefix = text.slice(0, maxScan)
        expect(findings).toEqual(detect(prefix))
        if (text.length >= maxScan) expect(findings).toEqual(detect(`${prefix}${b}${a}`))
      }),
      { numRuns: 1_000 },
    )
  })
})
