// Signing: signMessage()'s parameters and defaults, and signRequest(), signedFetch() and
// signResponse() on Web Requests and Responses, each checked by verifying what they produce.

import { beforeAll, describe, expect, it } from 'vitest'
import { toBase64, utf8 } from './bytes.js'
import { ComponentError } from './components.js'
import { keyring, type VerifyKey } from './keyring.js'
import { requestMessage, responseMessage } from './message.js'
import { parseDictionary } from './sf/index.js'
import { type SigningKey, signedFetch, signMessage, signRequest, signResponse } from './sign.js'
import { testPolicy } from './test-support/policy.js'
import { message } from './test-support/rfc9421.js'
import { type VerifyPolicy, type VerifyResult, verifyMessage } from './verify.js'
import { responseVerifier } from './verify-response.js'

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0) + 789 // created is the whole second below
const CREATED = Math.floor(NOW / 1000)
const now = () => NOW

const SECRET = crypto.getRandomValues(new Uint8Array(32))
const KEY: SigningKey = { id: 'client-1', alg: 'hmac-sha256', key: SECRET }
const VERIFY_KEY: VerifyKey = { id: 'client-1', alg: 'hmac-sha256', key: SECRET }

let ED: CryptoKeyPair
beforeAll(async () => {
  ED = await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])
})

function policy(overrides: Partial<VerifyPolicy> = {}): VerifyPolicy {
  return testPolicy(overrides.keys ?? keyring([VERIFY_KEY]), overrides)
}

async function bytesOf(r: Request | Response): Promise<Uint8Array> {
  return new Uint8Array(await r.clone().arrayBuffer())
}

async function verifyRequest(req: Request, p: VerifyPolicy = policy()): Promise<VerifyResult> {
  const body = await bytesOf(req)
  return verifyMessage(
    {
      message: requestMessage(req),
      hasBody: body.byteLength > 0,
      body: async () => body,
      ip: undefined,
      now: NOW,
    },
    p,
  )
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return toBase64(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)))
}

/** The parameters of the Signature-Input member `label`, as a plain object. */
function paramsOf(signatureInput: string | null, label = 'sig1'): Record<string, unknown> {
  const member = parseDictionary(signatureInput ?? '').get(label)
  if (member === undefined) throw new Error(`no ${label}`)
  return Object.fromEntries(member.params)
}

const orders = () =>
  new Request('https://api.example.com/orders?x=1', {
    method: 'POST',
    body: '{"a":1}',
    headers: { 'content-type': 'application/json' },
  })

