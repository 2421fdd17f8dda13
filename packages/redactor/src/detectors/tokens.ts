/**
 * Vendor credentials with a fixed, self-announcing shape: AWS access key IDs, GitHub tokens and
 * Stripe keys. AWS keys are found by a short regular expression, the others from the underscore
 * in their prefix (`ghp_`, `github_pat_`, `sk_live_`, `whsec_`): underscores are rare in prose,
 * so that search is nearly free. Each matcher reads a bounded number of characters (or a run no
 * other candidate re-reads); the whole credential is reported.
 * @module
 */
import { ALNUM, B64, DIGIT, EQ, is, LOWER, UNDERSCORE, UPPER, WORD } from './chars.js'
import { type Finding, finding } from './ids.js'

/** Whether `count` characters of `cls` start at `from`. */
function fixedRun(text: string, from: number, count: number, cls: number): boolean {
  for (let j = from; j < from + count; j++) if (!is(text.charCodeAt(j), cls)) return false
  return true
}

/** Base32 (`A-Z2-7`), the alphabet of an AWS key ID's last 16 characters. */
function isBase32(c: number): boolean {
  return is(c, UPPER) || (c >= 0x32 && c <= 0x37)
}

/**
 * An AWS access key ID at `i` (an `A`): `AKIA` (long-term), `ASIA` (temporary), `ABIA` or `ACCA`,
 * then 16 base32 characters, with word boundaries on both sides.
 */
export function matchAwsAccessKey(text: string, i: number): Finding | undefined {
  const b = text.charCodeAt(i + 1)
  const c = text.charCodeAt(i + 2)
  const d = text.charCodeAt(i + 3)
  // KIA, SIA, BIA, CCA
  const prefix =
    d === 0x41 &&
    ((c === 0x49 && (b === 0x4b || b === 0x53 || b === 0x42)) || (c === 0x43 && b === 0x43))
  if (!prefix) return undefined
  for (let j = i + 4; j < i + 20; j++) if (!isBase32(text.charCodeAt(j))) return undefined
  if (is(text.charCodeAt(i + 20), WORD)) return undefined
  return finding('aws-access-key', i, i + 20)
}

/**
 * A GitHub token at `i` (a `g`): `ghp_`, `gho_`, `ghu_`, `ghs_` or `ghr_` and 36 letters or digits,
 * or a fine-grained `github_pat_` and 82 word characters, not followed by a word character.
 */
export function matchGithubToken(text: string, i: number): Finding | undefined {
  const kind = text.charCodeAt(i + 2)
  let end: number
  // gh and one of p, o, u, s, r
  if (
    text.charCodeAt(i + 1) === 0x68 &&
    (kind === 0x70 || kind === 0x6f || kind === 0x75 || kind === 0x73 || kind === 0x72) &&
    text.charCodeAt(i + 3) === UNDERSCORE
  ) {
    if (!fixedRun(text, i + 4, 36, ALNUM)) return undefined
    end = i + 40
  } else if (text.startsWith('github_pat_', i)) {
    if (!fixedRun(text, i + 11, 82, WORD)) return undefined
    end = i + 93
  } else {
    return undefined
  }
  return is(text.charCodeAt(end), WORD) ? undefined : finding('github-token', i, end)
}

/**
 * A Stripe secret (`sk_`) or restricted (`rk_`) key at `i`, live or test mode: the prefix and at
 * least 10 letters or digits, ending at a word boundary. The key part must hold a digit or mix
 * cases, as generated keys do, so identifiers like `sk_test_connection` stay.
 */
export function matchStripeKey(text: string, i: number): Finding | undefined {
  if (text.charCodeAt(i + 1) !== 0x6b || text.charCodeAt(i + 2) !== UNDERSCORE) return undefined
  if (!text.startsWith('live_', i + 3) && !text.startsWith('test_', i + 3)) return undefined
  const from = i + 8
  let end = from
  let kinds = 0
  for (;;) {
    const c = text.charCodeAt(end)
    if (is(c, DIGIT)) kinds |= 1
    else if (is(c, UPPER)) kinds |= 2
    else if (is(c, LOWER)) kinds |= 4
    else break
    end++
  }
  if (end - from < 10 || text.charCodeAt(end) === UNDERSCORE) return undefined
  if ((kinds & 1) === 0 && kinds !== 6) return undefined
  return finding('stripe-key', i, end)
}

/** A Stripe webhook signing secret at `i` (a `w`): `whsec_` and at least 20 base64 characters. */
export function matchStripeWebhookSecret(text: string, i: number): Finding | undefined {
  if (!text.startsWith('whsec_', i)) return undefined
  const from = i + 6
  let end = from
  while (is(text.charCodeAt(end), B64) || text.charCodeAt(end) === EQ) end++
  return end - from < 20 ? undefined : finding('stripe-webhook-secret', i, end)
}

/** Which of the underscore-prefixed detectors a scan runs. */
export interface UnderscoreDetectors {
  readonly github: boolean
  readonly stripe: boolean
  readonly webhook: boolean
}

/** Whether `at` is a word start (`\b` before a word character). */
function wordStart(text: string, at: number): boolean {
  return at >= 0 && !is(text.charCodeAt(at - 1), WORD)
}

/**
 * The token whose prefix holds the underscore at `u`, for the detectors enabled: `gh?_` and
 * `github_pat_` (GitHub), `sk_`/`rk_` (Stripe), `whsec_` (Stripe webhooks). Only a prefix's first
 * underscore leads anywhere, so a token is tried once.
 */
export function matchUnderscore(
  text: string,
  u: number,
  enabled: UnderscoreDetectors,
): Finding | undefined {
  const before = text.charCodeAt(u - 1)
  if (enabled.github && text.charCodeAt(u - 3) === 0x67 && wordStart(text, u - 3)) {
    return matchGithubToken(text, u - 3)
  }
  if (
    enabled.github &&
    before === 0x62 &&
    wordStart(text, u - 6) &&
    text.startsWith('github', u - 6)
  ) {
    return matchGithubToken(text, u - 6)
  }
  if (enabled.stripe && before === 0x6b && wordStart(text, u - 2)) {
    const first = text.charCodeAt(u - 2)
    if (first === 0x73 || first === 0x72) return matchStripeKey(text, u - 2)
  }
  if (
    enabled.webhook &&
    before === 0x63 &&
    wordStart(text, u - 5) &&
    text.startsWith('whsec', u - 5)
  ) {
    return matchStripeWebhookSecret(text, u - 5)
  }
  return undefined
}
