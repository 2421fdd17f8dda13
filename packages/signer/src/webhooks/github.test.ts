import { describe, expect, it } from 'vitest'
import { type Bytes, utf8 } from '../bytes.js'
import { signGitHubWebhook, verifyGitHubWebhook } from './github.js'
import type { WebhookHeaders } from './result.js'

// docs.github.com, "Validating webhook deliveries" → "Testing the webhook payload validation".
const SECRET = "It's a Secret to Everybody"
const PAYLOAD = 'Hello, World!'
const SIGNATURE = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17'
const DELIVERY = '72d3162e-cc78-11e3-81ab-4c9367dc0958'

const body = utf8(PAYLOAD)

function headersOf(values: Record<string, string | undefined>): WebhookHeaders {
  return { get: (name) => values[name] ?? null }
}

const delivery = (overrides: Record<string, string | undefined> = {}, payload: Bytes = body) => ({
  headers: headersOf({
    'x-hub-signature-256': SIGNATURE,
    'x-github-delivery': DELIVERY,
    ...overrides,
  }),
  body: payload,
})

async function codeOf(
  overrides: Record<string, string | undefined>,
  secret: string | string[] = SECRET,
) {
  const result = await verifyGitHubWebhook(delivery(overrides), { secret })
  return result.ok ? 'ok' : result.code
}

describe('signGitHubWebhook', () => {
  it("reproduces GitHub's documented test values", async () => {
    expect(await signGitHubWebhook({ body: PAYLOAD, secret: SECRET })).toEqual({
      'x-hub-signature-256': SIGNATURE,
    })
    expect((await signGitHubWebhook({ body, secret: SECRET }))['x-hub-signature-256']).toBe(
      SIGNATURE,
    )
  })
  it('throws a TypeError for an empty secret', async () => {
    await expect(signGitHubWebhook({ body, secret: '' })).rejects.toThrow(TypeError)
  })
})

describe('verifyGitHubWebhook', () => {
  it("accepts GitHub's documented signature and returns the delivery id", async () => {
    expect(await verifyGitHubWebhook(delivery(), { secret: SECRET })).toEqual({
      ok: true,
      scheme: 'github-sha256',
      id: DELIVERY,
    })
  })

  it('reads a Fetch Headers object, whatever the case of the names sent', async () => {
    const headers = new Headers({ 'X-Hub-Signature-256': SIGNATURE, 'X-GitHub-Delivery': DELIVERY })
    expect(await verifyGitHubWebhook({ headers, body }, { secret: SECRET })).toMatchObject({
      ok: true,
      id: DELIVERY,
    })
  })

  it('omits the id when X-GitHub-Delivery is absent or not a plausible token', async () => {
    for (const id of [undefined, '', 'has space', 'x'.repeat(257), 'tab\there']) {
      const result = await verifyGitHubWebhook(delivery({ 'x-github-delivery': id }), {
        secret: SECRET,
      })
      expect(result).toEqual({ ok: true, scheme: 'github-sha256' })
    }
  })

  it('accepts uppercase hex', async () => {
    expect(
      await codeOf({ 'x-hub-signature-256': `sha256=${SIGNATURE.slice(7).toUpperCase()}` }),
    ).toBe('ok')
  })

  it('accepts during a rotation: either of two configured secrets may match', async () => {
    expect(await codeOf({}, ['new secret', SECRET])).toBe('ok')
    expect(await codeOf({}, [SECRET, 'new secret'])).toBe('ok')
  })

  it('round-trips with signGitHubWebhook, for bytes that are not UTF-8', async () => {
    const binary = new Uint8Array([0xff, 0x00, 0xfe])
    const signed = await signGitHubWebhook({ body: binary, secret: 's3cret' })
    const result = await verifyGitHubWebhook(delivery(signed, binary), { secret: 's3cret' })
    expect(result.ok).toBe(true)
  })

  it('verifies a body that is a view into a larger buffer (byteOffset ≠ 0)', async () => {
    const pool = utf8(`xxxx${PAYLOAD}yyyy`)
    const view = pool.subarray(4, 4 + body.length)
    expect((await verifyGitHubWebhook(delivery({}, view), { secret: SECRET })).ok).toBe(true)
  })

  it('missing-signature without X-Hub-Signature-256, even if the SHA-1 header is there', async () => {
    expect(await codeOf({ 'x-hub-signature-256': undefined })).toBe('missing-signature')
    expect(await codeOf({ 'x-hub-signature-256': '' })).toBe('missing-signature')
    expect(
      await codeOf({
        'x-hub-signature-256': undefined,
        'x-hub-signature': 'sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59',
      }),
    ).toBe('missing-signature')
  })

  it.each([
    ['a sha1 value', 'sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59'],
    ['an uppercase prefix', `SHA256=${SIGNATURE.slice(7)}`],
    ['no prefix', SIGNATURE.slice(7)],
    ['a leading space', ` ${SIGNATURE}`],
    ['a trailing space', `${SIGNATURE} `],
    ['63 hex digits', SIGNATURE.slice(0, -1)],
    ['65 hex digits', `${SIGNATURE}0`],
    ['non-hex digits', `sha256=${'zz'.repeat(32)}`],
    ['two signatures', `${SIGNATURE}, ${SIGNATURE}`],
    ['a 10 KB value', `sha256=${'a'.repeat(10_240)}`],
  ])('malformed for %s', async (_, header) => {
    expect(await codeOf({ 'x-hub-signature-256': header })).toBe('malformed')
  })

  it('invalid-signature for a wrong secret or a changed body', async () => {
    expect(await codeOf({}, "It's a Secret to Nobody")).toBe('invalid-signature')
    const changed = await verifyGitHubWebhook(delivery({}, utf8('Hello, World?')), {
      secret: SECRET,
    })
    expect(changed).toEqual({ ok: false, code: 'invalid-signature' })
  })

  it('rejects with a TypeError when misconfigured', async () => {
    await expect(verifyGitHubWebhook(delivery(), { secret: [] })).rejects.toThrow(TypeError)
    await expect(verifyGitHubWebhook(delivery(), { secret: '' })).rejects.toThrow(TypeError)
  })
})
