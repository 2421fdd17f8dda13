/**
 * `@rampart/signer` against http-message-signatures (its RFC 9421 `httpbis` API) on one
 * HMAC-SHA256 request: a small JSON `POST https://api.example.com/v1/orders?x=1` whose signature
 * covers `@method`, `@path`, `@authority` and `content-digest`, with `created` and `keyid`.
 *
 * Both sides verify the very same signed requests. Ours signs them at load; the anchor, signing
 * the same components with the same parameters, must produce the same `Signature` bytes (checked
 * at load: the two libraries build the same signature base), and each side must verify every
 * input and refuse a tampered one (checked at load too: a benchmark of a failing, or of a
 * vacuous, verification means nothing). Each side gets the request in the form its API takes,
 * built once per input:
 * - ours: an `HttpMessage` (the target in parts, fields read from a plain header object) and
 *   `verifyMessage(input, policy)` with a policy object and a `keyring()` holding the HMAC secret
 *   imported into Web Crypto once;
 * - the anchor: `{ method, url, headers }` with `url` an already parsed `URL` (given a string it
 *   would parse it once per derived component) and
 *   `httpbis.verifyMessage({ keyLookup, requiredFields, requiredParams, maxAge }, request)` with
 *   `createVerifier(secret, 'hmac-sha256')` (Node's `createHmac`).
 *
 * Ours checks `Content-Digest` against the body whenever `content-digest` is covered (no policy
 * turns that off), so it does so in every verify row; the anchor never does, and its users add
 * that check themselves (the second row, where the anchor side does it with `node:crypto`).
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { memoryStore } from '@rampart/core'
import {
  contentDigest,
  type HttpMessage,
  keyring,
  type SignatureParam,
  type SigningKey,
  signMessage,
  targetOf,
  type VerifyPolicy,
  verifyMessage,
} from '@rampart/signer'
import {
  type Request as AnchorRequest,
  createSigner,
  createVerifier,
  httpbis,
  type SignConfig,
  type VerifyConfig,
  type VerifyingKey,
} from 'http-message-signatures'
import { formatNumber } from '../markdown.js'
import { anchorName, type CaseResult, defineSuite, microCase, Rejection } from '../micro.js'

// --- the request and the key -------------------------------------------------------------------

const URL_TEXT = 'https://api.example.com/v1/orders?x=1'
const KEY_ID = 'partner-1'
const SECRET = new TextEncoder().encode('a 32-byte shared secret for HMAC')
/** The components the issue names, in the order both sides sign them. */
const COVERED = ['@method', '@path', '@authority', 'content-digest']
/** Signature parameters of the main cases, in the order both sides serialise them. */
const PARAMS: readonly SignatureParam[] = ['created', 'keyid']
/** Distinct requests (bodies, hence digests and signatures) cycled by every case. */
const INPUTS = 16
/**
 * An hour: suites are loaded (and these requests signed) before any runs, so a signature may be
 * minutes old when its case runs. The value costs nothing; neither side's work depends on it.
 */
const MAX_AGE_S = 3_600
const SKEW_S = 5
/** Seconds since the epoch at load: every signature's `created`. */
const CREATED_S = Math.floor(Date.now() / 1000)
const CREATED_DATE = new Date(CREATED_S * 1000)

/** Ours signs with this key (imported into Web Crypto on first use, then cached). */
const OUR_SIGNING_KEY: SigningKey = { id: KEY_ID, alg: 'hmac-sha256', key: SECRET }
/** The anchor's `createSigner`, Node's `createHmac` per signature. */
const ANCHOR_SIGNING_KEY = createSigner(Buffer.from(SECRET), 'hmac-sha256', KEY_ID)
const ANCHOR_VERIFYING_KEY: VerifyingKey = {
  id: KEY_ID,
  algs: ['hmac-sha256'],
  verify: createVerifier(Buffer.from(SECRET), 'hmac-sha256'),
}

/** A request body of about 100 bytes, distinct per input. */
function bodyOf(i: number): string {
  return JSON.stringify({
    order: `ord_${1000 + i}`,
    items: [{ sku: `SKU-${i}`, qty: (i % 3) + 1 }],
    currency: 'EUR',
    total: 1999 + i * 7,
  })
}

/** One request in both libraries' forms, with the same header values. */
interface BenchRequest {
  /** Ours: the request as the signature base reads it. */
  readonly message: HttpMessage
  /** The anchor's `{ method, url, headers }`. */
  readonly request: AnchorRequest & { readonly headers: Record<string, string> }
  readonly body: Uint8Array
  /** The raw body as a guard reads it (`ctx.rawBody()`), for `verifyMessage`. */
  readonly readBody: () => Promise<Uint8Array>
}

