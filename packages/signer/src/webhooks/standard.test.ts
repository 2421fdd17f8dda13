import { describe, expect, it, vi } from 'vitest'
import { type Bytes, fromBase64, toBase64, utf8 } from '../bytes.js'
import { MAX_SIGNATURE_HEADER_LENGTH, type WebhookHeaders } from './result.js'
import { signStandardWebhook, verifyStandardWebhook } from './standard.js'

// The reference vector of the Standard Webhooks JavaScript library ("sign function works" in
// libraries/javascript/src/webhook.test.ts), also asserted by the Svix server.
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek'
const TIMESTAMP = 1614265330
const PAYLOAD = '{"test": 2432232314}'
const V1 = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='

// The Svix server's asymmetric vector (test_asymmetric_key_signing, server/svix-server/src/
// worker.rs): its 64-byte key pair signs the same message to the `v1a` signature that the spec
// shows in its example headers; the pair's second half is the whpk_ of its own tests.
const WHSK =
  'whsk_6Xb/dCcHpPea21PS1N9VY/NZW723CEc77N4rJCubMbfVKIDij2HKpMKkioLlX0dRqSKJp4AJ6p9lMicMFs6Kvg=='
const WHPK = 'whpk_1SiA4o9hyqTCpIqC5V9HUakiiaeACeqfZTInDBbOir4='
const V1A =
  'v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg=='

const NOW = TIMESTAMP * 1000
const now = () => NOW
const body = utf8(PAYLOAD)

/** Exact header access (a Fetch `Headers` would trim values, hiding some hostile inputs). */
function headersOf(values: Readonly<Record<string, string | undefined>>): WebhookHeaders {
  return { get: (name) => values[name] ?? null }
}

function delivery(
  overrides: Readonly<Record<string, string | undefined>> = {},
  payload: Bytes = body,
) {
  return {
    headers: headersOf({
      'webhook-id': ID,
      'webhook-timestamp': String(TIMESTAMP),
      'webhook-signature': V1,
      ...overrides,
    }),
    body: payload,
  }
}

const decode = (text: string): Uint8Array => {
  const bytes = fromBase64(text)
  if (bytes === undefined) throw new Error(`bad base64 in a test: ${text}`)
  return bytes
}

