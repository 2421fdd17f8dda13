/**
 * Signing: `signMessage()` builds the `Signature-Input` and `Signature` members for any message;
 * `signRequest()`, `signedFetch()` and `signResponse()` apply them to Web `Request`s and
 * `Response`s, adding `Content-Digest` over the exact body bytes first.
 * @module
 */
import { type Algorithm, signBytes } from './algorithms.js'
import { signatureBase } from './base.js'
import { toBase64Url } from './bytes.js'
import { type FieldType, fieldTypesWith } from './components.js'
import { contentDigest, type DigestAlgorithm } from './digest.js'
import { importKey, type KeyMaterial } from './keys.js'
import { fieldsFrom, type HttpMessage, requestMessage, responseMessage } from './message.js'
import {
  type BareItem,
  type InnerList,
  type Item,
  parseItem,
  serializeInnerList,
  serializeItem,
} from './sf/index.js'

/** A signing key: its `keyid`, its algorithm and the private key (or HMAC secret). */
export interface SigningKey {
  readonly id: string
  readonly alg: Algorithm
  readonly key: KeyMaterial
}

/** Options of {@link signMessage}. */
export interface SignOptions {
  readonly key: SigningKey
  /** The signature's label in the `Signature-Input` and `Signature` dictionaries. Default `'sig1'`. */
  readonly label?: string
  /**
   * Covered components: names (`'@method'`, `'content-type'`) or full identifiers
   * (`'"@query-param";name="id"'`). Default for requests: `@method`, `@authority`, `@path`,
   * `@query` when there is one, and `content-digest`, `content-type` when present; for
   * responses: `@status`, and `content-digest`, `content-type` when present.
   */
  readonly components?: readonly string[]
  /** Seconds until the signature expires (an `expires` parameter). Default none. */
  readonly expiresIn?: number
  /** A `nonce` parameter: `true` (default) for 16 random bytes, a string of your own, or `false`. */
  readonly nonce?: boolean | string
  /** A `tag` parameter naming the application profile. */
  readonly tag?: string
  /** Whether to send an `alg` parameter (verifiers pin the algorithm to the key anyway). Default `false`. */
  readonly alg?: boolean
  /** The clock, in ms. Default `Date.now`. */
  readonly now?: () => number
  /** Structured types of fields signed with `sf` or `key`. */
  readonly fieldTypes?: Readonly<Record<string, FieldType>>
}

/** What signing produced: the two dictionary members, serialised. */
export interface SignatureFields {
  readonly label: string
  /** `label=("@method" …);created=…` */
  readonly signatureInput: string
  /** `label=:base64:` */
  readonly signature: string
  /** The signature base that was signed (for debugging interoperability). */
  readonly base: string
}

const importedSigningKeys = new WeakMap<SigningKey, Promise<CryptoKey>>()

function signingKeyOf(key: SigningKey): Promise<CryptoKey> {
  let imported = importedSigningKeys.get(key)
  if (imported === undefined) {
    imported = importKey(key.alg, key.key, 'sign')
    importedSigningKeys.set(key, imported)
  }
  return imported
}

/** A component given as a name or an identifier, as an item. */
export function componentItem(component: string): Item {
  return component.startsWith('"') ? parseItem(component) : { value: component, params: new Map() }
}

function defaultComponents(message: HttpMessage): string[] {
  const out =
    message.status === undefined
      ? [
          '@method',
          '@authority',
          '@path',
          ...(message.target?.query === undefined ? [] : ['@query']),
        ]
      : ['@status']
  for (const field of ['content-digest', 'content-type']) {
    if (message.fields(field) !== undefined) out.push(field)
  }
  return out
}

function randomNonce(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(16)))
}

/**
 * Signs `message` (with `request`, for a response covering `req` components).
 * @throws ComponentError when a covered component is absent or malformed.
 */