describe('signRequest()', () => {
  it('adds Content-Digest, a Signature-Input covering the defaults with a nonce, and verifies', async () => {
    const signed = await signRequest(orders(), { key: KEY, now })
    expect(signed.headers.get('content-digest')).toBe(`sha-256=:${await sha256(utf8('{"a":1}'))}:`)
    const input = signed.headers.get('signature-input') ?? ''
    expect(input).toMatch(
      /^sig1=\("@method" "@authority" "@path" "@query" "content-digest" "content-type"\);created=\d+;nonce="[A-Za-z0-9_-]{22}";keyid="client-1"$/,
    )
    expect(paramsOf(input)).toMatchObject({ created: CREATED, keyid: 'client-1' })
    expect(signed.headers.get('signature')).toMatch(/^sig1=:[A-Za-z0-9+/]+=*:$/)
    // The request itself is unchanged: method, URL, body and other headers.
    expect(signed.method).toBe('POST')
    expect(signed.url).toBe('https://api.example.com/orders?x=1')
    expect(new TextDecoder().decode(await bytesOf(signed))).toBe('{"a":1}')
    expect(signed.headers.get('content-type')).toBe('application/json')
    expect(await verifyRequest(signed)).toMatchObject({
      ok: true,
      keyid: 'client-1',
      label: 'sig1',
      created: CREATED,
      components: [
        '"@method"',
        '"@authority"',
        '"@path"',
        '"@query"',
        '"content-digest"',
        '"content-type"',
      ],
    })
  })

  it('the digest is of the exact bytes: a changed body fails verification', async () => {
    const signed = await signRequest(orders(), { key: KEY, now })
    const swapped = new Request(signed.url, {
      method: 'POST',
      headers: signed.headers,
      body: '{"a":2}',
    })
    expect(await verifyRequest(swapped)).toMatchObject({ ok: false, code: 'digest-mismatch' })
  })

  it('a second signRequest (label sig2) appends members; both verify by label', async () => {
    const once = await signRequest(orders(), { key: KEY, now })
    const other: SigningKey = { id: 'proxy', alg: 'ed25519', key: ED.privateKey }
    const twice = await signRequest(once, { key: other, label: 'sig2', now })
    const inputs = parseDictionary(twice.headers.get('signature-input') ?? '')
    const signatures = parseDictionary(twice.headers.get('signature') ?? '')
    expect([...inputs.keys()]).toEqual(['sig1', 'sig2'])
    expect([...signatures.keys()]).toEqual(['sig1', 'sig2'])
    // The first signature is kept byte for byte, the digest is not added twice.
    expect(
      twice.headers
        .get('signature-input')
        ?.startsWith(`${once.headers.get('signature-input')}, sig2=(`),
    ).toBe(true)
    expect(twice.headers.get('content-digest')).toBe(once.headers.get('content-digest'))
    const keys = keyring([VERIFY_KEY, { id: 'proxy', alg: 'ed25519', key: ED.publicKey }])
    expect(await verifyRequest(twice, policy({ keys, label: 'sig1' }))).toMatchObject({
      ok: true,
      label: 'sig1',
      keyid: 'client-1',
    })
    expect(await verifyRequest(twice, policy({ keys, label: 'sig2' }))).toMatchObject({
      ok: true,
      label: 'sig2',
      keyid: 'proxy',
      alg: 'ed25519',
    })
  })

  it('a GET has no body, no Content-Digest, and covers no @query without a query', async () => {
    const signed = await signRequest(new Request('https://api.example.com/orders'), {
      key: KEY,
      now,
    })
    expect(signed.headers.has('content-digest')).toBe(false)
    expect(signed.body).toBeNull()
    expect(signed.headers.get('signature-input')).toMatch(
      /^sig1=\("@method" "@authority" "@path"\);/,
    )
    expect(await verifyRequest(signed)).toMatchObject({ ok: true })
  })

  it('contentDigest: sha-512 or false', async () => {
    const sha512 = await signRequest(orders(), { key: KEY, now, contentDigest: 'sha-512' })
    expect(sha512.headers.get('content-digest')).toMatch(/^sha-512=:/)
    expect(await verifyRequest(sha512)).toMatchObject({ ok: true })
    const none = await signRequest(orders(), { key: KEY, now, contentDigest: false })
    expect(none.headers.has('content-digest')).toBe(false)
    expect(none.headers.get('signature-input')).not.toContain('content-digest')
    expect(await verifyRequest(none)).toMatchObject({ ok: false, code: 'insufficient-coverage' })
  })

  it('an existing Content-Digest is kept and signed', async () => {
    const digest = `sha-256=:${await sha256(utf8('{"a":1}'))}:`
    const req = new Request('https://api.example.com/orders?x=1', {
      method: 'POST',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json', 'content-digest': digest },
    })
    const signed = await signRequest(req, { key: KEY, now, contentDigest: 'sha-512' })
    expect(signed.headers.get('content-digest')).toBe(digest)
    expect(await verifyRequest(signed)).toMatchObject({ ok: true })
  })

  it('explicit components, a tag and an Ed25519 PEM key', async () => {
    const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', ED.privateKey))
    const pem = `-----BEGIN PRIVATE KEY-----\n${toBase64(pkcs8)}\n-----END PRIVATE KEY-----`
    const signed = await signRequest(orders(), {
      key: { id: 'ed', alg: 'ed25519', key: pem },
      components: ['@method', '@target-uri', 'content-digest', '"@query-param";name="x"'],
      tag: 'orders-api',
      now,
    })
    expect(signed.headers.get('signature-input')).toMatch(
      /^sig1=\("@method" "@target-uri" "content-digest" "@query-param";name="x"\);.*;tag="orders-api"$/,
    )
    const keys = keyring([{ id: 'ed', alg: 'ed25519', key: ED.publicKey }])
    expect(await verifyRequest(signed, policy({ keys, tag: 'orders-api' }))).toMatchObject({
      ok: true,
      tag: 'orders-api',
    })
  })

  it('keeps redirect and signal', async () => {
    const controller = new AbortController()
    const req = new Request('https://api.example.com/orders', {
      redirect: 'manual',
      signal: controller.signal,
    })
    const signed = await signRequest(req, { key: KEY, now })
    expect(signed.redirect).toBe('manual')
    controller.abort()
    expect(signed.signal.aborted).toBe(true)
  })

  it('leaves the caller’s request readable (returns a copy)', async () => {
    const req = orders()
    await signRequest(req, { key: KEY, now })
    expect(req.bodyUsed).toBe(false)
    expect(await req.text()).toBe('{"a":1}')
  })

  it('keeps credentials, cache and referrerPolicy', async () => {
    const req = new Request('https://api.example.com/orders', {
      credentials: 'include',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
    })
    const signed = await signRequest(req, { key: KEY, now })
    expect(signed.referrerPolicy).toBe(req.referrerPolicy)
    expect(signed.cache).toBe(req.cache)
    expect(signed.credentials).toBe('include')
  })
})

