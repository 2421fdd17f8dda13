/**
 * Standard Webhooks (https://www.standardwebhooks.com): `webhook-id`, `webhook-timestamp` and
 * `webhook-signature` headers; the signed content is `${id}.${timestamp}.${body}` over the raw
 * body bytes; `v1` signatures are base64 HMAC-SHA256, `v1a` signatures base64 Ed25519. The
 * signature header is a space-separated list (several keys during a rotation): unknown versions
 * and malformed entries are skipped, and one match among the rest is enough.
 * @module
 */

import { signWith, verifyWith } from '#crypto-backend'
import { type Bytes, fromBase64, timingSafeEqual, toBase64 } from '../bytes.js'
import { signedContent } from './content.js'
import { hmacSha256 } from './hmac.js'
import { list } from './list.js'
import {
  MAX_SIGNATURE_HEADER_LENGTH,
  reject,
  type WebhookHeaders,
  type WebhookResult,
} from './result.js'
import {
  isKeyBytes,
  PRIVATE_KEY_PREFIX,
  type StandardWebhookPublicKey,
  type StandardWebhookSecret,
  standardHmacKey,
  standardPublicKey,
  standardSigningKey,
} from './standard-keys.js'
import {
  checkTolerance,
  clockOf,
  isUnixSeconds,
  parseUnixSeconds,
  type ToleranceOptions,
} from './timestamp.js'

/** Longest `webhook-id` accepted (Svix ids are about 30 characters). */
const MAX_ID_LENGTH = 256

/**
 * Most `v1`/`v1a` entries a header may list. Senders list one per active key (two during a
 * rotation, perhaps both schemes); the cap bounds the Ed25519 verifications one request can
 * demand. Beyond it the header is `malformed`.
 */
const MAX_SIGNATURES = 16

/** Decoded size of each signature version: HMAC-SHA256 MACs and Ed25519 signatures. */
const SIGNATURE_SIZE = { v1: 32, v1a: 64 } as const

/**
 * A key to sign with: a `v1` secret (`whsec_…`, raw bytes, or an HMAC SHA-256 `CryptoKey`) or a
 * `v1a` private key (`whsk_…`, or a private Ed25519 `CryptoKey`).
 */
export type StandardWebhookSigningKey = string | Uint8Array | CryptoKey

/**
 * The three headers a Standard Webhooks delivery carries. A type alias (not an interface) so it
 * is assignable to `HeadersInit` / `Record<string, string>`, e.g. `fetch(url, { headers })`.
 */
export type StandardWebhookHeaderValues = {
  readonly 'webhook-id': string
  readonly 'webhook-timestamp': string
  readonly 'webhook-signature': string
}

/** What `signStandardWebhook` signs. */
export interface SignStandardWebhookInput {
  /** The message id (stable across retries): printable ASCII, no `.`, at most 256 characters. */
  readonly id: string
  /** Unix seconds of this attempt (an integer). */
  readonly timestamp: number
  /** The exact body that will be sent; a string is sent as UTF-8. */
  readonly body: Bytes | string
  /**
   * The key, or several: during a rotation sign with the old and the new key and send both
   * signatures (space-separated, in the order given).
   */
  readonly secret: StandardWebhookSigningKey | readonly StandardWebhookSigningKey[]
}

/** What `verifyStandardWebhook` checks: the request's headers and its raw body bytes. */
export interface VerifyStandardWebhookInput {
  readonly headers: WebhookHeaders
  /** The body exactly as received (any byte view; only the bytes it covers are read). */
  readonly body: Bytes
}

/** The keys (at least one of `secret` and `publicKey`) and clock for `verifyStandardWebhook`. */
export interface VerifyStandardWebhookOptions extends ToleranceOptions {
  /** `v1` secrets; several during a rotation (any may match). */
  readonly secret?: StandardWebhookSecret | readonly StandardWebhookSecret[]
  /** `v1a` public keys; several during a rotation (any may match). */
  readonly publicKey?: StandardWebhookPublicKey | readonly StandardWebhookPublicKey[]
}

/**
 * Whether `id` can be signed unambiguously: printable ASCII without `.` (the spec forbids it, as
 * a dot in the id would let `id.timestamp.body` be split differently), so the bytes hashed are
 * the same whatever encoding a server assumes for header values.
 */
function isMessageId(id: string): boolean {
  if (id.length === 0 || id.length > MAX_ID_LENGTH) return false
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i)
    if (c < 0x21 || c > 0x7e || c === 0x2e) return false
  }
  return true
}

function isEd25519(key: StandardWebhookSigningKey): key is string | CryptoKey {
  if (typeof key === 'string') return key.startsWith(PRIVATE_KEY_PREFIX)
  return !isKeyBytes(key) && key.algorithm.name === 'Ed25519'
}

/** One signature for `content`, as a `version,base64` entry. */
async function signOne(
  key: StandardWebhookSigningKey,
  content: Uint8Array<ArrayBuffer>,
): Promise<string> {
  if (isEd25519(key)) {
    const signature = await signWith('ed25519', await standardSigningKey(key), content)
    return `v1a,${toBase64(signature)}`
  }
  return `v1,${toBase64(await hmacSha256(await standardHmacKey(key), content))}`
}

/**
 * Signs a delivery and returns its three headers. `v1` for symmetric secrets, `v1a` for Ed25519
 * keys; several keys give a space-separated list. Throws a `TypeError` for an id containing `.`
 * or non-printable characters, a timestamp that is not a non-negative integer of at most 12
 * digits, no key, or an unusable key.
 * @example
 * const headers = await signStandardWebhook({ id: 'msg_1', timestamp: 1614265330, body, secret: 'whsec_…' })
 */
