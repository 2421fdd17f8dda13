// Runs the built package with V8 refusing to generate code from strings, as Cloudflare Workers
// do: any eval/new Function in the signer or its dependencies (zod's JIT, for one) fails here.
// Run: node --disallow-code-generation-from-strings --test test/
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RampartConfigError } from '@rampart/core'
import {
  keyring,
  requestMessage,
  signRequest,
  signStandardWebhook,
  verifyMessage,
  verifySignature,
  verifyStandardWebhook,
} from '@rampart/signer'

test('code generation is really refused in this process', () => {
  assert.throws(() => new Function('return 1'), EvalError)
})

test('option validation works without eval', () => {
  assert.throws(
    () => verifySignature({ keys: [{ id: 'k', alg: 'hmac-sha1', key: 'x' }] }),
    RampartConfigError,
  )
  assert.throws(() => verifySignature({ keys: [], maxAge: 'soon' }), RampartConfigError)
})

test('sign and verify an RFC 9421 request without eval', async () => {
  const secret = new TextEncoder().encode('no-codegen-secret-of-32-bytes!!!')
  const signed = await signRequest(
    new Request('https://api.example.com/orders?x=1', { method: 'POST', body: '{"a":1}' }),
    { key: { id: 'k', alg: 'hmac-sha256', key: secret } },
  )
  const body = new Uint8Array(await signed.clone().arrayBuffer())
  const result = await verifyMessage(
    {
      message: requestMessage(signed),
      hasBody: true,
      body: async () => body,
      ip: undefined,
      now: Date.now(),
    },
    {
      keys: keyring([{ id: 'k', alg: 'hmac-sha256', key: secret }]),
      components: ['@method', '@authority', '@path'],
      params: ['created', 'keyid', 'nonce'],
      maxAge: 60_000,
      skew: 5_000,
      digest: 'with-body',
      digestAlgorithms: ['sha-256'],
    },
  )
  assert.equal(result.ok, true)
})

test('a Standard Webhooks delivery round-trips without eval', async () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
  const body = new TextEncoder().encode('{"test": 2432232314}')
  const headers = await signStandardWebhook({
    id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    timestamp: 1614265330,
    body,
    secret,
  })
  assert.equal(headers['webhook-signature'], 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=')
  const result = await verifyStandardWebhook(
    { headers: new Headers(headers), body },
    { secret, now: () => 1614265330_000 },
  )
  assert.equal(result.ok, true)
})
