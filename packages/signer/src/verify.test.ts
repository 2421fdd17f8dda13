// verifyMessage(): round trips for every algorithm and key form, and every failure code of
// FAILURE_CODES produced by a realistic message. Web APIs only (these run on edge-runtime too).

import { memoryStore } from '@rampart/core'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { ALGORITHMS, type Algorithm } from './algorithms.js'
import { fromBase64, toBase64, utf8 } from './bytes.js'
import { FAILURE_CODES, type FailureCode } from './codes.js'
import { contentDigest } from './digest.js'
import { keyring, type VerifyKey } from './keyring.js'
import type { KeyMaterial } from './keys.js'
import type { HttpMessage } from './message.js'
import { resolveOptions } from './options.js'
import { type SignOptions, signMessage } from './sign.js'
import { testPolicy } from './test-support/policy.js'
import { message } from './test-support/rfc9421.js'
import {
  MAX_SIGNATURES,
  RawBodyUnavailableError,
  type VerifyInput,
  type VerifyPolicy,
  type VerifyResult,
  verifyMessage,
} from './verify.js'

// ---------------------------------------------------------------------------------------------
// Fixtures

/** A fixed clock: 2025-01-15T12:00:00Z, in ms (a whole second). */
const NOW = Date.UTC(2025, 0, 15, 12, 0, 0)
const CREATED = NOW / 1000
const IP = '203.0.113.7'

type Header = readonly [string, string]

const INIT = {
  method: 'POST',
  target: { scheme: 'https', authority: 'api.example.com', path: '/orders', query: 'id=7' },
} as const

const BODY = utf8('{"item":"book","qty":1}')
let HEADERS: readonly Header[] = []

const SECRET = crypto.getRandomValues(new Uint8Array(32))
const HMAC_KEY: VerifyKey = { id: 'hmac', alg: 'hmac-sha256', key: SECRET }

/** The identifiers a default-policy signature must cover (the target has a query, and a body). */
const COVERED = '"@method" "@authority" "@path" "@query" "content-digest"'