const TARGET = targetOf(new URL(URL_TEXT))
const ANCHOR_URL = new URL(URL_TEXT)

function benchRequest(headers: Record<string, string>, body: Uint8Array): BenchRequest {
  return {
    message: {
      method: 'POST',
      target: TARGET,
      fields: (name) => {
        const value = headers[name]
        return value === undefined ? undefined : [value]
      },
    },
    request: { method: 'POST', url: ANCHOR_URL, headers },
    body,
    readBody: async () => body,
  }
}

/** The unsigned request `i`: host, content type and length, and its `Content-Digest`. */
async function unsignedRequest(i: number): Promise<BenchRequest> {
  const body = new TextEncoder().encode(bodyOf(i))
  const headers = {
    host: TARGET.authority,
    'content-type': 'application/json',
    'content-length': String(body.byteLength),
    'content-digest': await contentDigest(body, ['sha-256']),
  }
  return benchRequest(headers, body)
}

/**
 * Request `i` signed by ours (with `nonce`, when given, as a signature parameter), after checking
 * that the anchor, signing the same components and parameters, produces the same signature.
 */
async function signedRequest(i: number, nonce?: string): Promise<BenchRequest> {
  const unsigned = await unsignedRequest(i)
  const ours = await signMessage(unsigned.message, {
    key: OUR_SIGNING_KEY,
    components: COVERED,
    nonce: nonce ?? false,
    now: () => CREATED_S * 1000,
  })
  const anchor = await httpbis.signMessage(
    {
      key: ANCHOR_SIGNING_KEY,
      name: ours.label,
      fields: COVERED,
      params: nonce === undefined ? [...PARAMS] : ['created', 'nonce', 'keyid'],
      paramValues: { created: CREATED_DATE, ...(nonce === undefined ? {} : { nonce }) },
    },
    unsigned.request,
  )
  const theirs = signatureMembers(anchor)
  if (theirs.input !== ours.signatureInput || theirs.signature !== ours.signature) {
    throw new Error(
      `signer: the two libraries sign request ${i} differently (ours ${ours.signatureInput} ${ours.signature}, ` +
        `the anchor ${String(theirs.input)} ${String(theirs.signature)}); they would not verify the same thing`,
    )
  }
  return benchRequest(
    {
      ...unsigned.request.headers,
      'signature-input': ours.signatureInput,
      signature: ours.signature,
    },
    unsigned.body,
  )
}

const indexes = Array.from({ length: INPUTS }, (_, i) => i)
const UNSIGNED = await Promise.all(indexes.map((i) => unsignedRequest(i)))
const SIGNED = await Promise.all(indexes.map((i) => signedRequest(i)))
const SIGNED_WITH_NONCE = await Promise.all(
  indexes.map((i) => signedRequest(i, `n${i.toString(36)}-${CREATED_S.toString(36)}`)),
)

// --- verifying ---------------------------------------------------------------------------------

/** Shared by our verify policies: the key, the required parameters, the freshness window. */
const OUR_POLICY = {
  keys: keyring([{ id: KEY_ID, alg: 'hmac-sha256', key: SECRET }]),
  components: COVERED,
  params: PARAMS,
  maxAge: MAX_AGE_S * 1000,
  skew: SKEW_S * 1000,
  // Any of the three does the same here: a covered `content-digest` is always checked.
  digest: 'with-body',
  digestAlgorithms: ['sha-256'],
  // The guard's default would require `@query` (the request has one); the components,
  // which the anchor is given, do not include it.
  coverQuery: false,
} as const satisfies VerifyPolicy

/**
 * Nonces are claimed in a memory store whose clock moves one nonce lifetime per call: when the
 * inputs come round again, each nonce's previous claim has expired, so every timed claim is a
 * first claim (the path a fresh request takes) and none is refused as a replay.
 */
function noncePolicy(): VerifyPolicy {
  const lifetime = OUR_POLICY.maxAge + OUR_POLICY.skew
  let virtualNow = Date.now()
  const store = memoryStore({ clock: () => (virtualNow += lifetime + 1) })
  return {
    ...OUR_POLICY,
    params: [...PARAMS, 'nonce'],
    nonces: { store, prefix: 'rampart:signer:nonce:' },
  }
}

function ours(policy: VerifyPolicy): (r: BenchRequest) => Promise<unknown> {
  return (r) =>
    verifyMessage(
      { message: r.message, hasBody: true, body: r.readBody, ip: undefined, now: Date.now() },
      policy,
    )
}

