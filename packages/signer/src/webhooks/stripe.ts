/**
 * Stripe webhook signatures (https://docs.stripe.com/webhooks#verify-manually):
 * `Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…][,v0=…]`, where each `v1` is the hex
 * HMAC-SHA256 of `${t}.${body}` keyed with the endpoint secret's UTF-8 bytes: the whole
 * `whsec_…` string, which Stripe does *not* base64-decode (unlike Standard Webhooks). Several
 * `v1` entries appear while Stripe rolls a secret; one match is enough. `v0` and unknown schemes
 * are ignored.
 * @module
 */

import { type Bytes, timingSafeEqual } from '../bytes.js'
import { signedContent } from './content.js'
import { fromHex, toHex } from './hex.js'
import { hmacKeyFromText, hmacSha256 } from './hmac.js'
import { list } from './list.js'
import {
  MAX_SIGNATURE_HEADER_LENGTH,
  reject,
  type WebhookHeaders,
  type WebhookResult,
} from './result.js'
import {
  checkTolerance,
  clockOf,
  isUnixSeconds,
  parseUnixSeconds,
  type ToleranceOptions,
} from './timestamp.js'

/** Hex length of an HMAC-SHA256 MAC. */
const MAC_HEX_LENGTH = 64

/** What `verifyStripeWebhook` checks: the request's headers and its raw body bytes. */
export interface VerifyStripeWebhookInput {
  readonly headers: WebhookHeaders
  /** The body exactly as received (any byte view; only the bytes it covers are read). */
  readonly body: Bytes
}

/** The endpoint secret(s) and clock for `verifyStripeWebhook`. */
export interface VerifyStripeWebhookOptions extends ToleranceOptions {
  /** The endpoint signing secret (`whsec_…`), or several while you switch endpoints or secrets. */
  readonly secret: string | readonly string[]
}

/** What `signStripeWebhook` signs. */
export interface SignStripeWebhookInput {
  /** Unix seconds (an integer). */
  readonly timestamp: number
  /** The exact body that will be sent; a string is sent as UTF-8. */
  readonly body: Bytes | string
  /** The endpoint secret, or several (one `v1` entry each, as Stripe sends during a roll). */
  readonly secret: string | readonly string[]
}

interface StripeHeader {
  readonly timestampText: string
  readonly timestamp: number
  readonly signatures: readonly Uint8Array[]
}

/**
 * Parses `t=…,v1=…` strictly enough to be unambiguous: exactly one `t`, canonical digits; `v1`
 * entries that are not 64 hex digits are skipped; at least one must remain.
 */
function parseHeader(header: string): StripeHeader | undefined {
  let timestampText: string | undefined
  const signatures: Uint8Array[] = []
  for (const item of header.split(',')) {
    const eq = item.indexOf('=')
    if (eq < 0) continue
    const key = item.slice(0, eq)
    const value = item.slice(eq + 1)
    if (key === 't') {
      // Two timestamps: which one was signed is anyone's guess.
      if (timestampText !== undefined) return undefined
      timestampText = value
    } else if (key === 'v1' && value.length === MAC_HEX_LENGTH) {
      const mac = fromHex(value)
      if (mac !== undefined) signatures.push(mac)
    }
  }
  if (timestampText === undefined || signatures.length === 0) return undefined
  const timestamp = parseUnixSeconds(timestampText)
  if (timestamp === undefined) return undefined
  return { timestampText, timestamp, signatures }
}

/**
 * Verifies a Stripe delivery's `Stripe-Signature` header against the raw body. Resolves
 * `{ ok: true, timestamp, scheme: 'stripe-v1' }`, or `{ ok: false, code }`: `missing-signature`
 * without the header; `malformed` when it lacks a single canonical `t` or any well-formed `v1`
 * (or exceeds 8 KiB); `too-old` / `created-in-future` outside `tolerance` (default 5 minutes,
 * both ways; Stripe's own library checks only the past); `invalid-signature` when no `v1`
 * matches any secret. Never throws on request input; throws a `TypeError` for no secret or an
 * empty one.
 *
 * Stripe signs no delivery id: de-duplicate on the event's `id` in the body once parsed.
 */
export async function verifyStripeWebhook(
  input: VerifyStripeWebhookInput,
  options: VerifyStripeWebhookOptions,
): Promise<WebhookResult> {
  const secrets = list(options.secret)
  if (secrets.length === 0) throw new TypeError('verifyStripeWebhook needs a secret')
  const clock = clockOf(options)
  const keys = await Promise.all(secrets.map(hmacKeyFromText))

  const header = input.headers.get('stripe-signature')
  if (!header) return reject('missing-signature')
  if (header.length > MAX_SIGNATURE_HEADER_LENGTH) return reject('malformed')
  const parsed = parseHeader(header)
  if (parsed === undefined) return reject('malformed')
  const late = checkTolerance(parsed.timestamp, clock)
  if (late !== undefined) return reject(late)

  const content = signedContent(`${parsed.timestampText}.`, input.body)
  for (const key of keys) {
    const expected = await hmacSha256(key, content)
    for (const candidate of parsed.signatures) {
      if (timingSafeEqual(expected, candidate)) {
        return { ok: true, scheme: 'stripe-v1', timestamp: parsed.timestamp }
      }
    }
  }
  return reject('invalid-signature')
}

/**
 * Produces a `Stripe-Signature` header for a body, as Stripe would send it (the counterpart of
 * stripe-node's `generateTestHeaderString`): for tests, fixtures, and senders reusing Stripe's
 * scheme. Throws a `TypeError` for a timestamp that is not a non-negative integer, or no secret.
 */
export async function signStripeWebhook(
  input: SignStripeWebhookInput,
): Promise<{ readonly 'stripe-signature': string }> {
  if (!isUnixSeconds(input.timestamp)) {
    throw new TypeError('the Stripe timestamp must be a non-negative integer of seconds')
  }
  const secrets = list(input.secret)
  if (secrets.length === 0) throw new TypeError('signStripeWebhook needs a secret')
  const t = String(input.timestamp)
  const content = signedContent(`${t}.`, input.body)
  const macs = await Promise.all(
    secrets.map(
      async (secret) => `v1=${toHex(await hmacSha256(await hmacKeyFromText(secret), content))}`,
    ),
  )
  return { 'stripe-signature': `t=${t},${macs.join(',')}` }
}
