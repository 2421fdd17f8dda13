/**
 * `verifyMessage()`: the framework-free verification of RFC 9421 signatures against a policy.
 * Everything that needs no cryptography is checked first (coverage, parameters, times, the key,
 * its algorithm), so a forged or stale request costs a parse, not a signature check; the nonce
 * is claimed only once the signature holds, so invalid requests cannot burn nonces.
 * @module
 */
import { isThenable, type Principal, type RampartStore } from '@rampart/core'
import { type Algorithm, verifyBytes, verifyBytesNow } from './algorithms.js'
import { signatureBase } from './base.js'
import type { FailureCode } from './codes.js'
import { ComponentError, type FieldType, fieldTypesWith } from './components.js'
import { checkContentDigest, checkContentDigestNow, type DigestAlgorithm } from './digest.js'
import type { KeyRefusal, Keyring } from './keyring.js'
import type { HttpMessage } from './message.js'
import {
  type BareItem,
  type Dictionary,
  type InnerList,
  type Item,
  isInnerList,
  parseDictionary,
  serializeItem,
} from './sf/index.js'

/** Signature parameters a policy can require. */
export type SignatureParam = 'created' | 'expires' | 'nonce' | 'keyid' | 'alg' | 'tag'

/** When `content-digest` must be covered and checked. */
export type DigestPolicy = 'with-body' | 'always' | 'never'

/** What a signature must satisfy (compiled from options once). */
export interface VerifyPolicy {
  readonly keys: Keyring
  /** Components every accepted signature covers: names (`'@method'`, `'content-type'`) or full identifiers (`'"@query-param";name="id"'`). */
  readonly components: readonly string[]
  readonly params: readonly SignatureParam[]
  /** How old (from `created`) a signature may be, in ms. */
  readonly maxAge: number
  /** How far in the future `created` may lie (clocks drift), in ms. */
  readonly skew: number
  readonly digest: DigestPolicy
  readonly digestAlgorithms: readonly DigestAlgorithm[]
  /** Only this label is verified. */
  readonly label?: string
  /** Only signatures with this `tag` are considered. */
  readonly tag?: string
  /** Nonces are claimed here (set-if-absent) for the freshness window. */
  readonly nonces?: { readonly store: RampartStore; readonly prefix: string }
  readonly fieldTypes?: Readonly<Record<string, FieldType>>
  /** A request with a query must cover it. */
  readonly coverQuery?: boolean
}

/** The message to verify and what verification may read. */
export interface VerifyInput {
  readonly message: HttpMessage
  /** For a response, the request it answers (for `req` components). */
  readonly request?: HttpMessage
  /** Whether the message has content (a request with a body must cover its digest). */
  readonly hasBody: boolean
  /** The exact content bytes; `undefined` when unavailable. */
  readonly body: () => Promise<Uint8Array | undefined>
  readonly ip: string | undefined
  /** Now, in ms. */
  readonly now: number
}

/** A verified signature. */
export interface VerifiedSignature {
  readonly ok: true
  readonly label: string
  readonly keyid: string
  readonly alg: Algorithm
  /** `created`, in seconds, when present. */
  readonly created: number | undefined
  readonly expires: number | undefined
  readonly nonce: string | undefined
  readonly tag: string | undefined
  /** The covered component identifiers, as serialised. */
  readonly components: readonly string[]
  readonly principal: Principal | undefined
}

/** A refused message. `reason` is for logs and events only, never for the client. */
export interface RefusedSignature {
  readonly ok: false
  readonly code: FailureCode
  readonly reason: string
  readonly label?: string
  readonly keyid?: string
}

/** The outcome of {@link verifyMessage}. */
export type VerifyResult = VerifiedSignature | RefusedSignature

/** Thrown when content must be checked but its raw bytes are gone (a configuration mistake). */
export class RawBodyUnavailableError extends Error {
  constructor() {
    super(
      'the raw request body is unavailable, so its Content-Digest cannot be checked: mount the signer before any body parser, or keep the raw bytes (Express: express.json({ verify: captureRawBody }))',
    )
    this.name = 'RawBodyUnavailableError'
  }
}

/** Nonces longer than this are refused as malformed (store keys stay bounded). */
const MAX_NONCE = 256

/** Serialised identifiers of plain component names (`"@method"`), which repeat on every request. */
const PLAIN_IDENTIFIERS = new Map<string, string>()
const MAX_PLAIN_IDENTIFIERS = 256

