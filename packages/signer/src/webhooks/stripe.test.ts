import { describe, expect, it } from 'vitest'
import { type Bytes, utf8 } from '../bytes.js'
import { MAX_SIGNATURE_HEADER_LENGTH, type WebhookHeaders } from './result.js'
import { signStripeWebhook, verifyStripeWebhook } from './stripe.js'

const SECRET = 'whsec_test_secret'
const T = 1492774577
const PAYLOAD = '{"id":"evt_test_webhook","object":"event"}'
// HMAC-SHA256 of `${T}.${PAYLOAD}` keyed with the UTF-8 bytes of the whole 'whsec_test_secret'
// string, as stripe-node computes it (computed independently with Node's crypto). Keying with
// the base64-decoded secret instead would give f37d9674…, which must not verify.
const MAC = '88a022085c6bdb887b02cb26ff76dd681234d9675c0f22844059f55552a8883a'
const BASE64_KEYED_MAC = 'f37d96745b9bbdf8398b5a34b43f97697a9ce1f8d15d179cf876dca98f524df1'
const OTHER_MAC = '5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd'
const V0 = 'v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39'

const NOW = T * 1000
const now = () => NOW
const body = utf8(PAYLOAD)

function headersOf(values: Record<string, string | undefined>): WebhookHeaders {
  return { get: (name) => values[name] ?? null }
}

const delivery = (header: string | undefined, payload: Bytes = body) => ({
  headers: headersOf({ 'stripe-signature': header }),
  body: payload,
})

async function codeOf(
  header: string | undefined,
  options: { now?: () => number; tolerance?: number } = {},
) {
  const result = await verifyStripeWebhook(delivery(header), { secret: SECRET, now, ...options })
  return result.ok ? 'ok' : result.code
}

describe('signStripeWebhook', () => {
  it('keys the HMAC with the secret string as is (UTF-8), not base64-decoded', async () => {
    const signed = await signStripeWebhook({ timestamp: T, body: PAYLOAD, secret: SECRET })
    expect(signed).toEqual({ 'stripe-signature': `t=${T},v1=${MAC}` })
    expect(MAC).not.toBe(BASE64_KEYED_MAC)
  })

  it('adds one v1 entry per secret', async () => {
    const signed = await signStripeWebhook({ timestamp: T, body, secret: ['whsec_new', SECRET] })
    expect(signed['stripe-signature']).toMatch(new RegExp(`^t=${T},v1=[0-9a-f]{64},v1=${MAC}$`))
  })

  it.each([
    ['a fractional timestamp', { timestamp: 1.5 }],
    ['a negative timestamp', { timestamp: -1 }],
    ['no secret', { secret: [] }],
    ['an empty secret', { secret: '' }],
  ])('throws a TypeError for %s', async (_, change) => {
    await expect(
      signStripeWebhook({ timestamp: T, body, secret: SECRET, ...change }),
    ).rejects.toThrow(TypeError)
  })
})

