// RFC 9421 Appendix B.2.1–B.2.4 verified (RSA-PSS signatures are randomised and ECDSA ones may
// be, so these are checked, not reproduced). The RFC's RSA-PSS and P-256 keys come in PKCS #8
// with the RSASSA-PSS OID and in SEC 1, which Web Crypto does not import: Node converts them to
// JWKs first, so this file runs on Node only.
import { createPrivateKey, createPublicKey } from 'node:crypto'
import { memoryStore } from '@rampart/core'
import { describe, expect, it } from 'vitest'
import { keyring } from './keyring.js'
import {
  appendixPolicy,
  CREATED,
  message,
  REQUEST_BODY,
  REQUEST_HEADERS,
  REQUEST_INIT,
  RESPONSE_HEADERS,
  TEST_KEY_ECC_P256,
  TEST_KEY_RSA_PSS,
} from './test-support/rfc9421.js'
import { type VerifyPolicy, verifyMessage } from './verify.js'

const jwkOf = (pem: string) => createPublicKey(pem).export({ format: 'jwk' }) as JsonWebKey

/**
 * The RSA-PSS key's public JWK. Node will not export an `rsa-pss` key as a JWK, so the PKCS #1
 * key inside the PKCS #8 wrapper (after its 24-byte header: version and the RSASSA-PSS
 * algorithm identifier) is read as a plain RSA key.
 */
function rsaPssJwk(pem: string): JsonWebKey {
  const der = Buffer.from(pem.split('\n').slice(1, -1).join(''), 'base64')
  const inner = createPrivateKey({ key: der.subarray(24), format: 'der', type: 'pkcs1' })
  return createPublicKey(inner).export({ format: 'jwk' }) as JsonWebKey
}

const keys = keyring([
  { id: 'test-key-rsa-pss', alg: 'rsa-pss-sha512', key: rsaPssJwk(TEST_KEY_RSA_PSS) },
  { id: 'test-key-ecc-p256', alg: 'ecdsa-p256-sha256', key: jwkOf(TEST_KEY_ECC_P256) },
])

const policy: VerifyPolicy = appendixPolicy(keys)

function verify(
  init: Parameters<typeof message>[0],
  headers: readonly (readonly [string, string])[],
  input: string,
  signature: string,
  body = REQUEST_BODY,
) {
  const m = message(init, [...headers, ['Signature-Input', input], ['Signature', signature]])
  return verifyMessage(
    {
      message: m,
      hasBody: true,
      body: async () => new TextEncoder().encode(body),
      ip: undefined,
      now: CREATED * 1000,
    },
    policy,
  )
}