function pem(label: string, der: ArrayBuffer): string {
  const lines = toBase64(new Uint8Array(der)).match(/.{1,64}/g) ?? []
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`
}

type AsymmetricAlgorithm = Exclude<Algorithm, 'hmac-sha256'>

function keyPair(alg: AsymmetricAlgorithm): Promise<CryptoKeyPair> {
  const usages: KeyUsage[] = ['sign', 'verify']
  const rsa = { modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) }
  switch (alg) {
    case 'ed25519':
      return crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])
    case 'ecdsa-p256-sha256':
      return crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, usages)
    case 'ecdsa-p384-sha384':
      return crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, usages)
    case 'rsa-pss-sha512':
      return crypto.subtle.generateKey({ name: 'RSA-PSS', hash: 'SHA-512', ...rsa }, true, usages)
    case 'rsa-v1_5-sha256':
      return crypto.subtle.generateKey(
        { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', ...rsa },
        true,
        usages,
      )
  }
}

/** One algorithm's key in every form the package accepts. */
interface Forms {
  readonly sign: Readonly<Record<string, KeyMaterial>>
  readonly verify: Readonly<Record<string, KeyMaterial>>
}

async function formsOf(alg: Algorithm): Promise<Forms> {
  if (alg === 'hmac-sha256') {
    const secret = crypto.getRandomValues(new Uint8Array(32))
    const key = await crypto.subtle.importKey(
      'raw',
      secret,
      { name: 'HMAC', hash: 'SHA-256' },
      true,
      ['sign', 'verify'],
    )
    const jwk = await crypto.subtle.exportKey('jwk', key)
    const text = 'a shared secret given as text, long enough to be a key'
    const same = { CryptoKey: key, JWK: jwk, bytes: secret, text }
    return { sign: same, verify: same }
  }
  const pair = await keyPair(alg)
  return {
    sign: {
      CryptoKey: pair.privateKey,
      JWK: await crypto.subtle.exportKey('jwk', pair.privateKey),
      PEM: pem('PRIVATE KEY', await crypto.subtle.exportKey('pkcs8', pair.privateKey)),
    },
    verify: {
      CryptoKey: pair.publicKey,
      JWK: await crypto.subtle.exportKey('jwk', pair.publicKey),
      PEM: pem('PUBLIC KEY', await crypto.subtle.exportKey('spki', pair.publicKey)),
    },
  }
}

const FORMS = new Map<Algorithm, Forms>()
let ED_A: CryptoKeyPair
let ED_B: CryptoKeyPair

beforeAll(async () => {
  // RSA key generation is slow: every key is made once, here.
  const all = await Promise.all(ALGORITHMS.map(async (alg) => [alg, await formsOf(alg)] as const))
  for (const [alg, forms] of all) FORMS.set(alg, forms)
  ED_A = await keyPair('ed25519')
  ED_B = await keyPair('ed25519')
  HEADERS = [
    ['Content-Type', 'application/json'],
    ['Content-Digest', await contentDigest(BODY, ['sha-256'])],
  ]
})

afterEach(() => {
  vi.restoreAllMocks()
})

function policy(overrides: Partial<VerifyPolicy> = {}): VerifyPolicy {
  return testPolicy(overrides.keys ?? keyring([HMAC_KEY]), overrides)
}

interface Signed {
  readonly message: HttpMessage
  readonly headers: readonly Header[]
  readonly signatureInput: string
  readonly signature: string
}

/** `headers` signed (by default with the HMAC key, at NOW, default components), as a message. */
async function sign(
  options: Partial<SignOptions> = {},
  headers: readonly Header[] = HEADERS,
  init: Omit<HttpMessage, 'fields'> = INIT,
): Promise<Signed> {
  const fields = await signMessage(message(init, headers), {
    key: HMAC_KEY,
    now: () => NOW,
    ...options,
  })
  const all: Header[] = [
    ...headers,
    ['Signature-Input', fields.signatureInput],
    ['Signature', fields.signature],
  ]
  return {
    message: message(init, all),
    headers: all,
    signatureInput: fields.signatureInput,
    signature: fields.signature,
  }
}

/** A message whose Signature-Input and Signature are given as text. */
function withSignature(
  input: string,
  signature: string,
  headers: readonly Header[] = HEADERS,
  init: Omit<HttpMessage, 'fields'> = INIT,
): HttpMessage {
  return message(init, [...headers, ['Signature-Input', input], ['Signature', signature]])
}

/** A syntactically valid signature that verifies under no key. */
const ZERO_SIGNATURE = `sig1=:${toBase64(new Uint8Array(32))}:`
/** Parameters that pass every check but the signature's. */
const PARAMS = `;created=${CREATED};nonce="n-1";keyid="hmac"`

function verify(
  m: HttpMessage,
  p: VerifyPolicy,
  input: Partial<Omit<VerifyInput, 'message'>> = {},
): Promise<VerifyResult> {
  return verifyMessage(
    { message: m, hasBody: true, body: async () => BODY, ip: IP, now: NOW, ...input },
    p,
  )
}

function expectRefused(result: VerifyResult, code: FailureCode) {
  expect(result).toMatchObject({ ok: false, code })
}

/** Replaces the value of the header named `name` (case-insensitively). */
function replaceHeader(headers: readonly Header[], name: string, value: string): Header[] {
  return headers.map(([n, v]): Header => [n, n.toLowerCase() === name ? value : v])
}

const CODES_TESTED = {
  'missing-signature': true,
  malformed: true,
  'insufficient-coverage': true,
  'unknown-key': true,
  'alg-mismatch': true,
  expired: true,
  'too-old': true,
  'created-in-future': true,
  'invalid-signature': true,
  'digest-mismatch': true,
  replayed: true,
} as const satisfies Record<FailureCode, true>

it('tests every failure code of FAILURE_CODES (each has a describe block below)', () => {
  expect(Object.keys(CODES_TESTED).sort()).toEqual([...FAILURE_CODES].sort())
})

// ---------------------------------------------------------------------------------------------
// 1. Round trips

describe('round trip: sign, then verify', () => {
  const cases: [Algorithm, string][] = ALGORITHMS.flatMap((alg): [Algorithm, string][] =>
    alg === 'hmac-sha256'
      ? [
          [alg, 'CryptoKey'],
          [alg, 'JWK'],
          [alg, 'bytes'],
          [alg, 'text'],
        ]
      : [
          [alg, 'CryptoKey'],
          [alg, 'JWK'],
          [alg, 'PEM'],
        ],
  )

  it.each(cases)('%s, keys given as %s', async (alg, form) => {
    const forms = FORMS.get(alg)
    const signWith = forms?.sign[form]
    const verifyWith = forms?.verify[form]
    if (signWith === undefined || verifyWith === undefined) throw new Error('no key fixture')
    const keys = keyring([{ id: `k-${alg}`, alg, key: verifyWith }])
    await keys.ready()
    const signed = await sign({ key: { id: `k-${alg}`, alg, key: signWith } })
    const result = await verify(signed.message, policy({ keys }))
    expect(result).toEqual({
      ok: true,
      label: 'sig1',
      keyid: `k-${alg}`,
      alg,
      created: CREATED,
      expires: undefined,
      nonce: expect.any(String),
      tag: undefined,
      components: [
        '"@method"',
        '"@authority"',
        '"@path"',
        '"@query"',
        '"content-digest"',
        '"content-type"',
      ],
      principal: undefined,
    })
  })

  it('hands back the principal of the key, the tag and the expiry', async () => {
    const principal = { id: 'partner-1', roles: ['partner'] }
    const keys = keyring([{ ...HMAC_KEY, principal }])
    const signed = await sign({ tag: 'orders', expiresIn: 60, alg: true })
    expect(await verify(signed.message, policy({ keys, tag: 'orders' }))).toMatchObject({
      ok: true,
      principal,
      tag: 'orders',
      expires: CREATED + 60,
    })
  })

  it('accepts the first signature that satisfies the policy when there are several', async () => {
    const first = await sign({ label: 'weak', components: ['@method'] })
    const second = await signMessage(message(INIT, HEADERS), {
      key: HMAC_KEY,
      label: 'strong',
      now: () => NOW,
    })
    const both = withSignature(
      `${first.signatureInput}, ${second.signatureInput}`,
      `${first.signature}, ${second.signature}`,
    )
    expect(await verify(both, policy())).toMatchObject({ ok: true, label: 'strong' })
    // With a label only that one is considered, and its refusal is the answer.
    expectRefused(await verify(both, policy({ label: 'weak' })), 'insufficient-coverage')
  })

  it('Signature-Input and Signature sent as several field lines are combined', async () => {
    const first = await sign({ label: 'sig1' })
    const second = await sign({ label: 'sig2' })
    const m = message(INIT, [
      ...HEADERS,
      ['Signature-Input', first.signatureInput],
      ['Signature', second.signature],
      ['Signature-Input', second.signatureInput],
      ['Signature', first.signature],
    ])
    expect(await verify(m, policy({ label: 'sig1' }))).toMatchObject({ ok: true, label: 'sig1' })
    expect(await verify(m, policy({ label: 'sig2' }))).toMatchObject({ ok: true, label: 'sig2' })
  })
})

// ---------------------------------------------------------------------------------------------
// 2. Every failure code

describe('missing-signature', () => {
  it('no Signature-Input nor Signature field', async () => {
    expectRefused(await verify(message(INIT, HEADERS), policy()), 'missing-signature')
  })

  it('Signature-Input without Signature', async () => {
    const signed = await sign()
    const m = message(INIT, [...HEADERS, ['Signature-Input', signed.signatureInput]])
    expectRefused(await verify(m, policy()), 'missing-signature')
  })

  it('Signature without Signature-Input', async () => {
    const signed = await sign()
    const m = message(INIT, [...HEADERS, ['Signature', signed.signature]])
    expectRefused(await verify(m, policy()), 'missing-signature')
  })

  it('the label the policy asks for is not present', async () => {
    const signed = await sign({ label: 'sig1' })
    expectRefused(await verify(signed.message, policy({ label: 'sig2' })), 'missing-signature')
  })

  it('no signature carries the tag the policy asks for', async () => {
    const signed = await sign({ tag: 'webhooks' })
    expectRefused(await verify(signed.message, policy({ tag: 'orders' })), 'missing-signature')
  })
})

describe('malformed', () => {
  it('Signature-Input that is not a structured dictionary', async () => {
    const signed = await sign()
    expectRefused(
      await verify(withSignature('sig1=(("@method"', signed.signature), policy()),
      'malformed',
    )
    expectRefused(
      await verify(withSignature('not a dictionary !', signed.signature), policy()),
      'malformed',
    )
  })

  it('Signature that is not a structured dictionary', async () => {
    const signed = await sign()
    expectRefused(
      await verify(withSignature(signed.signatureInput, 'sig1=:not base64!:'), policy()),
      'malformed',
    )
  })

  it('a Signature member that is not a byte sequence', async () => {
    const signed = await sign()
    const asString = `sig1="${toBase64(new Uint8Array(32))}"`
    expectRefused(
      await verify(withSignature(signed.signatureInput, asString), policy()),
      'malformed',
    )
    expectRefused(
      await verify(withSignature(signed.signatureInput, 'sig1=(:AAAA:)'), policy()),
      'malformed',
    )
  })

  it('a label in Signature-Input with no member in Signature', async () => {
    const signed = await sign()
    expectRefused(
      await verify(withSignature(signed.signatureInput, 'other=:AAAA:'), policy()),
      'malformed',
    )
  })

  it('created="x": a parameter of the wrong type', async () => {
    const input = `sig1=(${COVERED});created="x";nonce="n-1";keyid="hmac"`
    const result = await verify(withSignature(input, ZERO_SIGNATURE), policy())
    expectRefused(result, 'malformed')
    expect(result).toMatchObject({ reason: expect.stringContaining('created') })
    const keyidNumber = `sig1=(${COVERED});created=${CREATED};nonce="n-1";keyid=1`
    expectRefused(await verify(withSignature(keyidNumber, ZERO_SIGNATURE), policy()), 'malformed')
  })

  it('a Signature-Input member that is an Item where an inner list is needed', async () => {
    expectRefused(
      await verify(withSignature('sig1="@method";keyid="hmac"', ZERO_SIGNATURE), policy()),
      'malformed',
    )
  })

  it('an unknown derived component (@foo)', async () => {
    const input = `sig1=(${COVERED} "@foo")${PARAMS}`
    const result = await verify(withSignature(input, ZERO_SIGNATURE), policy())
    expectRefused(result, 'malformed')
    expect(result).toMatchObject({ reason: expect.stringContaining('@foo'), keyid: 'hmac' })
  })

  it('a field name with upper case in the identifier', async () => {
    const input = `sig1=(${COVERED} "Content-Type")${PARAMS}`
    expectRefused(await verify(withSignature(input, ZERO_SIGNATURE), policy()), 'malformed')
  })

  it('a component covered twice', async () => {
    const input = `sig1=(${COVERED} "@method")${PARAMS}`
    const result = await verify(withSignature(input, ZERO_SIGNATURE), policy())
    expectRefused(result, 'malformed')
    expect(result).toMatchObject({ reason: expect.stringContaining('twice') })
  })

  it('a nonce longer than 256 characters', async () => {
    const signed = await sign({ nonce: 'n'.repeat(257) })
    expectRefused(await verify(signed.message, policy()), 'malformed')
  })
})

describe('insufficient-coverage', () => {
  it('a component the policy requires is not covered', async () => {
    const signed = await sign({ components: ['@method', '@authority', '@path', 'content-digest'] })
    const result = await verify(
      signed.message,
      policy({ components: ['@method', '@authority', '@path', 'content-type'], coverQuery: false }),
    )
    expectRefused(result, 'insufficient-coverage')
    expect(result).toMatchObject({ reason: expect.stringContaining('content-type') })
  })

  it('a parameter the policy requires is absent (no nonce)', async () => {
    const signed = await sign({ nonce: false })
    const result = await verify(signed.message, policy())
    expectRefused(result, 'insufficient-coverage')
    expect(result).toMatchObject({ reason: expect.stringContaining('nonce'), keyid: 'hmac' })
    // Not required, no refusal.
    expect(await verify(signed.message, policy({ params: ['created', 'keyid'] }))).toMatchObject({
      ok: true,
    })
  })

  it('content-digest must be covered when the message has a body', async () => {
    const signed = await sign({ components: ['@method', '@authority', '@path', '@query'] })
    expectRefused(await verify(signed.message, policy()), 'insufficient-coverage')
    // Without a body, 'with-body' does not ask for it; 'always' does.
    const noBody = { hasBody: false, body: async () => undefined }
    expect(await verify(signed.message, policy(), noBody)).toMatchObject({ ok: true })
    expectRefused(
      await verify(signed.message, policy({ digest: 'always' }), noBody),
      'insufficient-coverage',
    )
  })

  it('a query that is present but not covered (coverQuery: true)', async () => {
    const signed = await sign({ components: ['@method', '@authority', '@path', 'content-digest'] })
    const result = await verify(signed.message, policy())
    expectRefused(result, 'insufficient-coverage')
    expect(result).toMatchObject({ reason: expect.stringContaining('@query') })
    expect(await verify(signed.message, policy({ coverQuery: false }))).toMatchObject({ ok: true })
  })

  it('no query (or an empty one) need not be covered', async () => {
    const components = ['@method', '@authority', '@path', 'content-digest']
    for (const query of [undefined, '']) {
      const init = { ...INIT, target: { ...INIT.target, query } }
      const signed = await sign({ components }, HEADERS, init)
      expect(await verify(signed.message, policy())).toMatchObject({ ok: true })
    }
  })

  it('@target-uri covers @authority, @path and @query', async () => {
    const signed = await sign({ components: ['@method', '@target-uri', 'content-digest'] })
    expect(await verify(signed.message, policy())).toMatchObject({ ok: true })
  })

  it('@request-target covers @path and @query, but not @authority', async () => {
    const signed = await sign({ components: ['@method', '@request-target', 'content-digest'] })
    const result = await verify(signed.message, policy())
    expectRefused(result, 'insufficient-coverage')
    expect(result).toMatchObject({ reason: expect.stringContaining('@authority') })
    const withAuthority = await sign({
      components: ['@method', '@authority', '@request-target', 'content-digest'],
    })
    expect(await verify(withAuthority.message, policy())).toMatchObject({ ok: true })
  })

  it('a required identifier with parameters must be covered exactly', async () => {
    const signed = await sign()
    expectRefused(
      await verify(signed.message, policy({ components: ['"@query-param";name="id"'] })),
      'insufficient-coverage',
    )
    const byParam = await sign({
      components: [
        '@method',
        '@authority',
        '@path',
        '@query',
        'content-digest',
        '"@query-param";name="id"',
      ],
    })
    expect(
      await verify(byParam.message, policy({ components: ['"@query-param";name="id"'] })),
    ).toMatchObject({ ok: true })
  })
})

describe('insufficient-coverage: responses and req', () => {
  const requestMessage = () => message(INIT, HEADERS)

  async function signedResponse(components: string[]): Promise<HttpMessage> {
    const headers: Header[] = [
      ['Content-Type', 'application/json'],
      ['Content-Digest', await contentDigest(BODY, ['sha-256'])],
    ]
    const fields = await signMessage(
      message({ status: 200 }, headers),
      { key: HMAC_KEY, now: () => NOW, components },
      requestMessage(),
    )
    return message({ status: 200 }, [
      ...headers,
      ['Signature-Input', fields.signatureInput],
      ['Signature', fields.signature],
    ])
  }

  it('a req component does not stand for a component of the response itself', async () => {
    const response = await signedResponse(['@status', '"@method";req', 'content-digest'])
    const ok = await verify(response, policy({ components: ['@status'] }), {
      request: requestMessage(),
    })
    expect(ok).toMatchObject({ ok: true })
    const result = await verify(response, policy({ components: ['@status', '@method'] }), {
      request: requestMessage(),
    })
    expectRefused(result, 'insufficient-coverage')
  })

  it('a required req identifier ("@method";req) is satisfied by covering it', async () => {
    const response = await signedResponse(['@status', '"@method";req', 'content-digest'])
    const result = await verify(response, policy({ components: ['@status', '"@method";req'] }), {
      request: requestMessage(),
    })
    expect(result).toMatchObject({ ok: true })
  })
})

describe('unknown-key', () => {
  it('a keyid no key has', async () => {
    const signed = await sign({ key: { ...HMAC_KEY, id: 'someone-else' } })
    const result = await verify(signed.message, policy())
    expectRefused(result, 'unknown-key')
    expect(result).toMatchObject({ keyid: 'someone-else', label: 'sig1' })
  })

  it('no keyid parameter at all (when the policy does not require one)', async () => {
    const input = `sig1=(${COVERED});created=${CREATED};nonce="n-1"`
    expectRefused(
      await verify(withSignature(input, ZERO_SIGNATURE), policy({ params: ['created'] })),
      'unknown-key',
    )
  })

  it('a key revoked with keyring.revoke()', async () => {
    const keys = keyring([HMAC_KEY])
    const signed = await sign()
    expect(await verify(signed.message, policy({ keys }))).toMatchObject({ ok: true })
    expect(keys.revoke('hmac')).toBe(true)
    const again = await sign()
    const result = await verify(again.message, policy({ keys }))
    expectRefused(result, 'unknown-key')
    expect(result).toMatchObject({ reason: expect.stringContaining('revoked') })
  })

  it('a key given as revoked', async () => {
    const signed = await sign()
    const keys = keyring([{ ...HMAC_KEY, revoked: true }])
    expectRefused(await verify(signed.message, policy({ keys })), 'unknown-key')
  })

  it('a key whose notBefore lies in the future (valid from notBefore on)', async () => {
    const signed = await sign()
    const early = keyring([{ ...HMAC_KEY, notBefore: NOW + 1 }])
    expectRefused(await verify(signed.message, policy({ keys: early })), 'unknown-key')
    const onTime = keyring([{ ...HMAC_KEY, notBefore: new Date(NOW) }])
    expect(await verify(signed.message, policy({ keys: onTime }))).toMatchObject({ ok: true })
  })

  it('a key whose expires lies in the past (invalid from expires on)', async () => {
    const signed = await sign()
    const expired = keyring([{ ...HMAC_KEY, expires: new Date(NOW - 1) }])
    expectRefused(await verify(signed.message, policy({ keys: expired })), 'unknown-key')
    const atBoundary = keyring([{ ...HMAC_KEY, expires: NOW }])
    expectRefused(await verify(signed.message, policy({ keys: atBoundary })), 'unknown-key')
    const valid = keyring([{ ...HMAC_KEY, expires: NOW + 1 }])
    expect(await verify(signed.message, policy({ keys: valid }))).toMatchObject({ ok: true })
  })

  it('a client IP outside allowedIps', async () => {
    const signed = await sign()
    const keys = keyring([{ ...HMAC_KEY, allowedIps: ['198.51.100.1'] }])
    const result = await verify(signed.message, policy({ keys }))
    expectRefused(result, 'unknown-key')
    expect(result).toMatchObject({ reason: expect.stringContaining('ip-not-allowed') })
    expectRefused(await verify(signed.message, policy({ keys }), { ip: undefined }), 'unknown-key')
  })

  it('allowedIps matches a CIDR range (IPv4 and IPv6)', async () => {
    const keys = () => keyring([{ ...HMAC_KEY, allowedIps: ['203.0.113.0/24', '2001:db8::/32'] }])
    for (const ip of ['203.0.113.7', '203.0.113.254', '2001:db8::1']) {
      const signed = await sign()
      expect(await verify(signed.message, policy({ keys: keys() }), { ip })).toMatchObject({
        ok: true,
      })
    }
    const signed = await sign()
    expectRefused(
      await verify(signed.message, policy({ keys: keys() }), { ip: '203.0.114.7' }),
      'unknown-key',
    )
  })
})

describe('alg-mismatch', () => {
  it('an alg parameter other than the algorithm the key is pinned to, refused before any crypto', async () => {
    const keys = keyring([HMAC_KEY])
    await keys.ready()
    // Signed with an Ed25519 key under the HMAC key's keyid, claiming alg="ed25519".
    const signed = await sign({
      key: { id: 'hmac', alg: 'ed25519', key: ED_A.privateKey },
      alg: true,
    })
    expect(signed.signatureInput).toContain('alg="ed25519"')
    const p = policy({ keys })
    const verifySpy = vi.spyOn(crypto.subtle, 'verify')
    const importSpy = vi.spyOn(crypto.subtle, 'importKey')
    const result = await verify(signed.message, p)
    expectRefused(result, 'alg-mismatch')
    expect(result).toMatchObject({ keyid: 'hmac' })
    expect(verifySpy).not.toHaveBeenCalled()
    expect(importSpy).not.toHaveBeenCalled()
  })

  it('an alg parameter naming an unregistered algorithm', async () => {
    const input = `sig1=(${COVERED})${PARAMS};alg="hmac-sha1"`
    expectRefused(await verify(withSignature(input, ZERO_SIGNATURE), policy()), 'alg-mismatch')
  })

  it('the alg parameter matching the key is accepted', async () => {
    const signed = await sign({ alg: true })
    expect(signed.signatureInput).toContain('alg="hmac-sha256"')
    expect(await verify(signed.message, policy())).toMatchObject({ ok: true, alg: 'hmac-sha256' })
  })
})

describe('expired', () => {
  it('an expires parameter in the past', async () => {
    const signed = await sign({ expiresIn: 30 })
    const result = await verify(signed.message, policy(), { now: NOW + 31_000 })
    expectRefused(result, 'expired')
    expect(result).toMatchObject({ keyid: 'hmac' })
  })

  it('at the boundary (expires * 1000 === now) the signature has expired', async () => {
    const signed = await sign({ expiresIn: 30 })
    expectRefused(await verify(signed.message, policy(), { now: (CREATED + 30) * 1000 }), 'expired')
    const justBefore = await sign({ expiresIn: 30 })
    expect(
      await verify(justBefore.message, policy(), { now: (CREATED + 30) * 1000 - 1 }),
    ).toMatchObject({ ok: true })
  })
})

describe('too-old', () => {
  it('created + maxAge before now', async () => {
    const signed = await sign()
    expectRefused(await verify(signed.message, policy(), { now: NOW + 300_001 }), 'too-old')
  })

  it('created + maxAge === now is still accepted', async () => {
    const signed = await sign()
    expect(await verify(signed.message, policy(), { now: NOW + 300_000 })).toMatchObject({
      ok: true,
    })
  })
})

describe('created-in-future', () => {
  it('created beyond the allowed skew', async () => {
    const signed = await sign()
    expectRefused(await verify(signed.message, policy(), { now: NOW - 5_001 }), 'created-in-future')
  })

  it('created within the skew (and exactly at it) is accepted', async () => {
    for (const now of [NOW - 4_000, NOW - 5_000]) {
      const signed = await sign()
      expect(await verify(signed.message, policy(), { now })).toMatchObject({ ok: true })
    }
  })
})

describe('invalid-signature', () => {
  it('a flipped byte in the signature', async () => {
    const signed = await sign()
    const bytes = fromBase64(signed.signature.slice('sig1=:'.length, -1)) as Uint8Array
    bytes[5] = (bytes[5] as number) ^ 0x01
    const forged = withSignature(signed.signatureInput, `sig1=:${toBase64(bytes)}:`)
    const result = await verify(forged, policy())
    expectRefused(result, 'invalid-signature')
    expect(result).toMatchObject({ keyid: 'hmac', label: 'sig1' })
  })

  it('a covered header changed after signing', async () => {
    const signed = await sign()
    const tampered = message(INIT, replaceHeader(signed.headers, 'content-type', 'text/plain'))
    expectRefused(await verify(tampered, policy()), 'invalid-signature')
  })

  it('a covered header absent from the message', async () => {
    const signed = await sign(
      {
        components: ['@method', '@authority', '@path', '@query', 'content-digest', 'x-tenant'],
      },
      [...HEADERS, ['X-Tenant', 'acme']],
    )
    expect(await verify(signed.message, policy())).toMatchObject({ ok: true })
    const without = message(
      INIT,
      signed.headers.filter(([n]) => n !== 'X-Tenant'),
    )
    const result = await verify(without, policy())
    expectRefused(result, 'invalid-signature')
    expect(result).toMatchObject({ reason: expect.stringContaining('x-tenant') })
  })

  it('a signature by a different key of the same algorithm', async () => {
    const keys = keyring([{ id: 'ed', alg: 'ed25519', key: ED_A.publicKey }])
    const byB = await sign({ key: { id: 'ed', alg: 'ed25519', key: ED_B.privateKey } })
    expectRefused(await verify(byB.message, policy({ keys })), 'invalid-signature')
    const byA = await sign({ key: { id: 'ed', alg: 'ed25519', key: ED_A.privateKey } })
    expect(await verify(byA.message, policy({ keys }))).toMatchObject({ ok: true })
  })

  it('a signature of the wrong length (never a thrown error)', async () => {
    const keys = keyring([{ id: 'ed', alg: 'ed25519', key: ED_A.publicKey }])
    const input = `sig1=(${COVERED});created=${CREATED};nonce="n-1";keyid="ed"`
    expectRefused(
      await verify(withSignature(input, 'sig1=:AAAA:'), policy({ keys })),
      'invalid-signature',
    )
  })
})

describe('digest-mismatch', () => {
  it('a covered Content-Digest that does not match the body', async () => {
    const signed = await sign()
    const result = await verify(signed.message, policy(), {
      body: async () => utf8('{"item":"book","qty":100}'),
    })
    expectRefused(result, 'digest-mismatch')
    expect(result).toMatchObject({ reason: expect.stringContaining('mismatch') })
  })

  it('only an md5 digest (no sha-256 nor sha-512)', async () => {
    const headers: Header[] = [
      ['Content-Type', 'application/json'],
      ['Content-Digest', `md5=:${toBase64(new Uint8Array(16))}:`],
    ]
    const signed = await sign({}, headers)
    const result = await verify(signed.message, policy())
    expectRefused(result, 'digest-mismatch')
    expect(result).toMatchObject({ reason: expect.stringContaining('unsupported') })
  })

  it('a digest with an algorithm the policy does not accept', async () => {
    const headers: Header[] = [
      ['Content-Type', 'application/json'],
      ['Content-Digest', await contentDigest(BODY, ['sha-512'])],
    ]
    const signed = await sign({}, headers)
    expect(await verify(signed.message, policy())).toMatchObject({ ok: true })
    const again = await sign({}, headers)
    expectRefused(
      await verify(again.message, policy({ digestAlgorithms: ['sha-256'] })),
      'digest-mismatch',
    )
  })

  it('a stale second digest is not hidden by a good first one', async () => {
    const good = await contentDigest(BODY, ['sha-256'])
    const headers: Header[] = [
      ['Content-Type', 'application/json'],
      ['Content-Digest', `${good}, sha-512=:${toBase64(new Uint8Array(64))}:`],
    ]
    const signed = await sign({}, headers)
    expectRefused(await verify(signed.message, policy()), 'digest-mismatch')
  })

  it('a covered Content-Digest on a message without content is checked against no bytes', async () => {
    const signed = await sign()
    expectRefused(
      await verify(signed.message, policy(), { hasBody: false, body: async () => undefined }),
      'digest-mismatch',
    )
  })
})

describe('replayed', () => {
  it('the same nonce twice with a shared store: the second is a replay', async () => {
    const store = memoryStore()
    const nonces = { store, prefix: 'nonce:' }
    const signed = await sign()
    expect(await verify(signed.message, policy({ nonces }))).toMatchObject({ ok: true })
    const second = await verify(signed.message, policy({ nonces }))
    expectRefused(second, 'replayed')
    expect(second).toMatchObject({ keyid: 'hmac' })
    // A fresh signature (new nonce) of the same request is no replay.
    const fresh = await sign()
    expect(await verify(fresh.message, policy({ nonces }))).toMatchObject({ ok: true })
  })

  it('different keyids with the same nonce are not replays', async () => {
    const nonces = { store: memoryStore(), prefix: 'nonce:' }
    const keyA: VerifyKey = { id: 'partner-a', alg: 'hmac-sha256', key: SECRET }
    const keyB: VerifyKey = { id: 'partner-b', alg: 'hmac-sha256', key: SECRET }
    const keys = keyring([keyA, keyB])
    const byA = await sign({ key: keyA, nonce: 'same-nonce' })
    const byB = await sign({ key: keyB, nonce: 'same-nonce' })
    expect(await verify(byA.message, policy({ keys, nonces }))).toMatchObject({ ok: true })
    expect(await verify(byB.message, policy({ keys, nonces }))).toMatchObject({ ok: true })
    expectRefused(await verify(byA.message, policy({ keys, nonces })), 'replayed')
  })

  it('an invalid signature does not burn the nonce', async () => {
    const nonces = { store: memoryStore(), prefix: 'nonce:' }
    const genuine = await sign({ nonce: 'the-nonce' })
    const forged = withSignature(genuine.signatureInput, ZERO_SIGNATURE)
    expectRefused(await verify(forged, policy({ nonces })), 'invalid-signature')
    expect(await verify(genuine.message, policy({ nonces }))).toMatchObject({ ok: true })
  })

  it('a digest mismatch does not burn the nonce either', async () => {
    const nonces = { store: memoryStore(), prefix: 'nonce:' }
    const genuine = await sign({ nonce: 'the-nonce' })
    expectRefused(
      await verify(genuine.message, policy({ nonces }), { body: async () => utf8('other') }),
      'digest-mismatch',
    )
    expect(await verify(genuine.message, policy({ nonces }))).toMatchObject({ ok: true })
  })

  it('without a nonce store nothing is claimed', async () => {
    const signed = await sign()
    const noStore = policy({ nonces: undefined })
    expect(await verify(signed.message, noStore)).toMatchObject({ ok: true })
    expect(await verify(signed.message, noStore)).toMatchObject({ ok: true })
  })
})

// ---------------------------------------------------------------------------------------------
// 3. The raw body

describe('RawBodyUnavailableError', () => {
  it('is thrown when content-digest is covered, the message has a body and body() is undefined', async () => {
    const signed = await sign()
    await expect(
      verify(signed.message, policy(), { hasBody: true, body: async () => undefined }),
    ).rejects.toBeInstanceOf(RawBodyUnavailableError)
    await expect(
      verify(signed.message, policy(), { hasBody: true, body: async () => undefined }),
    ).rejects.toThrow(/mount the signer before any body parser/)
  })

  it('is not thrown when content-digest is not covered (the body is never read)', async () => {
    const signed = await sign({ components: ['@method', '@authority', '@path', '@query'] })
    const body = vi.fn(async () => undefined)
    const result = await verify(signed.message, policy({ digest: 'never' }), { body })
    expect(result).toMatchObject({ ok: true })
    expect(body).not.toHaveBeenCalled()
  })
})

// ---------------------------------------------------------------------------------------------
// Field types given in the options

describe('fieldTypes', () => {
  const exampleDict: Header = ['Example-Dict', ' a=1,    b=2;x=1;y=2,   c=(a   b   c)']

  it('a field of a declared type signs and verifies with sf and key', async () => {
    const fieldTypes = { 'example-dict': 'dictionary' } as const
    const signed = await sign(
      {
        components: [
          ...COVERED.split(' ').map((c) => c.slice(1, -1)),
          '"example-dict";sf',
          '"example-dict";key="b"',
        ],
        fieldTypes,
      },
      [...HEADERS, exampleDict],
    )
    expect(await verify(signed.message, policy({ fieldTypes }))).toMatchObject({ ok: true })
  })

  it('fieldTypes adds to the registered structured fields (content-digest;sf still works)', async () => {
    const signed = await sign(
      {
        components: ['@method', '@authority', '@path', '@query', '"content-digest";sf'],
        fieldTypes: { 'example-dict': 'dictionary', 'content-digest': 'dictionary' },
      },
      [...HEADERS, exampleDict],
    )
    const { policy: resolved } = resolveOptions({
      keys: [HMAC_KEY],
      fieldTypes: { 'example-dict': 'dictionary' },
    })
    expect(await verify(signed.message, resolved)).toMatchObject({ ok: true })
  })
})

describe('bounded work', () => {
  it('refuses a message with more signatures than MAX_SIGNATURES before any cryptography', async () => {
    const labels = Array.from({ length: MAX_SIGNATURES + 1 }, (_, i) => `s${i}`)
    const m = message(INIT, [
      ...HEADERS,
      ['Signature-Input', labels.map((l) => `${l}=();created=1;keyid="k"`).join(', ')],
      ['Signature', labels.map((l) => `${l}=:AAAA:`).join(', ')],
    ])
    expectRefused(await verify(m, policy()), 'malformed')
  })
})
