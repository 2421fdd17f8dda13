import { describe, expect, it } from 'vitest'
import { compileDetectors, DETECTOR_IDS } from './index.js'

const MIB = 1024 * 1024

/** `unit` repeated to one mebi-character, plus an optional tail. */
const fill = (unit: string, tail = '') =>
  unit.repeat(Math.ceil(MIB / unit.length)).slice(0, MIB) + tail

/**
 * Strings built to make a careless scanner quadratic: runs of every trigger, half-secrets that
 * each open a long look-ahead, and secrets packed back to back. A quadratic scan of one of these
 * takes hours; here each must simply return (no timing is asserted: the suite's timeout is
 * the bound).
 */
const ADVERSARIAL: Record<string, string> = {
  digits: fill('4'),
  'digit groups': fill('4444 '),
  'dashed digits': fill('4-'),
  'ssn-like runs': fill('536-22-8177-'),
  'valid ssns': fill('536-22-8177 '),
  'cards back to back': fill('4111111111111111 '),
  'at signs': fill('@'),
  'local parts': fill('a@'),
  'long local part': `${'a'.repeat(MIB)}@example.com`,
  'long domain': `a@${fill('b.')}`,
  'addresses back to back': fill('a@b.co '),
  'eyJ runs': fill('eyJ'),
  'eyJ segments': fill('eyJ.'),
  'eyJ dashed': fill('eyJ-'),
  'valid JOSE headers': fill('eyJhbGciOiJIUzI1NiJ9.'),
  'header then one long segment': `eyJhbGciOiJIUzI1NiJ9.${fill('A')}`,
  'BEGIN lines': fill('-----BEGIN '),
  'private key headers': fill('-----BEGIN PRIVATE KEY-----'),
  'key with a far END': `-----BEGIN PRIVATE KEY-----${fill('A')}-----END PRIVATE KEY-----`,
  dashes: fill('-'),
  'Bearer runs': fill('Bearer '),
  'Authorization headers': fill('Authorization: Bearer '),
  'bearer then a long token': `Authorization: Bearer ${fill('a')}`,
  'Basic then base64': `Basic ${fill('QUFB')}`,
  'Basic runs': fill('Basic '),
  'scheme runs': fill('https://'),
  'authority runs': fill('a://a:'),
  'long authority': `https://${fill('a:')}@x`,
  'query runs': fill('?token='),
  'question marks': fill('?'),
  ampersands: fill('&'),
  'params back to back': fill('&token=a'),
  'fragment params': fill('#access_token='),
  'long param value': `?code=${fill('x')}`,
  underscores: fill('_'),
  'gh prefixes': fill('ghp_'),
  'stripe prefixes': fill('sk_live_'),
  'github_pat prefixes': fill('github_pat_'),
  'webhook prefixes': fill('whsec_'),
  'webhook secret run': `whsec_${fill('A/')}`,
  'AWS prefixes': fill('AKIA'),
  'IBAN prefixes': fill('DE89'),
  'IBAN groups': fill('DE89 '),
  'IBAN-ish groups': fill('GB82 WEST '),
}

/** A fixed pseudo-random mix of every trigger (a small LCG: the same string on every run). */
function mixed(): string {
  const pieces = ['eyJ', '@', '://', '?token=', '&', '#', '_', 'ghp_', '4111 ', '-', 'Bearer ']
  const more = ['Basic ', 'AKIA', 'DE89 ', '536-22-', 'a', 'B', '.', ' ', '=', ':', '/']
  const all = [...pieces, ...more]
  let seed = 42
  let out = ''
  while (out.length < MIB) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
    out += all[seed % all.length]
  }
  return out
}

describe('linear time on hostile input', () => {
  const whole = compileDetectors(DETECTOR_IDS, { maxScan: 2 * MIB })
  const capped = compileDetectors(DETECTOR_IDS)

  it.each(Object.entries(ADVERSARIAL))('returns on 1 MiB of %s', (_, text) => {
    expect(Array.isArray(whole(text))).toBe(true)
    expect(Array.isArray(capped(text))).toBe(true)
  })

  it('returns on 1 MiB of every trigger mixed', () => {
    const text = mixed()
    const findings = whole(text)
    expect(Array.isArray(findings)).toBe(true)
    let covered = 0
    for (const f of findings) {
      expect(f.start).toBeGreaterThanOrEqual(covered)
      covered = f.end
    }
  })
})