describe('signStandardWebhook', () => {
  it('reproduces the reference v1 vector', async () => {
    const headers = await signStandardWebhook({
      id: ID,
      timestamp: TIMESTAMP,
      body: PAYLOAD,
      secret: SECRET,
    })
    expect(headers).toEqual({
      'webhook-id': ID,
      'webhook-timestamp': '1614265330',
      'webhook-signature': V1,
    })
  })

  it('takes the secret with or without whsec_, as raw bytes, or as a CryptoKey', async () => {
    const raw = decode(SECRET.slice('whsec_'.length))
    const key = await crypto.subtle.importKey(
      'raw',
      Uint8Array.from(raw),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    )
    for (const secret of [SECRET.slice('whsec_'.length), raw, key]) {
      const headers = await signStandardWebhook({ id: ID, timestamp: TIMESTAMP, body, secret })
      expect(headers['webhook-signature']).toBe(V1)
    }
  })

  it('reproduces the Svix v1a vector from a 64-byte whsk_ key', async () => {
    const headers = await signStandardWebhook({
      id: ID,
      timestamp: TIMESTAMP,
      body: PAYLOAD,
      secret: WHSK,
    })
    expect(headers['webhook-signature']).toBe(V1A)
  })

  it('accepts a whsk_ key holding just the 32-byte seed', async () => {
    const seed = `whsk_${toBase64(decode(WHSK.slice(5)).subarray(0, 32))}`
    const headers = await signStandardWebhook({ id: ID, timestamp: TIMESTAMP, body, secret: seed })
    expect(headers['webhook-signature']).toBe(V1A)
  })

  it('signs with every key given, in order, for a rotation', async () => {
    const headers = await signStandardWebhook({
      id: ID,
      timestamp: TIMESTAMP,
      body,
      secret: [SECRET, WHSK],
    })
    expect(headers['webhook-signature']).toBe(`${V1} ${V1A}`)
  })

  it('signs the body bytes a view covers', async () => {
    const padded = new Uint8Array(body.length + 7)
    padded.set(body, 3)
    const view = padded.subarray(3, 3 + body.length)
    const headers = await signStandardWebhook({
      id: ID,
      timestamp: TIMESTAMP,
      body: view,
      secret: SECRET,
    })
    expect(headers['webhook-signature']).toBe(V1)
  })

  it.each([
    ['an id with a dot', { id: 'msg.1' }],
    ['an id with a space', { id: 'msg 1' }],
    ['an empty id', { id: '' }],
    ['an id over 256 characters', { id: 'm'.repeat(257) }],
    ['a non-ASCII id', { id: 'msg_é' }],
    ['a fractional timestamp', { timestamp: 1.5 }],
    ['a negative timestamp', { timestamp: -1 }],
    ['a 13-digit timestamp', { timestamp: 1e12 }],
    ['no key', { secret: [] }],
    ['a whpk_ public key', { secret: WHPK }],
    ['a secret that is not base64', { secret: 'whsec_%%%' }],
    ['an empty secret', { secret: 'whsec_' }],
    ['a whsk_ key of the wrong size', { secret: 'whsk_AAAA' }],
  ])('throws a TypeError for %s', async (_, change) => {
    const input = { id: ID, timestamp: TIMESTAMP, body, secret: SECRET, ...change }
    await expect(signStandardWebhook(input)).rejects.toThrow(TypeError)
  })

  it('refuses a 64-byte whsk_ key whose public half does not match its seed', async () => {
    const pair = decode(WHSK.slice(5))
    pair[63] = (pair[63] as number) ^ 1
    const corrupted = `whsk_${toBase64(pair)}`
    await expect(
      signStandardWebhook({ id: ID, timestamp: TIMESTAMP, body, secret: corrupted }),
    ).rejects.toThrow(/does not match/)
  })
})

describe('verifyStandardWebhook: v1', () => {
  it('accepts the reference vector', async () => {
    expect(await verifyStandardWebhook(delivery(), { secret: SECRET, now })).toEqual({
      ok: true,
      scheme: 'v1',
      id: ID,
      timestamp: TIMESTAMP,
    })
  })

  it('accepts the secret as bare base64 or raw bytes', async () => {
    const bare = SECRET.slice('whsec_'.length)
    expect((await verifyStandardWebhook(delivery(), { secret: bare, now })).ok).toBe(true)
    expect((await verifyStandardWebhook(delivery(), { secret: decode(bare), now })).ok).toBe(true)
  })

  it('imports a secret once: later verifications reuse the cached key', async () => {
    const importKey = vi.spyOn(crypto.subtle, 'importKey')
    try {
      const secret = `whsec_${toBase64(utf8(`cache-probe-${Math.random()}`))}`
      for (let i = 0; i < 3; i++) await verifyStandardWebhook(delivery(), { secret, now })
      expect(importKey).toHaveBeenCalledTimes(1)
    } finally {
      importKey.mockRestore()
    }
  })

  it('reads a Fetch Headers object, whatever the case of the names sent', async () => {
    const headers = new Headers({
      'Webhook-Id': ID,
      'Webhook-Timestamp': String(TIMESTAMP),
      'Webhook-Signature': V1,
    })
    expect((await verifyStandardWebhook({ headers, body }, { secret: SECRET, now })).ok).toBe(true)
  })

  it('accepts a header listing several signatures when one matches', async () => {
    // The reference library's "multi sig payload is valid" list, plus junk entries.
    const header = [
      'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=',
      'v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=',
      'garbage',
      'v1,not-base64!',
      '',
      V1,
      'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=',
    ].join(' ')
    const result = await verifyStandardWebhook(delivery({ 'webhook-signature': header }), {
      secret: SECRET,
      now,
    })
    expect(result).toMatchObject({ ok: true, scheme: 'v1' })
  })

  it('accepts during a rotation: either of two configured secrets may match', async () => {
    const fresh = `whsec_${toBase64(new Uint8Array(32).fill(7))}`
    const options = { secret: [fresh, SECRET], now }
    expect((await verifyStandardWebhook(delivery(), options)).ok).toBe(true)
    const signed = await signStandardWebhook({ id: ID, timestamp: TIMESTAMP, body, secret: fresh })
    const result = await verifyStandardWebhook(delivery(signed), options)
    expect(result.ok).toBe(true)
    // And the sender's side of a rotation: old and new signatures, receiver knows only the new.
    const both = await signStandardWebhook({
      id: ID,
      timestamp: TIMESTAMP,
      body,
      secret: [SECRET, fresh],
    })
    expect((await verifyStandardWebhook(delivery(both), { secret: fresh, now })).ok).toBe(true)
  })

  it('verifies a body that is a view into a larger buffer (byteOffset ≠ 0)', async () => {
    const pool = new Uint8Array(4096).fill(0x41)
    pool.set(body, 1000)
    const view = pool.subarray(1000, 1000 + body.length)
    expect(view.byteOffset).toBe(1000)
    const result = await verifyStandardWebhook(delivery({}, view), { secret: SECRET, now })
    expect(result.ok).toBe(true)
    // A DataView over the same bytes works too.
    const dataView = new DataView(pool.buffer, 1000, body.length)
    expect((await verifyStandardWebhook(delivery({}, dataView), { secret: SECRET, now })).ok).toBe(
      true,
    )
  })

  it('signs and verifies raw bytes that are not UTF-8, without decoding them', async () => {
    const binary = new Uint8Array([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x80])
    const signed = await signStandardWebhook({
      id: ID,
      timestamp: TIMESTAMP,
      body: binary,
      secret: SECRET,
    })
    expect(
      (await verifyStandardWebhook(delivery(signed, binary), { secret: SECRET, now })).ok,
    ).toBe(true)
    // Decoding then re-encoding would replace the invalid bytes, and so change what is verified.
    const mangled = utf8(new TextDecoder().decode(binary))
    const result = await verifyStandardWebhook(delivery(signed, mangled), { secret: SECRET, now })
    expect(result).toEqual({ ok: false, code: 'invalid-signature' })
  })
})