describe('signedFetch()', () => {
  it('passes a signed Request to the fetch it wraps', async () => {
    const seen: Request[] = []
    const fakeFetch = async (input: RequestInfo | URL): Promise<Response> => {
      if (!(input instanceof Request)) throw new Error('expected a Request')
      seen.push(input)
      return new Response('ok', { status: 200 })
    }
    const api = signedFetch({ key: KEY, now }, fakeFetch as typeof fetch)
    const response = await api('https://api.example.com/orders?x=1', {
      method: 'POST',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
    })
    expect(await response.text()).toBe('ok')
    expect(seen).toHaveLength(1)
    const sent = seen[0] as Request
    expect(sent.method).toBe('POST')
    expect(sent.headers.has('signature')).toBe(true)
    expect(sent.headers.has('content-digest')).toBe(true)
    expect(await verifyRequest(sent)).toMatchObject({ ok: true, keyid: 'client-1' })
  })

  it('signs a Request given as input, and a URL', async () => {
    const seen: Request[] = []
    const fakeFetch = async (input: RequestInfo | URL): Promise<Response> => {
      if (input instanceof Request) seen.push(input)
      return new Response(null, { status: 204 })
    }
    const api = signedFetch({ key: KEY, now }, fakeFetch as typeof fetch)
    await api(orders())
    await api(new URL('https://api.example.com/health'))
    expect(seen).toHaveLength(2)
    for (const sent of seen) expect(await verifyRequest(sent)).toMatchObject({ ok: true })
  })
})

describe('signResponse()', () => {
  const request = () =>
    new Request('https://api.example.com/orders', { method: 'POST', body: '{"a":1}' })

  it('signs a response covering "@method";req of its request, and verifies', async () => {
    const req = request()
    const response = new Response('{"ok":true}', {
      status: 201,
      headers: { 'content-type': 'application/json', location: '/orders/7' },
    })
    const signed = await signResponse(
      response,
      {
        key: KEY,
        now,
        components: ['@status', '"@method";req', 'content-digest', 'content-type'],
      },
      req,
    )
    expect(signed.status).toBe(201)
    expect(signed.headers.get('location')).toBe('/orders/7')
    expect(signed.headers.get('content-digest')).toBe(
      `sha-256=:${await sha256(utf8('{"ok":true}'))}:`,
    )
    expect(signed.headers.get('signature-input')).toMatch(
      /^sig1=\("@status" "@method";req "content-digest" "content-type"\);/,
    )
    const body = await bytesOf(signed)
    expect(new TextDecoder().decode(body)).toBe('{"ok":true}')
    const verifyResponse = (r: Request) =>
      verifyMessage(
        {
          message: responseMessage(signed),
          request: requestMessage(r),
          hasBody: true,
          body: async () => body,
          ip: undefined,
          now: NOW,
        },
        policy({ components: ['@status'] }),
      )
    expect(await verifyResponse(req)).toMatchObject({
      ok: true,
      components: ['"@status"', '"@method";req', '"content-digest"', '"content-type"'],
    })
    // Answering another request (a GET) it does not verify.
    expect(await verifyResponse(new Request('https://api.example.com/orders'))).toMatchObject({
      ok: false,
      code: 'invalid-signature',
    })
  })

  it('by default covers @status, content-digest and content-type', async () => {
    const signed = await signResponse(
      new Response('{"ok":true}', { status: 200, headers: { 'content-type': 'application/json' } }),
      { key: KEY, now },
    )
    expect(signed.headers.get('signature-input')).toMatch(
      /^sig1=\("@status" "content-digest" "content-type"\);/,
    )
  })

  it('a 204 stays without a body and without Content-Digest', async () => {
    const signed = await signResponse(new Response(null, { status: 204 }), { key: KEY, now })
    expect(signed.status).toBe(204)
    expect(signed.body).toBeNull()
    expect(signed.headers.has('content-digest')).toBe(false)
    expect(signed.headers.get('signature-input')).toMatch(/^sig1=\("@status"\);/)
  })

  it('leaves the original response readable', async () => {
    const response = new Response('{"ok":true}')
    await signResponse(response, { key: KEY, now })
    expect(await response.text()).toBe('{"ok":true}')
  })
})