/** A covered component's identifier as serialised (plain names from a small cache). */
function identifierOf(item: Item): string {
  if (item.params.size !== 0 || typeof item.value !== 'string') return serializeItem(item)
  let identifier = PLAIN_IDENTIFIERS.get(item.value)
  if (identifier === undefined) {
    identifier = serializeItem(item)
    if (PLAIN_IDENTIFIERS.size >= MAX_PLAIN_IDENTIFIERS) PLAIN_IDENTIFIERS.clear()
    PLAIN_IDENTIFIERS.set(item.value, identifier)
  }
  return identifier
}

/**
 * Signatures one message may carry: each can cost a public-key verification, so a request with
 * hundreds of labels must not buy hundreds of them.
 */
export const MAX_SIGNATURES = 8

function refuse(
  code: FailureCode,
  reason: string,
  label?: string,
  keyid?: string,
): RefusedSignature {
  return {
    ok: false,
    code,
    reason,
    ...(label === undefined ? {} : { label }),
    ...(keyid === undefined ? {} : { keyid }),
  }
}

function dictionaryOf(lines: readonly string[]): Dictionary | undefined {
  try {
    return parseDictionary(lines.length === 1 ? (lines[0] as string) : lines.join(', '))
  } catch {
    return undefined
  }
}

interface Params {
  created?: number
  expires?: number
  nonce?: string
  keyid?: string
  alg?: string
  tag?: string
}

const INTEGER_PARAMS = ['created', 'expires'] as const
const STRING_PARAMS = ['nonce', 'keyid', 'alg', 'tag'] as const

/** The signature parameters, typed; a string naming the wrong-typed one otherwise. */
function paramsOf(list: InnerList): Params | string {
  const params = list.params as ReadonlyMap<string, BareItem>
  const out: Params = {}
  // Six known names looked up directly; parameters of other names are ignored (RFC 9421 §2.3).
  for (const name of INTEGER_PARAMS) {
    const value = params.get(name)
    if (value === undefined) continue
    if (typeof value !== 'number' || !Number.isInteger(value)) return name
    out[name] = value
  }
  for (const name of STRING_PARAMS) {
    const value = params.get(name)
    if (value === undefined) continue
    if (typeof value !== 'string') return name
    out[name] = value
  }
  return out
}

function refusalReason(refused: KeyRefusal): string {
  return refused === 'unknown' ? 'no key with this keyid' : `key ${refused}`
}

/** Components that cover others: the whole target URI, or its path and query. */
const COVERS: Readonly<Record<string, readonly string[]>> = {
  '@authority': ['@target-uri'],
  '@path': ['@target-uri', '@request-target'],
  '@query': ['@target-uri', '@request-target'],
}

/**
 * The first of `required` that `list` does not cover. `identifiers` are the items serialised
 * (computed once by the caller); a `req` component covers nothing here.
 */
function missingCoverage(
  list: InnerList,
  identifiers: readonly string[],
  required: readonly string[],
): string | undefined {
  // A handful of components against a handful of requirements: scans, no sets.
  const covers = (name: string) =>
    list.items.some((item) => item.value === name && !item.params.has('req'))
  return required.find((r) => {
    if (r.startsWith('"')) return !identifiers.includes(r)
    return !covers(r) && !(COVERS[r] ?? []).some(covers)
  })
}

