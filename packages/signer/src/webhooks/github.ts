/**
 * GitHub webhook signatures (docs.github.com, "Validating webhook deliveries"):
 * `X-Hub-Signature-256: sha256=<hex>`, the HMAC-SHA256 of the raw body keyed with the webhook
 * secret's UTF-8 bytes. The legacy SHA-1 `X-Hub-Signature` is deliberately not supported.
 *
 * GitHub signs no timestamp and no id, so a captured delivery verifies forever: replay
 * protection is up to the receiver. The result carries `X-GitHub-Delivery` as `id`, which
 * catches GitHub's own redeliveries; but that header is *not* signed, so an attacker replaying
 * a delivery can change it. To refuse replays, also remember the signature itself (the header's
 * hex MAC, which is fixed for a given body and secret) or a digest of the body.
 * @module
 */

import { type Bytes, timingSafeEqual } from '../bytes.js'
import { signedContent } from './content.js'
import { fromHex, toHex } from './hex.js'
import { hmacKeyFromText, hmacSha256 } from './hmac.js'
import { list } from './list.js'
import { reject, type WebhookHeaders, type WebhookResult } from './result.js'

const PREFIX = 'sha256='

/** `sha256=` and 64 hex digits. */
const HEADER_LENGTH = PREFIX.length + 64

/** Longest `X-GitHub-Delivery` passed back (it is a GUID, 36 characters). */
const MAX_DELIVERY_LENGTH = 256

/** What `verifyGitHubWebhook` checks: the request's headers and its raw body bytes. */
export interface VerifyGitHubWebhookInput {
  readonly headers: WebhookHeaders
  /** The body exactly as received (any byte view; only the bytes it covers are read). */
  readonly body: Bytes
}

/** The webhook secret(s) for `verifyGitHubWebhook`. */
export interface VerifyGitHubWebhookOptions {
  /** The webhook secret, or several while you rotate it (any may match). */
  readonly secret: string | readonly string[]
}

/** What `signGitHubWebhook` signs. */
export interface SignGitHubWebhookInput {
  /** The exact body that will be sent; a string is sent as UTF-8. */
  readonly body: Bytes | string
  /** The webhook secret. */
  readonly secret: string
}

/** The delivery id when it is a plausible token (printable ASCII, bounded); else `undefined`. */
function deliveryId(value: string | null): string | undefined {
  if (!value || value.length > MAX_DELIVERY_LENGTH) return undefined
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c < 0x21 || c > 0x7e) return undefined
  }
  return value
}

/**
 * Verifies a GitHub delivery's `X-Hub-Signature-256` against the raw body. Resolves
 * `{ ok: true, scheme: 'github-sha256', id }` (`id` is `X-GitHub-Delivery` when present and
 * sane: unsigned, see the module notes on replays), or `{ ok: false, code }`:
 * `missing-signature` without the header (a SHA-1 `X-Hub-Signature` alone does not count);
 * `malformed` unless it is exactly `sha256=` and 64 hex digits; `invalid-signature` when no
 * secret matches. There is no timestamp, so never `too-old`. Never throws on request input;
 * throws a `TypeError` for no secret or an empty one.
 */
export async function verifyGitHubWebhook(
  input: VerifyGitHubWebhookInput,
  options: VerifyGitHubWebhookOptions,
): Promise<WebhookResult> {
  const secrets = list(options.secret)
  if (secrets.length === 0) throw new TypeError('verifyGitHubWebhook needs a secret')
  const keys = await Promise.all(secrets.map(hmacKeyFromText))

  const header = input.headers.get('x-hub-signature-256')
  if (!header) return reject('missing-signature')
  if (header.length !== HEADER_LENGTH || !header.startsWith(PREFIX)) return reject('malformed')
  const candidate = fromHex(header.slice(PREFIX.length))
  if (candidate === undefined) return reject('malformed')

  const content = signedContent('', input.body)
  for (const key of keys) {
    if (timingSafeEqual(await hmacSha256(key, content), candidate)) {
      const id = deliveryId(input.headers.get('x-github-delivery'))
      return id === undefined
        ? { ok: true, scheme: 'github-sha256' }
        : { ok: true, scheme: 'github-sha256', id }
    }
  }
  return reject('invalid-signature')
}

/**
 * Produces the `X-Hub-Signature-256` header GitHub would send for `body`: for tests and
 * fixtures. Throws a `TypeError` for an empty secret.
 */
export async function signGitHubWebhook(
  input: SignGitHubWebhookInput,
): Promise<{ readonly 'x-hub-signature-256': string }> {
  const mac = await hmacSha256(await hmacKeyFromText(input.secret), signedContent('', input.body))
  return { 'x-hub-signature-256': `${PREFIX}${toHex(mac)}` }
}
