// RFC 9421 Appendix B.2.5 (HMAC) and B.2.6 (Ed25519) reproduced byte for byte, and verified;
// RFC 9530's digest examples. (B.2.1–B.2.4 use RSA and EC keys in formats only Node converts:
// rfc9421.node.test.ts.)
import { describe, expect, it } from 'vitest'
import { fromBase64, toBase64 } from './bytes.js'
import { checkContentDigest, contentDigest } from './digest.js'
import { keyring } from './keyring.js'
import { signMessage } from './sign.js'
import {
  appendixPolicy,
  CREATED,
  message,
  REQUEST_BODY,
  REQUEST_HEADERS,
  REQUEST_INIT,
  TEST_KEY_ED25519,
  TEST_SHARED_SECRET,
} from './test-support/rfc9421.js'
import { type VerifyPolicy, verifyMessage } from './verify.js'

const secret = fromBase64(TEST_SHARED_SECRET) as Uint8Array
const request = message(REQUEST_INIT, REQUEST_HEADERS)
const at = CREATED * 1000

async function ed25519PublicJwk(): Promise<JsonWebKey> {
  const der = fromBase64(
    TEST_KEY_ED25519.split('\n').slice(1, -1).join(''),
  ) as Uint8Array<ArrayBuffer>
  const key = await crypto.subtle.importKey('pkcs8', der, { name: 'Ed25519' }, true, ['sign'])
  const { d: _private, ...pub } = await crypto.subtle.exportKey('jwk', key)
  return { ...pub, key_ops: ['verify'] }
}

const policy = appendixPolicy

function withSignature(input: string, signature: string) {
  return message(REQUEST_INIT, [
    ...REQUEST_HEADERS,
    ['Signature-Input', input],
    ['Signature', signature],
  ])
}

const verifyAt = (m: ReturnType<typeof message>, p: VerifyPolicy, now = at) =>
  verifyMessage({ message: m, hasBody: false, body: async () => undefined, ip: undefined, now }, p)

describe('RFC 9421 B.2.5: HMAC-SHA256', () => {
  const input =
    'sig-b25=("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret"'
  const signature = 'sig-b25=:pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8=:'

  it('signs byte for byte as the RFC', async () => {
    const fields = await signMessage(request, {
      key: { id: 'test-shared-secret', alg: 'hmac-sha256', key: secret },
      label: 'sig-b25',
      components: ['date', '@authority', 'content-type'],
      nonce: false,
      now: () => at,
    })
    expect(fields.base).toBe(
      [
        '"date": Tue, 20 Apr 2021 02:07:55 GMT',
        '"@authority": example.com',
        '"content-type": application/json',
        '"@signature-params": ("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret"',
      ].join('\n'),
    )
    expect(fields.signatureInput).toBe(input)
    expect(fields.signature).toBe(signature)
  })

  it('verifies, and refuses a tampered message', async () => {
    const keys = keyring([{ id: 'test-shared-secret', alg: 'hmac-sha256', key: secret }])
    const ok = await verifyAt(withSignature(input, signature), policy(keys))
    expect(ok).toMatchObject({ ok: true, keyid: 'test-shared-secret', label: 'sig-b25' })
    const tampered = message(REQUEST_INIT, [
      ...REQUEST_HEADERS.map(([n, v]): [string, string] => [n, n === 'Date' ? `${v} x` : v]),
      ['Signature-Input', input],
      ['Signature', signature],
    ])
    expect(await verifyAt(tampered, policy(keys))).toMatchObject({
      ok: false,
      code: 'invalid-signature',
    })
  })
})

describe('RFC 9421 B.2.6: Ed25519', () => {
  const input =
    'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"'
  const signature =
    'sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:'

  it('signs byte for byte as the RFC (Ed25519 is deterministic)', async () => {
    const fields = await signMessage(request, {
      key: { id: 'test-key-ed25519', alg: 'ed25519', key: TEST_KEY_ED25519 },
      label: 'sig-b26',
      components: ['date', '@method', '@path', '@authority', 'content-type', 'content-length'],
      nonce: false,
      now: () => at,
    })
    expect(fields.signatureInput).toBe(input)
    expect(fields.signature).toBe(signature)
  })

  it('verifies with the public key', async () => {
    const keys = keyring([
      { id: 'test-key-ed25519', alg: 'ed25519', key: await ed25519PublicJwk() },
    ])
    expect(await verifyAt(withSignature(input, signature), policy(keys))).toMatchObject({
      ok: true,
      alg: 'ed25519',
    })
  })
})

describe('RFC 9530 digests', () => {
  it('reproduces the examples for {"hello": "world"}', async () => {
    expect(await contentDigest(new TextEncoder().encode(REQUEST_BODY), ['sha-256'])).toBe(
      'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:',
    )
    const sha512 = await contentDigest(new TextEncoder().encode(REQUEST_BODY), ['sha-512'])
    expect(sha512).toBe(REQUEST_HEADERS.find(([n]) => n === 'Content-Digest')?.[1])
  })

  it('checks every accepted digest, ignores unknown ones, and refuses a weak one alone', async () => {
    const body = new TextEncoder().encode(REQUEST_BODY)
    const good = await contentDigest(body, ['sha-256', 'sha-512'])
    expect(await checkContentDigest(good, body)).toBe('ok')
    expect(await checkContentDigest(`md5=:AAAA:, ${good}`, body)).toBe('ok')
    expect(await checkContentDigest('md5=:AAAA:', body)).toBe('unsupported')
    const stale = `sha-256=:${toBase64(new Uint8Array(32))}:, ${good.split(', ')[1]}`
    expect(await checkContentDigest(stale, body)).toBe('mismatch')
    expect(await checkContentDigest('sha-256=notbytes', body)).toBe('malformed')
    expect(await checkContentDigest('sha-256=:%%%:', body)).toBe('malformed')
    expect(await checkContentDigest(undefined, body)).toBe('missing')
  })
})