const ANCHOR_CONFIG: VerifyConfig = {
  keyLookup: async (params) => (params.keyid === KEY_ID ? ANCHOR_VERIFYING_KEY : null),
  requiredFields: COVERED,
  requiredParams: [...PARAMS],
  maxAge: MAX_AGE_S,
  tolerance: SKEW_S,
}

const anchorVerify = (r: BenchRequest) => httpbis.verifyMessage(ANCHOR_CONFIG, r.request)

const SHA256_MEMBER = /(?:^|,)\s*sha-256=:([A-Za-z0-9+/]+=*):/

/**
 * What an anchor user adds to check `Content-Digest` (the library does not): the `sha-256`
 * member's bytes compared with the body's SHA-256.
 */
function digestMatches(field: string | undefined, body: Uint8Array): boolean {
  const encoded = field === undefined ? undefined : SHA256_MEMBER.exec(field)?.[1]
  if (encoded === undefined) return false
  const expected = Buffer.from(encoded, 'base64')
  const actual = createHash('sha256').update(body).digest()
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}

async function anchorVerifyWithDigest(r: BenchRequest): Promise<boolean> {
  const verified = await anchorVerify(r)
  return verified === true && digestMatches(r.request.headers['content-digest'], r.body)
}

/** Both sides' answers as a boolean: ours `{ ok: true }`, the anchor `true`; anything else is a failure. */
function verified(result: unknown): boolean {
  if (result === true) return true
  return typeof result === 'object' && result !== null && 'ok' in result && result.ok === true
}

/** Throws unless `verify` accepts every input: the comparison would time failing checks. */
async function assertVerifies(
  side: string,
  inputs: readonly BenchRequest[],
  verify: (r: BenchRequest) => Promise<unknown>,
): Promise<void> {
  for (const [i, input] of inputs.entries()) {
    let result: unknown
    try {
      result = await verify(input)
    } catch (error) {
      result = new Rejection(error)
    }
    if (!verified(result)) {
      const why = result instanceof Rejection ? String(result.reason) : JSON.stringify(result)
      throw new Error(`signer: ${side} does not verify request ${i}: ${why}`)
    }
  }
}

/** Throws unless `verify` refuses a request whose signed `Content-Digest` field was swapped. */
async function assertRefusesTampered(
  side: string,
  verify: (r: BenchRequest) => Promise<unknown>,
): Promise<void> {
  const [first, second] = SIGNED
  if (first === undefined || second === undefined) throw new Error('signer: too few inputs')
  const tampered = benchRequest(
    { ...first.request.headers, 'content-digest': second.request.headers['content-digest'] ?? '' },
    first.body,
  )
  let result: unknown
  try {
    result = await verify(tampered)
  } catch (error) {
    result = new Rejection(error)
  }
  if (verified(result)) throw new Error(`signer: ${side} accepts a tampered request`)
}

const NONCE_POLICY = noncePolicy()
await assertVerifies('ours', SIGNED, ours(OUR_POLICY))
await assertVerifies('http-message-signatures', SIGNED, anchorVerify)
await assertVerifies('http-message-signatures + digest check', SIGNED, anchorVerifyWithDigest)
// Twice: the second pass is what the timed loop sees, each nonce claimed again.
await assertVerifies('ours with nonces', SIGNED_WITH_NONCE, ours(NONCE_POLICY))
await assertVerifies('ours with nonces, second pass', SIGNED_WITH_NONCE, ours(NONCE_POLICY))
await assertVerifies('http-message-signatures (nonce inputs)', SIGNED_WITH_NONCE, anchorVerify)
await assertRefusesTampered('ours', ours(OUR_POLICY))
await assertRefusesTampered('http-message-signatures', anchorVerify)

// --- signing -----------------------------------------------------------------------------------

const OUR_SIGN_OPTIONS = {
  key: OUR_SIGNING_KEY,
  components: COVERED,
  nonce: false,
  now: () => CREATED_S * 1000,
} as const

const ANCHOR_SIGN_CONFIG: SignConfig = {
  key: ANCHOR_SIGNING_KEY,
  name: 'sig1',
  fields: COVERED,
  params: [...PARAMS],
  paramValues: { created: CREATED_DATE },
}

/** The serialised `Signature-Input` and `Signature` members of either side's signing result. */
function signatureMembers(result: unknown): { input: unknown; signature: unknown } {
  const r = result as {
    signatureInput?: string
    signature?: string
    headers?: Record<string, unknown>
  }
  return r.headers === undefined
    ? { input: r.signatureInput, signature: r.signature }
    : { input: r.headers['Signature-Input'], signature: r.headers.Signature }
}