export async function signMessage(
  message: HttpMessage,
  options: SignOptions,
  request?: HttpMessage,
): Promise<SignatureFields> {
  const label = options.label ?? 'sig1'
  const created = Math.floor((options.now ?? Date.now)() / 1000)
  const params = new Map<string, BareItem>([['created', created]])
  if (options.expiresIn !== undefined) params.set('expires', created + options.expiresIn)
  const nonce = options.nonce ?? true
  if (nonce !== false) params.set('nonce', nonce === true ? randomNonce() : nonce)
  params.set('keyid', options.key.id)
  if (options.alg === true) params.set('alg', options.key.alg)
  if (options.tag !== undefined) params.set('tag', options.tag)
  const list: InnerList = {
    items: (options.components ?? defaultComponents(message)).map(componentItem),
    params,
  }
  const base = signatureBase(list, message, request, fieldTypesWith(options.fieldTypes))
  const signature = await signBytes(options.key.alg, await signingKeyOf(options.key), base)
  return {
    label,
    signatureInput: `${label}=${serializeInnerList(list)}`,
    signature: `${label}=${serializeItem({ value: signature, params: new Map() })}`,
    base,
  }
}

/** Options of {@link signRequest}: {@link SignOptions} plus the digest of the body. */
export interface SignRequestOptions extends SignOptions {
  /** `Content-Digest` added when the request has a body. Default `'sha-256'`; `false` for none. */
  readonly contentDigest?: DigestAlgorithm | false
}

function appendMember(headers: Headers, name: string, member: string): void {
  const before = headers.get(name)
  headers.set(name, before === null ? member : `${before}, ${member}`)
}

async function withDigest(headers: Headers, body: Uint8Array, digest: DigestAlgorithm | false) {
  if (digest !== false && body.byteLength > 0 && !headers.has('content-digest')) {
    headers.set('content-digest', await contentDigest(body, [digest]))
  }
}

/**
 * A copy of `request` with `Content-Digest` (when it has a body) and a signature added (a second
 * signature appends its members to the existing fields).
 * @example
 * const signed = await signRequest(new Request('https://api.example.com/orders', { method: 'POST', body }), { key })
 */
export async function signRequest(request: Request, options: SignRequestOptions): Promise<Request> {
  // Read from a clone: the caller's request stays readable (and retryable).
  const body = new Uint8Array(await request.clone().arrayBuffer())
  const headers = new Headers(request.headers)
  await withDigest(headers, body, options.contentDigest ?? 'sha-256')
  const unsigned = { ...requestMessage(request), fields: fieldsFrom((name) => headers.get(name)) }
  const fields = await signMessage(unsigned, options)
  appendMember(headers, 'signature-input', fields.signatureInput)
  appendMember(headers, 'signature', fields.signature)
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD'
  return new Request(request.url, {
    method: request.method,
    headers,
    ...(hasBody ? { body } : {}),
    // Everything else a fetch honours, so signing changes nothing but the headers.
    redirect: request.redirect,
    signal: request.signal,
    credentials: request.credentials,
    cache: request.cache,
    mode: request.mode === 'navigate' ? 'same-origin' : request.mode,
    referrer: request.referrer,
    referrerPolicy: request.referrerPolicy,
    integrity: request.integrity,
    keepalive: request.keepalive,
  })
}

/**
 * A `fetch` that signs every request with `options` first.
 * @example const api = signedFetch({ key }); await api('https://api.example.com/orders', { method: 'POST', body })
 */
export function signedFetch(
  options: SignRequestOptions,
  fetchImpl: typeof fetch = fetch,
): (input: RequestInfo | URL, init?: RequestInit) => Promise<Response> {
  return async (input, init) => fetchImpl(await signRequest(new Request(input, init), options))
}

/**
 * A copy of `response` with `Content-Digest` and a signature added; pass the `request` it answers
 * to cover `req` components (`'"@method";req'`).
 */
export async function signResponse(
  response: Response,
  options: SignRequestOptions,
  request?: Request,
): Promise<Response> {
  const body = new Uint8Array(await response.clone().arrayBuffer())
  const headers = new Headers(response.headers)
  await withDigest(headers, body, options.contentDigest ?? 'sha-256')
  const unsigned = new Response(null, { status: response.status, headers })
  const fields = await signMessage(
    responseMessage(unsigned),
    options,
    request === undefined ? undefined : requestMessage(request),
  )
  appendMember(headers, 'signature-input', fields.signatureInput)
  appendMember(headers, 'signature', fields.signature)
  const empty = response.status === 204 || response.status === 304 || body.byteLength === 0
  return new Response(empty ? null : body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  })
}