async function checkOne(
  label: string,
  input: VerifyInput,
  policy: VerifyPolicy,
  inputs: Dictionary,
  signatures: Dictionary,
): Promise<VerifyResult> {
  const list = inputs.get(label)
  const signature = signatures.get(label)
  if (list === undefined || !isInnerList(list)) {
    return refuse('malformed', 'Signature-Input member is not an inner list', label)
  }
  if (signature === undefined) return refuse('malformed', 'no Signature for this label', label)
  if (isInnerList(signature) || !(signature.value instanceof Uint8Array)) {
    return refuse('malformed', 'the Signature member is not a byte sequence', label)
  }
  const params = paramsOf(list)
  if (typeof params === 'string')
    return refuse('malformed', `parameter '${params}' has the wrong type`, label)
  const keyid = params.keyid
  const missingParam = policy.params.find((p) => params[p] === undefined)
  if (missingParam !== undefined) {
    return refuse('insufficient-coverage', `no '${missingParam}' parameter`, label, keyid)
  }
  const required = [...policy.components]
  if (policy.digest === 'always' || (policy.digest === 'with-body' && input.hasBody)) {
    required.push('content-digest')
  }
  const query = input.message.target?.query
  if (policy.coverQuery === true && query !== undefined && query !== '') required.push('@query')
  const covered = list.items.map(identifierOf)
  const uncovered = missingCoverage(list, covered, required)
  if (uncovered !== undefined) {
    return refuse('insufficient-coverage', `'${uncovered}' is not covered`, label, keyid)
  }
  if (params.nonce !== undefined && params.nonce.length > MAX_NONCE) {
    return refuse('malformed', 'nonce too long', label, keyid)
  }
  const { now } = input
  if (params.created !== undefined) {
    if (params.created * 1000 > now + policy.skew) {
      return refuse('created-in-future', 'created lies ahead of the clock', label, keyid)
    }
    if (params.created * 1000 + policy.maxAge < now) {
      return refuse('too-old', 'created is older than the maximum age', label, keyid)
    }
  }
  if (params.expires !== undefined && params.expires * 1000 <= now) {
    return refuse('expired', 'the signature has expired', label, keyid)
  }
  if (keyid === undefined) return refuse('unknown-key', 'no keyid parameter', label)
  const resolved = policy.keys.resolve(keyid, now, input.ip)
  const key = isThenable(resolved) ? await resolved : resolved
  if ('refused' in key) return refuse('unknown-key', refusalReason(key.refused), label, keyid)
  if (params.alg !== undefined && params.alg !== key.alg) {
    return refuse('alg-mismatch', `alg '${params.alg}' is not the key's ${key.alg}`, label, keyid)
  }
  let base: string
  try {
    base = signatureBase(
      list,
      input.message,
      input.request,
      fieldTypesWith(policy.fieldTypes),
      covered,
    )
  } catch (error) {
    if (!(error instanceof ComponentError)) throw error
    const code = error.kind === 'absent' ? 'invalid-signature' : 'malformed'
    return refuse(code, error.message, label, keyid)
  }
  const cryptoKey = key.ready ?? (await key.cryptoKey)
  const verified =
    verifyBytesNow(key.alg, cryptoKey, base, signature.value) ??
    (await verifyBytes(key.alg, cryptoKey, base, signature.value))
  if (!verified) {
    return refuse('invalid-signature', 'the signature does not match', label, keyid)
  }
  if (list.items.some((item) => item.value === 'content-digest' && !item.params.has('req'))) {
    const body = await input.body()
    if (body === undefined) {
      if (input.hasBody) throw new RawBodyUnavailableError()
    }
    const field = input.message.fields('content-digest')?.join(', ')
    const content = body ?? new Uint8Array(0)
    const check =
      checkContentDigestNow(field, content, policy.digestAlgorithms) ??
      (await checkContentDigest(field, content, policy.digestAlgorithms))
    if (check !== 'ok') return refuse('digest-mismatch', `Content-Digest ${check}`, label, keyid)
  }
  if (params.nonce !== undefined && policy.nonces !== undefined) {
    const { store, prefix } = policy.nonces
    const claimed = await store.setIfAbsent(
      `${prefix}${keyid.length}:${keyid}:${params.nonce}`,
      '1',
      policy.maxAge + policy.skew,
    )
    if (!claimed) return refuse('replayed', 'the nonce was seen before', label, keyid)
  }
  return {
    ok: true,
    label,
    keyid,
    alg: key.alg,
    created: params.created,
    expires: params.expires,
    nonce: params.nonce,
    tag: params.tag,
    components: covered,
    principal: key.principal,
  }
}

/**
 * Verifies the message's signatures against `policy`: the first signature (in
 * `Signature-Input` order, or only `policy.label`, only those with `policy.tag`) that satisfies
 * the policy and verifies wins; otherwise the first refusal is the answer.
 * @throws RawBodyUnavailableError when a covered `content-digest` cannot be checked.
 */
export async function verifyMessage(
  input: VerifyInput,
  policy: VerifyPolicy,
): Promise<VerifyResult> {
  const inputLines = input.message.fields('signature-input')
  const signatureLines = input.message.fields('signature')
  if (inputLines === undefined || signatureLines === undefined) {
    return refuse('missing-signature', 'no Signature-Input or Signature field')
  }
  const inputs = dictionaryOf(inputLines)
  const signatures = dictionaryOf(signatureLines)
  if (inputs === undefined || signatures === undefined) {
    return refuse('malformed', 'Signature-Input or Signature is not a structured dictionary')
  }
  if (inputs.size > MAX_SIGNATURES) {
    return refuse('malformed', `more than ${MAX_SIGNATURES} signatures`)
  }
  if (policy.label !== undefined && !inputs.has(policy.label)) {
    return refuse('missing-signature', 'no signature with the expected label')
  }
  let first: RefusedSignature | undefined
  for (const label of policy.label === undefined ? inputs.keys() : [policy.label]) {
    if (policy.tag !== undefined) {
      const list = inputs.get(label)
      if (list === undefined || !isInnerList(list) || list.params.get('tag') !== policy.tag)
        continue
    }
    const result = await checkOne(label, input, policy, inputs, signatures)
    if (result.ok) return result
    first ??= result
  }
  return first ?? refuse('missing-signature', 'no signature with the expected label or tag')
}
