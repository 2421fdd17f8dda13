/**
 * The outcome every webhook verifier returns: a success naming the scheme that matched, or one
 * failure code. Verifiers never throw on request input (headers, body); they throw only for an
 * unusable configuration (a secret that is not base64, a negative tolerance), which is a bug to
 * surface rather than a request to reject.
 * @module
 */

/**
 * Why a delivery was refused.
 * - `missing-signature`: a header the scheme requires is absent or empty.
 * - `malformed`: a header is present but unparseable (a timestamp that is not plain digits, no
 *   signature entry in the expected format, an oversized header).
 * - `invalid-signature`: well-formed, but no signature matches any configured key.
 * - `too-old` / `created-in-future`: the signed timestamp is outside the tolerance window.
 */
export type WebhookFailure =
  | 'missing-signature'
  | 'malformed'
  | 'invalid-signature'
  | 'too-old'
  | 'created-in-future'

/**
 * The signature scheme that verified a delivery: Standard Webhooks `v1` (HMAC-SHA256) or `v1a`
 * (Ed25519), Stripe's `v1` in `Stripe-Signature`, or GitHub's `X-Hub-Signature-256`.
 */
export type WebhookScheme = 'v1' | 'v1a' | 'stripe-v1' | 'github-sha256'

/** A verified delivery. */
export interface WebhookSuccess {
  readonly ok: true
  /** Which scheme matched. */
  readonly scheme: WebhookScheme
  /**
   * The delivery's identifier, for de-duplication: the signed `webhook-id` for Standard
   * Webhooks; the unsigned `X-GitHub-Delivery` for GitHub (see `verifyGitHubWebhook`); absent for
   * Stripe, whose event id is inside the body.
   */
  readonly id?: string
  /** The signed timestamp in Unix seconds (Standard Webhooks and Stripe; GitHub has none). */
  readonly timestamp?: number
}

/** A refused delivery, with the reason. */
export interface WebhookRejection {
  readonly ok: false
  readonly code: WebhookFailure
}

/** What every `verify…Webhook` function resolves to. */
export type WebhookResult = WebhookSuccess | WebhookRejection

/** The one method verifiers read headers through: a Fetch `Headers` fits, or any adapter. */
export interface WebhookHeaders {
  /** The header's value (names are passed lowercase), or `null` when absent. */
  get(name: string): string | null
}

/** A frozen rejection per code, so a failure allocates nothing. */
const REJECTIONS: Readonly<Record<WebhookFailure, WebhookRejection>> = {
  'missing-signature': Object.freeze({ ok: false, code: 'missing-signature' }),
  malformed: Object.freeze({ ok: false, code: 'malformed' }),
  'invalid-signature': Object.freeze({ ok: false, code: 'invalid-signature' }),
  'too-old': Object.freeze({ ok: false, code: 'too-old' }),
  'created-in-future': Object.freeze({ ok: false, code: 'created-in-future' }),
}

/** The rejection for `code`. */
export function reject(code: WebhookFailure): WebhookRejection {
  return REJECTIONS[code]
}

/**
 * Longest signature header a verifier parses. Real ones are under 300 characters (a few entries
 * during a rotation); the cap bounds the work (notably Ed25519 verifications) a hostile header
 * can ask for. Longer headers are `malformed`.
 */
export const MAX_SIGNATURE_HEADER_LENGTH = 8192