describe('RFC 9421 Appendix B.2 (RSA-PSS, ECDSA P-256)', () => {
  it('B.2.1: minimal signature with no components, and a nonce', async () => {
    const result = await verify(
      REQUEST_INIT,
      REQUEST_HEADERS,
      'sig-b21=();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd"',
      'sig-b21=:d2pmTvmbncD3xQm8E9ZV2828BjQWGgiwAaw5bAkgibUopemLJcWDy/lkbbHAve4cRAtx31Iq786U7it++wgGxbtRxf8Udx7zFZsckzXaJMkA7ChG52eSkFxykJeNqsrWH5S+oxNFlD4dzVuwe8DhTSja8xxbR/Z2cOGdCbzR72rgFWhzx2VjBqJzsPLMIQKhO4DGezXehhWwE56YCE+O6c0mKZsfxVrogUvA4HELjVKWmAvtl6UnCh8jYzuVG5WSb/QEVPnP5TmcAnLH1g+s++v6d4s8m0gCw1fV5/SITLq9mhho8K3+7EPYTU8IU1bLhdxO5Nyt8C8ssinQ98Xw9Q==:',
    )
    expect(result).toMatchObject({
      ok: true,
      alg: 'rsa-pss-sha512',
      nonce: 'b3k2pp5k7z-50gnwp.yemd',
    })
  })

  it('B.2.2: selective coverage with @query-param and a tag', async () => {
    const result = await verify(
      REQUEST_INIT,
      REQUEST_HEADERS,
      'sig-b22=("@authority" "content-digest" "@query-param";name="Pet");created=1618884473;keyid="test-key-rsa-pss";tag="header-example"',
      'sig-b22=:LjbtqUbfmvjj5C5kr1Ugj4PmLYvx9wVjZvD9GsTT4F7GrcQEdJzgI9qHxICagShLRiLMlAJjtq6N4CDfKtjvuJyE5qH7KT8UCMkSowOB4+ECxCmT8rtAmj/0PIXxi0A0nxKyB09RNrCQibbUjsLS/2YyFYXEu4TRJQzRw1rLEuEfY17SARYhpTlaqwZVtR8NV7+4UKkjqpcAoFqWFQh62s7Cl+H2fjBSpqfZUJcsIk4N6wiKYd4je2U/lankenQ99PZfB4jY3I5rSV2DSBVkSFsURIjYErOs0tFTQosMTAoxk//0RoKUqiYY8Bh0aaUEb0rQl3/XaVe4bXTugEjHSw==:',
    )
    expect(result).toMatchObject({ ok: true, tag: 'header-example' })
  })

  it('B.2.3: full coverage (and the Content-Digest it covers is checked against the body)', async () => {
    const result = await verify(
      REQUEST_INIT,
      REQUEST_HEADERS,
      'sig-b23=("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss"',
      'sig-b23=:bbN8oArOxYoyylQQUU6QYwrTuaxLwjAC9fbY2F6SVWvh0yBiMIRGOnMYwZ/5MR6fb0Kh1rIRASVxFkeGt683+qRpRRU5p2voTp768ZrCUb38K0fUxN0O0iC59DzYx8DFll5GmydPxSmme9v6ULbMFkl+V5B1TP/yPViV7KsLNmvKiLJH1pFkh/aYA2HXXZzNBXmIkoQoLd7YfW91kE9o/CCoC1xMy7JA1ipwvKvfrs65ldmlu9bpG6A9BmzhuzF8Eim5f8ui9eH8LZH896+QIF61ka39VBrohr9iyMUJpvRX2Zbhl5ZJzSRxpJyoEZAFL2FUo5fTIztsDZKEgM4cUA==:',
    )
    expect(result).toMatchObject({ ok: true })
  })

  it('B.2.4: a signed response (ECDSA P-256)', async () => {
    const result = await verify(
      { status: 200 },
      RESPONSE_HEADERS,
      'sig-b24=("@status" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-ecc-p256"',
      'sig-b24=:wNmSUAhwb5LxtOtOpNa6W5xj067m5hFrj0XQ4fvpaCLx0NKocgPquLgyahnzDnDAUy5eCdlYUEkLIj+32oiasw==:',
      '{"message": "good dog"}',
    )
    expect(result).toMatchObject({ ok: true, alg: 'ecdsa-p256-sha256' })
  })

  it('two signatures on one message (B.2.1 and B.2.2 together): either verifies', async () => {
    const m = message(REQUEST_INIT, [
      ...REQUEST_HEADERS,
      [
        'Signature-Input',
        'sig-b21=();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd"',
      ],
      [
        'Signature-Input',
        'sig-b22=("@authority" "content-digest" "@query-param";name="Pet");created=1618884473;keyid="test-key-rsa-pss";tag="header-example"',
      ],
      [
        'Signature',
        'sig-b21=:d2pmTvmbncD3xQm8E9ZV2828BjQWGgiwAaw5bAkgibUopemLJcWDy/lkbbHAve4cRAtx31Iq786U7it++wgGxbtRxf8Udx7zFZsckzXaJMkA7ChG52eSkFxykJeNqsrWH5S+oxNFlD4dzVuwe8DhTSja8xxbR/Z2cOGdCbzR72rgFWhzx2VjBqJzsPLMIQKhO4DGezXehhWwE56YCE+O6c0mKZsfxVrogUvA4HELjVKWmAvtl6UnCh8jYzuVG5WSb/QEVPnP5TmcAnLH1g+s++v6d4s8m0gCw1fV5/SITLq9mhho8K3+7EPYTU8IU1bLhdxO5Nyt8C8ssinQ98Xw9Q==:',
      ],
      [
        'Signature',
        'sig-b22=:LjbtqUbfmvjj5C5kr1Ugj4PmLYvx9wVjZvD9GsTT4F7GrcQEdJzgI9qHxICagShLRiLMlAJjtq6N4CDfKtjvuJyE5qH7KT8UCMkSowOB4+ECxCmT8rtAmj/0PIXxi0A0nxKyB09RNrCQibbUjsLS/2YyFYXEu4TRJQzRw1rLEuEfY17SARYhpTlaqwZVtR8NV7+4UKkjqpcAoFqWFQh62s7Cl+H2fjBSpqfZUJcsIk4N6wiKYd4je2U/lankenQ99PZfB4jY3I5rSV2DSBVkSFsURIjYErOs0tFTQosMTAoxk//0RoKUqiYY8Bh0aaUEb0rQl3/XaVe4bXTugEjHSw==:',
      ],
    ])
    const common = {
      hasBody: true,
      body: async () => new TextEncoder().encode(REQUEST_BODY),
      ip: undefined,
      now: CREATED * 1000,
    }
    // Fresh nonce stores: B.2.1's nonce was claimed by the test above, and a replay is refused.
    const fresh = { store: memoryStore(), prefix: 'n:' }
    expect(
      await verifyMessage(
        { message: m, ...common },
        { ...policy, nonces: fresh, tag: 'header-example' },
      ),
    ).toMatchObject({
      ok: true,
      label: 'sig-b22',
    })
    expect(
      await verifyMessage(
        { message: m, ...common },
        { ...policy, nonces: fresh, label: 'sig-b21' },
      ),
    ).toMatchObject({ ok: true, label: 'sig-b21' })
    expect(
      await verifyMessage(
        { message: m, ...common },
        { ...policy, nonces: fresh, label: 'sig-b21' },
      ),
    ).toMatchObject({ ok: false, code: 'replayed' })
  })
})

describe('a covered Content-Digest is checked against the raw body', () => {
  it('refuses B.2.3 with a body that is not the one its digest names', async () => {
    const result = await verify(
      REQUEST_INIT,
      REQUEST_HEADERS,
      'sig-b23=("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss"',
      'sig-b23=:bbN8oArOxYoyylQQUU6QYwrTuaxLwjAC9fbY2F6SVWvh0yBiMIRGOnMYwZ/5MR6fb0Kh1rIRASVxFkeGt683+qRpRRU5p2voTp768ZrCUb38K0fUxN0O0iC59DzYx8DFll5GmydPxSmme9v6ULbMFkl+V5B1TP/yPViV7KsLNmvKiLJH1pFkh/aYA2HXXZzNBXmIkoQoLd7YfW91kE9o/CCoC1xMy7JA1ipwvKvfrs65ldmlu9bpG6A9BmzhuzF8Eim5f8ui9eH8LZH896+QIF61ka39VBrohr9iyMUJpvRX2Zbhl5ZJzSRxpJyoEZAFL2FUo5fTIztsDZKEgM4cUA==:',
      '{"hello": "world!"}',
    )
    expect(result).toMatchObject({ ok: false, code: 'digest-mismatch' })
  })
})