describe('signMessage() parameters', () => {
  const m = message(
    {
      method: 'GET',
      target: { scheme: 'https', authority: 'api.example.com', path: '/', query: undefined },
    },
    [],
  )

  it('created is now in whole seconds; the parameters come in a fixed order', async () => {
    const fields = await signMessage(m, {
      key: KEY,
      now,
      nonce: 'n-1',
      expiresIn: 60,
      alg: true,
      tag: 't',
    })
    expect(fields.signatureInput).toBe(
      `sig1=("@method" "@authority" "@path");created=${CREATED};expires=${CREATED + 60};nonce="n-1";keyid="client-1";alg="hmac-sha256";tag="t"`,
    )
    expect(fields.base.split('\n').at(-1)).toBe(
      `"@signature-params": ${fields.signatureInput.slice('sig1='.length)}`,
    )
  })

  it('nonce: false omits it; a string is used as given; by default a fresh random one', async () => {
    const without = await signMessage(m, { key: KEY, now, nonce: false })
    expect(paramsOf(without.signatureInput)).not.toHaveProperty('nonce')
    const given = await signMessage(m, { key: KEY, now, nonce: 'my-nonce' })
    expect(paramsOf(given.signatureInput)).toMatchObject({ nonce: 'my-nonce' })
    const a = paramsOf((await signMessage(m, { key: KEY, now })).signatureInput)
    const b = paramsOf((await signMessage(m, { key: KEY, now })).signatureInput)
    expect(a.nonce).toEqual(expect.stringMatching(/^[A-Za-z0-9_-]{22}$/))
    expect(a.nonce).not.toBe(b.nonce)
  })

  it('expiresIn sets expires = created + n', async () => {
    const fields = await signMessage(m, { key: KEY, now, expiresIn: 90 })
    expect(paramsOf(fields.signatureInput)).toMatchObject({
      created: CREATED,
      expires: CREATED + 90,
    })
    const none = await signMessage(m, { key: KEY, now })
    expect(paramsOf(none.signatureInput)).not.toHaveProperty('expires')
  })

  it('alg: true adds the alg parameter (none by default)', async () => {
    const withAlg = await signMessage(m, { key: { ...KEY }, now, alg: true })
    expect(paramsOf(withAlg.signatureInput)).toMatchObject({ alg: 'hmac-sha256' })
    const ed = await signMessage(m, {
      key: { id: 'ed', alg: 'ed25519', key: ED.privateKey },
      now,
      alg: true,
    })
    expect(paramsOf(ed.signatureInput)).toMatchObject({ alg: 'ed25519', keyid: 'ed' })
    const without = await signMessage(m, { key: KEY, now })
    expect(paramsOf(without.signatureInput)).not.toHaveProperty('alg')
  })

  it('a label of its own', async () => {
    const fields = await signMessage(m, { key: KEY, now, label: 'my-label' })
    expect(fields.label).toBe('my-label')
    expect(fields.signatureInput.startsWith('my-label=(')).toBe(true)
    expect(fields.signature.startsWith('my-label=:')).toBe(true)
  })

  it('a component the message lacks is a ComponentError', async () => {
    await expect(
      signMessage(m, { key: KEY, now, components: ['content-type'] }),
    ).rejects.toBeInstanceOf(ComponentError)
    await expect(signMessage(m, { key: KEY, now, components: ['@status'] })).rejects.toBeInstanceOf(
      ComponentError,
    )
  })
})

describe('responseVerifier()', () => {
  it('verifies a signed response bound to its request, and refuses a changed body or status', async () => {
    const key = {
      id: 'api',
      alg: 'hmac-sha256',
      key: new TextEncoder().encode('response-secret-of-32-bytes-long'),
    } as const
    const request = new Request('https://api.example.com/orders/7', { method: 'GET' })
    const response = await signResponse(
      new Response('{"id":7}', { status: 200, headers: { 'content-type': 'application/json' } }),
      {
        key,
        components: ['@status', 'content-digest', 'content-type', '"@method";req', '"@path";req'],
      },
      request,
    )
    const verify = responseVerifier({ keys: [key] })
    expect(await verify(response.clone(), request)).toMatchObject({ ok: true, keyid: 'api' })
    const swapped = new Response('{"id":8}', { status: 200, headers: response.headers })
    expect(await verify(swapped, request)).toMatchObject({ ok: false, code: 'digest-mismatch' })
    const status = new Response('{"id":7}', { status: 201, headers: response.headers })
    expect(await verify(status, request)).toMatchObject({ ok: false, code: 'invalid-signature' })
    const otherRequest = new Request('https://api.example.com/orders/8')
    expect(await verify(response.clone(), otherRequest)).toMatchObject({
      ok: false,
      code: 'invalid-signature',
    })
  })
})