describe('verifyStandardWebhook: v1a', () => {
  it('accepts the Svix vector with the whpk_ key, raw key bytes, or a CryptoKey', async () => {
    const raw = decode(WHPK.slice(5))
    const key = await crypto.subtle.importKey('raw', Uint8Array.from(raw), 'Ed25519', false, [
      'verify',
    ])
    for (const publicKey of [WHPK, raw, key]) {
      const result = await verifyStandardWebhook(delivery({ 'webhook-signature': V1A }), {
        publicKey,
        now,
      })
      expect(result).toEqual({ ok: true, scheme: 'v1a', id: ID, timestamp: TIMESTAMP })
    }
  })

  it("accepts the spec's example header mixing v1 and v1a, on whichever key is configured", async () => {
    const header = `v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= ${V1A}`
    const result = await verifyStandardWebhook(delivery({ 'webhook-signature': header }), {
      secret: SECRET,
      publicKey: WHPK,
      now,
    })
    expect(result).toMatchObject({ ok: true, scheme: 'v1a' })
  })

  it('round-trips a generated key pair given as CryptoKeys', async () => {
    const pair = (await crypto.subtle.generateKey('Ed25519', false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair
    const signed = await signStandardWebhook({
      id: 'msg_generated',
      timestamp: TIMESTAMP,
      body,
      secret: pair.privateKey,
    })
    // The signed headers are a plain record: they go straight into Fetch's `Headers`.
    const result = await verifyStandardWebhook(
      { headers: new Headers(signed), body },
      { publicKey: pair.publicKey, now },
    )
    expect(result).toEqual({ ok: true, scheme: 'v1a', id: 'msg_generated', timestamp: TIMESTAMP })
  })

  it('accepts during a rotation of public keys', async () => {
    const other = (await crypto.subtle.generateKey('Ed25519', false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair
    const result = await verifyStandardWebhook(delivery({ 'webhook-signature': V1A }), {
      publicKey: [other.publicKey, WHPK],
      now,
    })
    expect(result.ok).toBe(true)
  })

  it('does not accept a v1a signature when only a symmetric secret is configured', async () => {
    const result = await verifyStandardWebhook(delivery({ 'webhook-signature': V1A }), {
      secret: SECRET,
      now,
    })
    expect(result).toEqual({ ok: false, code: 'invalid-signature' })
  })

  it('refuses a v1a signature over another body, id or timestamp', async () => {
    const options = { publicKey: WHPK, now }
    const sig = { 'webhook-signature': V1A }
    expect(await verifyStandardWebhook(delivery(sig, utf8('{"test": 1}')), options)).toEqual({
      ok: false,
      code: 'invalid-signature',
    })
    expect(
      await verifyStandardWebhook(delivery({ ...sig, 'webhook-id': 'msg_other' }), options),
    ).toEqual({
      ok: false,
      code: 'invalid-signature',
    })
    expect(
      await verifyStandardWebhook(
        delivery({ ...sig, 'webhook-timestamp': String(TIMESTAMP + 1) }),
        options,
      ),
    ).toEqual({ ok: false, code: 'invalid-signature' })
  })
})

describe('verifyStandardWebhook: failures', () => {
  const options = { secret: SECRET, now }
  const codeOf = async (overrides: Record<string, string | undefined>, payload: Bytes = body) => {
    const result = await verifyStandardWebhook(delivery(overrides, payload), options)
    return result.ok ? 'ok' : result.code
  }

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])(
    'missing-signature without %s, or with it empty',
    async (name) => {
      expect(await codeOf({ [name]: undefined })).toBe('missing-signature')
      expect(await codeOf({ [name]: '' })).toBe('missing-signature')
    },
  )

  it.each([
    '+1614265330',
    '1e9',
    '0x10',
    ' 1614265330',
    '1614265330 ',
    '1614265330.0',
    '-1614265330',
    '01614265330',
    '1614265330000',
    'abc',
    '１６１４２６５３３０',
  ])('malformed for the timestamp %j', async (timestamp) => {
    expect(await codeOf({ 'webhook-timestamp': timestamp })).toBe('malformed')
  })

  it.each([
    ['a dot', 'msg.p5jX'],
    ['a space', 'msg p5jX'],
    ['a control character', 'msg\tp5jX'],
    ['a non-ASCII character', 'msg_é'],
    ['more than 256 characters', 'm'.repeat(257)],
  ])('malformed for an id with %s', async (_, id) => {
    expect(await codeOf({ 'webhook-id': id })).toBe('malformed')
  })

  it.each([
    ['no comma', 'garbage'],
    ['an empty v1', 'v1,'],
    ['v1 that is not base64', 'v1,dawfeoifkpqwoekfpqoekf'],
    ['v1 of the wrong length', 'v1,AAAA'],
    ['v1 truncated', V1.slice(0, 8)],
    ['v1 without padding', V1.slice(0, -1)],
    ['v1 in the URL-safe alphabet', 'v1,g0hM9SsE-OTPJTGt_tmIKtSyZlE3uFJELVlNIOLJ1OE='],
    ['a v1a of the wrong length', `v1a,${V1.slice(3)}`],
    ['only unknown versions', 'v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='],
    ['an unversioned MAC', 'g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='],
    ['a comma-joined list', `${V1},${V1}`],
    ['only spaces', '   '],
  ])('malformed for a signature header with %s', async (_, header) => {
    expect(await codeOf({ 'webhook-signature': header })).toBe('malformed')
  })

  it('malformed for a 10 KB signature header, even one holding a valid signature', async () => {
    const header = `${V1} ${'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= '.repeat(220)}`
    expect(header.length).toBeGreaterThan(10_000)
    expect(header.length).toBeGreaterThan(MAX_SIGNATURE_HEADER_LENGTH)
    expect(await codeOf({ 'webhook-signature': header })).toBe('malformed')
    // A long header under the cap is parsed, the valid entry found among unknown versions.
    const fits = `${'v9,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= '.repeat(160)}${V1}`
    expect(fits.length).toBeLessThanOrEqual(MAX_SIGNATURE_HEADER_LENGTH)
    expect(await codeOf({ 'webhook-signature': fits })).toBe('ok')
  })

  it('malformed for more than 16 v1/v1a entries, accepted up to 16', async () => {
    const junk = 'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc='
    expect(await codeOf({ 'webhook-signature': [...Array(15).fill(junk), V1].join(' ') })).toBe(
      'ok',
    )
    expect(await codeOf({ 'webhook-signature': [...Array(16).fill(junk), V1].join(' ') })).toBe(
      'malformed',
    )
  })

  it('invalid-signature for a wrong secret, a changed body, id or timestamp', async () => {
    const wrong = `whsec_${toBase64(new Uint8Array(24).fill(1))}`
    expect(await verifyStandardWebhook(delivery(), { secret: wrong, now })).toEqual({
      ok: false,
      code: 'invalid-signature',
    })
    expect(await codeOf({}, utf8('{"test": 2432232315}'))).toBe('invalid-signature')
    expect(await codeOf({ 'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJeK' })).toBe('invalid-signature')
    expect(await codeOf({ 'webhook-timestamp': String(TIMESTAMP - 1) })).toBe('invalid-signature')
    expect(
      await codeOf({ 'webhook-signature': 'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=' }),
    ).toBe('invalid-signature')
  })

  it('checks the tolerance in both directions, accepting the boundary itself', async () => {
    const at = (ms: number) => async (tolerance?: number) => {
      const result = await verifyStandardWebhook(delivery(), {
        secret: SECRET,
        now: () => ms,
        ...(tolerance === undefined ? {} : { tolerance }),
      })
      return result.ok ? 'ok' : result.code
    }
    expect(await at(NOW + 300_000)()).toBe('ok')
    expect(await at(NOW + 300_001)()).toBe('too-old')
    expect(await at(NOW - 300_000)()).toBe('ok')
    expect(await at(NOW - 300_001)()).toBe('created-in-future')
    expect(await at(NOW + 60_000)(60_000)).toBe('ok')
    expect(await at(NOW + 60_001)(60_000)).toBe('too-old')
    expect(await at(NOW - 60_001)(60_000)).toBe('created-in-future')
  })

  it('reports a stale timestamp before spending any cryptography on it', async () => {
    // A forged signature with a stale timestamp is too-old, not invalid-signature.
    const result = await verifyStandardWebhook(
      delivery({ 'webhook-signature': 'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=' }),
      { secret: SECRET, now: () => NOW + 3_600_000 },
    )
    expect(result).toEqual({ ok: false, code: 'too-old' })
  })

  it('never throws on hostile header values', async () => {
    const hostile = [
      '\u0000',
      '\uffff'.repeat(100),
      'v1,'.repeat(3000),
      ' '.repeat(20_000),
      'v1a,'.concat('A'.repeat(86), '=='),
      '9'.repeat(100_000),
      'v1,====',
      'v1,\ud800',
    ]
    for (const value of hostile) {
      for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
        const result = await verifyStandardWebhook(delivery({ [name]: value }), {
          secret: SECRET,
          publicKey: WHPK,
          now,
        })
        expect(result.ok).toBe(false)
      }
    }
  })
})

describe('verifyStandardWebhook: configuration errors', () => {
  it.each([
    ['no key at all', {}],
    ['an empty key list', { secret: [], publicKey: [] }],
    ['a secret that is not base64', { secret: 'whsec_not base64' }],
    ['an empty secret', { secret: new Uint8Array() }],
    ['a whpk_ key as the secret', { secret: WHPK }],
    ['a whsk_ key as the secret', { secret: WHSK }],
    ['a whsec_ secret as the public key', { publicKey: SECRET }],
    ['a public key of the wrong size', { publicKey: 'whpk_AAAA' }],
    ['a negative tolerance', { secret: SECRET, tolerance: -1 }],
  ])('rejects with a TypeError for %s', async (_, options) => {
    await expect(verifyStandardWebhook(delivery(), { now, ...options })).rejects.toThrow(TypeError)
    // Whatever the request: a misconfiguration is not hidden behind a rejected delivery.
    const junk = delivery({ 'webhook-signature': undefined })
    await expect(verifyStandardWebhook(junk, { now, ...options })).rejects.toThrow(TypeError)
  })
})