describe('verifyStripeWebhook', () => {
  it('accepts the header Stripe would send', async () => {
    expect(
      await verifyStripeWebhook(delivery(`t=${T},v1=${MAC}`), { secret: SECRET, now }),
    ).toEqual({
      ok: true,
      scheme: 'stripe-v1',
      timestamp: T,
    })
  })

  it('round-trips with signStripeWebhook for string and byte bodies', async () => {
    const binary = new Uint8Array([0, 255, 128, 10])
    for (const payload of [body, binary]) {
      const signed = await signStripeWebhook({ timestamp: T, body: payload, secret: SECRET })
      expect(
        (
          await verifyStripeWebhook(delivery(signed['stripe-signature'], payload), {
            secret: SECRET,
            now,
          })
        ).ok,
      ).toBe(true)
    }
  })

  it('refuses a MAC keyed with the base64-decoded secret', async () => {
    expect(await codeOf(`t=${T},v1=${BASE64_KEYED_MAC}`)).toBe('invalid-signature')
  })

  it('accepts uppercase hex', async () => {
    expect(await codeOf(`t=${T},v1=${MAC.toUpperCase()}`)).toBe('ok')
  })

  it('accepts several v1 entries when one matches, ignoring v0 and unknown schemes', async () => {
    expect(await codeOf(`t=${T},v1=${OTHER_MAC},v1=potato,v1=${MAC},${V0},v9=x,junk`)).toBe('ok')
    expect(await codeOf(`${V0},v1=${MAC},t=${T}`)).toBe('ok')
  })

  it('accepts during a rotation: either of two configured secrets may match', async () => {
    const options = { secret: ['whsec_rolled', SECRET], now }
    expect((await verifyStripeWebhook(delivery(`t=${T},v1=${MAC}`), options)).ok).toBe(true)
    const fresh = await signStripeWebhook({ timestamp: T, body, secret: 'whsec_rolled' })
    expect((await verifyStripeWebhook(delivery(fresh['stripe-signature']), options)).ok).toBe(true)
  })

  it('verifies a body that is a view into a larger buffer (byteOffset ≠ 0)', async () => {
    const pool = new Uint8Array(body.length + 100)
    pool.set(body, 37)
    const view = pool.subarray(37, 37 + body.length)
    const result = await verifyStripeWebhook(delivery(`t=${T},v1=${MAC}`, view), {
      secret: SECRET,
      now,
    })
    expect(result.ok).toBe(true)
  })

  it('missing-signature without the header, or with it empty', async () => {
    expect(await codeOf(undefined)).toBe('missing-signature')
    expect(await codeOf('')).toBe('missing-signature')
  })

  it.each([
    ['no t', `v1=${MAC}`],
    ['no v1', `t=${T}`],
    ['only v0', `t=${T},${V0}`],
    ['two timestamps', `t=${T},t=${T},v1=${MAC}`],
    ['an empty t', `t=,v1=${MAC}`],
    ['t with a plus sign', `t=+${T},v1=${MAC}`],
    ['t in exponent form', `t=1e9,v1=${MAC}`],
    ['t in hex', `t=0x10,v1=${MAC}`],
    ['t with a leading space', `t= ${T},v1=${MAC}`],
    ['t with decimals', `t=${T}.0,v1=${MAC}`],
    ['t with a leading zero', `t=0${T},v1=${MAC}`],
    ['t of 13 digits', `t=1${T}000,v1=${MAC}`],
    ['a space after the comma', `t=${T}, v1=${MAC}`],
    ['a short v1', `t=${T},v1=${MAC.slice(1)}`],
    ['a non-hex v1', `t=${T},v1=${MAC.slice(2)}zz`],
    ['a bad header', 'bad_header'],
    ['a Standard Webhooks signature', 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='],
  ])('malformed for %s', async (_, header) => {
    expect(await codeOf(header)).toBe('malformed')
  })

  it('malformed for a 10 KB header, even one holding a valid signature', async () => {
    const header = `t=${T},v1=${MAC},${`v1=${OTHER_MAC},`.repeat(150)}v0=x`
    expect(header.length).toBeGreaterThan(10_000)
    expect(header.length).toBeGreaterThan(MAX_SIGNATURE_HEADER_LENGTH)
    expect(await codeOf(header)).toBe('malformed')
  })

  it('invalid-signature for a wrong secret or a changed body', async () => {
    const wrong = await verifyStripeWebhook(delivery(`t=${T},v1=${MAC}`), {
      secret: 'whsec_other',
      now,
    })
    expect(wrong).toEqual({ ok: false, code: 'invalid-signature' })
    const changed = await verifyStripeWebhook(delivery(`t=${T},v1=${MAC}`, utf8(`${PAYLOAD} `)), {
      secret: SECRET,
      now,
    })
    expect(changed).toEqual({ ok: false, code: 'invalid-signature' })
    expect(await codeOf(`t=${T + 1},v1=${MAC}`, { now: () => NOW + 1000 })).toBe(
      'invalid-signature',
    )
  })

  it('checks the tolerance (default 300 s) in both directions, accepting the boundary itself', async () => {
    const header = `t=${T},v1=${MAC}`
    expect(await codeOf(header, { now: () => NOW + 300_000 })).toBe('ok')
    expect(await codeOf(header, { now: () => NOW + 300_001 })).toBe('too-old')
    expect(await codeOf(header, { now: () => NOW - 300_000 })).toBe('ok')
    expect(await codeOf(header, { now: () => NOW - 300_001 })).toBe('created-in-future')
    expect(await codeOf(header, { now: () => NOW + 10_000, tolerance: 10_000 })).toBe('ok')
    expect(await codeOf(header, { now: () => NOW + 10_001, tolerance: 10_000 })).toBe('too-old')
  })

  it('never throws on hostile headers', async () => {
    for (const header of [
      '=',
      ',,,,',
      't',
      't=',
      '=t=1',
      'v1=',
      '\u0000',
      't=\ud800',
      ','.repeat(8000),
    ]) {
      expect((await verifyStripeWebhook(delivery(header), { secret: SECRET, now })).ok).toBe(false)
    }
  })

  it('rejects with a TypeError when misconfigured', async () => {
    await expect(
      verifyStripeWebhook(delivery(`t=${T},v1=${MAC}`), { secret: [], now }),
    ).rejects.toThrow(TypeError)
    await expect(
      verifyStripeWebhook(delivery(`t=${T},v1=${MAC}`), { secret: '', now }),
    ).rejects.toThrow(TypeError)
    await expect(
      verifyStripeWebhook(delivery(`t=${T},v1=${MAC}`), { secret: SECRET, now, tolerance: -5 }),
    ).rejects.toThrow(TypeError)
    await expect(
      verifyStripeWebhook(delivery(undefined), { secret: SECRET, now, tolerance: -5 }),
    ).rejects.toThrow(TypeError)
  })
})