export async function signStandardWebhook(
  input: SignStandardWebhookInput,
): Promise<StandardWebhookHeaderValues> {
  if (!isMessageId(input.id)) {
    throw new TypeError('webhook-id must be 1-256 printable ASCII characters without "."')
  }
  if (!isUnixSeconds(input.timestamp)) {
    throw new TypeError('webhook-timestamp must be a non-negative integer of seconds')
  }
  const keys = list(input.secret)
  if (keys.length === 0) throw new TypeError('signStandardWebhook needs at least one key')
  const timestamp = String(input.timestamp)
  const content = signedContent(`${input.id}.${timestamp}.`, input.body)
  const signatures = await Promise.all(keys.map((key) => signOne(key, content)))
  return {
    'webhook-id': input.id,
    'webhook-timestamp': timestamp,
    'webhook-signature': signatures.join(' '),
  }
}

interface Candidates {
  readonly v1: Uint8Array[]
  readonly v1a: Uint8Array<ArrayBuffer>[]
}

/**
 * The well-formed `v1` and `v1a` entries of a signature header: `version,base64` with strict
 * base64 of the right length. Other versions and malformed entries are skipped, not fatal:
 * the list is there so senders can add schemes and keys without breaking receivers.
 */
function parseSignatures(header: string): Candidates {
  const found: Candidates = { v1: [], v1a: [] }
  for (const entry of header.split(' ')) {
    const comma = entry.indexOf(',')
    if (comma < 0) continue
    const version = entry.slice(0, comma)
    if (version !== 'v1' && version !== 'v1a') continue
    const bytes = fromBase64Sized(entry.slice(comma + 1), SIGNATURE_SIZE[version])
    if (bytes === undefined) continue
    if (version === 'v1') found.v1.push(bytes)
    else found.v1a.push(bytes)
  }
  return found
}

/**
 * Strict base64 of exactly `size` bytes, decoded (into fresh memory, as Web Crypto wants); the
 * length is checked first so an oversized entry is not decoded at all.
 */
function fromBase64Sized(text: string, size: number): Uint8Array<ArrayBuffer> | undefined {
  if (text.length !== Math.ceil(size / 3) * 4) return undefined
  const bytes = fromBase64(text)
  return bytes?.length === size ? Uint8Array.from(bytes) : undefined
}

/**
 * Verifies a Standard Webhooks delivery. Configure `secret` for `v1` (HMAC) signatures,
 * `publicKey` for `v1a` (Ed25519), or both; several of each are allowed during a rotation, and
 * the delivery passes if any signature in the header matches any key. The timestamp must be
 * within `tolerance` (default 5 minutes) of `now()` in either direction.
 *
 * Resolves `{ ok: true, id, timestamp, scheme }`, or `{ ok: false, code }`: `missing-signature`
 * when any of the three headers is absent or empty; `malformed` for an id that is not printable
 * ASCII without `.`, a timestamp that is not plain digits, or a signature header with no
 * well-formed `v1`/`v1a` entry (or more than 16, or longer than 8 KiB); `too-old` / `created-in-future`;
 * `invalid-signature` when nothing matches. Never throws on request input; throws a `TypeError`
 * when no key is configured or a key is unusable.
 *
 * The id is signed: use it as the idempotency key (remember ids for at least the tolerance
 * window) to refuse a replay within the window.
 */
export async function verifyStandardWebhook(
  input: VerifyStandardWebhookInput,
  options: VerifyStandardWebhookOptions,
): Promise<WebhookResult> {
  const secrets = list(options.secret)
  const publicKeys = list(options.publicKey)
  if (secrets.length === 0 && publicKeys.length === 0) {
    throw new TypeError('verifyStandardWebhook needs a secret or a publicKey')
  }
  const clock = clockOf(options)
  // Resolve keys first: configuration errors surface on the first call whatever the request,
  // and later calls only hit the cache.
  const [hmacKeys, ed25519Keys] = await Promise.all([
    Promise.all(secrets.map(standardHmacKey)),
    Promise.all(publicKeys.map(standardPublicKey)),
  ])

  const id = input.headers.get('webhook-id')
  const timestampText = input.headers.get('webhook-timestamp')
  const header = input.headers.get('webhook-signature')
  if (!id || !timestampText || !header) return reject('missing-signature')
  if (!isMessageId(id) || header.length > MAX_SIGNATURE_HEADER_LENGTH) return reject('malformed')
  const timestamp = parseUnixSeconds(timestampText)
  if (timestamp === undefined) return reject('malformed')
  const candidates = parseSignatures(header)
  const count = candidates.v1.length + candidates.v1a.length
  if (count === 0 || count > MAX_SIGNATURES) return reject('malformed')
  const late = checkTolerance(timestamp, clock)
  if (late !== undefined) return reject(late)

  const content = signedContent(`${id}.${timestampText}.`, input.body)
  if (candidates.v1.length > 0) {
    for (const key of hmacKeys) {
      const expected = await hmacSha256(key, content)
      for (const candidate of candidates.v1) {
        if (timingSafeEqual(expected, candidate)) return { ok: true, scheme: 'v1', id, timestamp }
      }
    }
  }
  for (const key of ed25519Keys) {
    for (const candidate of candidates.v1a) {
      // verifyWith answers false, never throws, for whatever bytes the request sent.
      if (await verifyWith('ed25519', key, content, candidate)) {
        return { ok: true, scheme: 'v1a', id, timestamp }
      }
    }
  }
  return reject('invalid-signature')
}