// --- the suite ---------------------------------------------------------------------------------

const MAIN = 'verify (method, path, authority, content-digest)'
const WITH_DIGEST = 'verify + Content-Digest checked against the body'
const WITH_NONCE = 'verify + digest + nonce claimed (replay protection)'

/** The target, and what the digest check and the nonce claim cost. */
function summary(cases: readonly CaseResult[]): string | undefined {
  const main = cases.find((c) => c.name === MAIN)
  const digest = cases.find((c) => c.name === WITH_DIGEST)
  const nonce = cases.find((c) => c.name === WITH_NONCE)
  if (main === undefined) return undefined
  const ns = (delta: number) => `${delta >= 0 ? '+' : '−'}${formatNumber(Math.abs(delta), 0)} ns`
  const lines = [
    `**Verifications/s, ours ÷ the anchor's: ${main.ratio.toFixed(2)}× (target: at least 3×, ${main.ratio >= 3 ? 'met' : 'not met'}).**`,
  ]
  if (digest !== undefined) {
    lines.push(
      `The anchor's user-written \`Content-Digest\` check adds ${ns(digest.anchor.avgNs - main.anchor.avgNs)} per request to its verification; ours includes it in both rows.`,
    )
  }
  if (digest !== undefined && nonce !== undefined) {
    lines.push(
      `Claiming the nonce in \`memoryStore()\` costs ours ${ns(nonce.ours.avgNs - digest.ours.avgNs)} per request.`,
    )
  }
  return lines.join(' ')
}

export default defineSuite({
  name: 'signer',
  title: '@rampart/signer vs http-message-signatures',
  ours: '@rampart/signer',
  anchor: anchorName('http-message-signatures'),
  description:
    "One HMAC-SHA256 signature over `@method`, `@path`, `@authority` and `content-digest` (`created`, `keyid`) of a small JSON `POST`, verified and signed: ours `verifyMessage(input, policy)` (keyring, Web Crypto key imported once) and `signMessage()`, the anchor `httpbis.verifyMessage({ keyLookup, requiredFields, requiredParams, maxAge }, request)` and `httpbis.signMessage()` with `createVerifier`/`createSigner` (Node's `createHmac`). Both verify the same 16 signed requests (each side checked to accept them before timing) and sign to the same bytes (checked). Target: at least 3× the anchor's verifications per second.",
  readmes: ['packages/signer/README.md'],
  summary,
  cases: [
    microCase({
      name: MAIN,
      inputs: SIGNED,
      ours: ours(OUR_POLICY),
      anchor: anchorVerify,
      promises: true,
      compare: verified,
      note: 'ours also checks `Content-Digest` against the body (a SHA-256 of the ~100 bytes): `verifyMessage` always does when `content-digest` is covered. The anchor only verifies the signature over the field.',
    }),
    microCase({
      name: WITH_DIGEST,
      inputs: SIGNED,
      ours: ours(OUR_POLICY),
      anchor: anchorVerifyWithDigest,
      promises: true,
      compare: verified,
      note: "the same job on both sides: the anchor's verification followed by the check its users write, the `sha-256` member's bytes compared with `createHash('sha256')` of the body (found with a regular expression; ours parses the whole structured field).",
    }),
    microCase({
      name: WITH_NONCE,
      inputs: SIGNED_WITH_NONCE,
      ours: ours(NONCE_POLICY),
      anchor: anchorVerifyWithDigest,
      promises: true,
      compare: verified,
      note: "requests signed with a `nonce` parameter; ours requires it and claims it in `memoryStore()` (whose clock moves a freshness window per call, so every timed claim is a first claim), the anchor has no replay protection and does the previous row's work. Ours does more.",
    }),
    microCase({
      name: 'sign (same components)',
      inputs: UNSIGNED,
      ours: (r: BenchRequest) => signMessage(r.message, OUR_SIGN_OPTIONS),
      anchor: (r: BenchRequest) => httpbis.signMessage(ANCHOR_SIGN_CONFIG, r.request),
      promises: true,
      compare: (result) => (result instanceof Rejection ? result : signatureMembers(result)),
      note: "same `Signature-Input` and `Signature` on both sides (checked). Ours returns the two serialised members; the anchor returns a copy of the request with them added to its headers (re-parsing any existing `Signature` fields), which is its API's only form.",
    }),
  ],
})
