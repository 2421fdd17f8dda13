/**
 * `verifySignature()` behaviour every adapter must show, on the harness's `/echo` route, with
 * each framework's usual body parser mounted before (raw bytes kept as documented), after, or not
 * at all: pass these to `runConformanceSuite(harness, [signerCases])`.
 * @module
 */
import type { SecurityEvent } from '@rampart/core'
import {
  type AppSpec,
  type ConformanceCases,
  identityProbe,
  probeKeys,
  type RunningApp,
} from '@rampart/core/testing'
import { describe, expect, it } from 'vitest'
import { verifiedSignature, verifySignature } from '../guard.js'
import type { VerifyKey } from '../keyring.js'
import { type SigningKey, signRequest } from '../sign.js'
import { verifiedWebhook, verifyWebhook } from '../webhook-guard.js'
import { signGitHubWebhook, signStandardWebhook, signStripeWebhook } from '../webhooks/index.js'

const WHSEC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'

/** One webhook delivery per profile, signed now, for a JSON body with spacing a parser drops. */
async function deliveries(
  body: string,
): Promise<[string, Record<string, string>, Parameters<typeof verifyWebhook>[0]][]> {
  const now = Math.floor(Date.now() / 1000)
  return [
    [
      'standard',
      { ...(await signStandardWebhook({ id: 'msg_1', timestamp: now, body, secret: WHSEC })) },
      { profile: 'standard', secret: WHSEC },
    ],
    [
      'stripe',
      { ...(await signStripeWebhook({ timestamp: now, body, secret: 'whsec_stripe_test' })) },
      { profile: 'stripe', secret: 'whsec_stripe_test' },
    ],
    [
      'github',
      {
        ...(await signGitHubWebhook({ body, secret: 'gh-secret' })),
        'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      },
      { profile: 'github', secret: 'gh-secret' },
    ],
  ]
}

const SECRET = new TextEncoder().encode('conformance-shared-secret-of-32b')

const signing: SigningKey = { id: 'partner-1', alg: 'hmac-sha256', key: SECRET }

const keys: VerifyKey[] = [
  {
    id: 'partner-1',
    alg: 'hmac-sha256',
    key: SECRET,
    principal: { id: 'partner-1', roles: ['partner'] },
  },
]

/** A signed POST of `body` to `/echo`, as a client built with `signRequest` sends it. */
function signedPost(app: RunningApp, body: string, path = '/echo?via=signer') {
  return signRequest(
    new Request(`${app.origin}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    }),
    { key: signing },
  )
}

/** The same request with its body swapped after signing (headers untouched). */
async function withBody(request: Request, body: string): Promise<Request> {
  return new Request(request.url, { method: request.method, headers: request.headers, body })
}

async function start(
  begin: (spec: AppSpec) => Promise<RunningApp>,
  parser: AppSpec['parser'],
  events: SecurityEvent[] = [],
) {
  return begin({
    guards: [verifySignature({ keys }), identityProbe],
    parser,
    onEvent: (e) => events.push(e),
    readState: [verifiedSignature, probeKeys.principal],
  })
}

/** Conformance cases for `@rampart/signer`. */
export const signerCases: ConformanceCases = (_harness, begin) => {
  describe('signer', () => {
    for (const parser of ['none', 'before', 'after'] as const) {
      it(`verifies a signed JSON POST over its raw bytes (body parser: ${parser}) and hands on the principal`, async () => {
        const events: SecurityEvent[] = []
        const app = await start(begin, parser, events)
        const res = await fetch(await signedPost(app, '{"order": 7,  "note": "spaced"}'))
        expect(res.status).toBe(200)
        const echoed = (await res.json()) as {
          body: unknown
          state: Record<string, unknown>
        }
        expect(echoed.body).toEqual({ order: 7, note: 'spaced' })
        expect(echoed.state.verifiedSignature).toMatchObject({
          ok: true,
          keyid: 'partner-1',
          alg: 'hmac-sha256',
        })
        expect(echoed.state[probeKeys.principal.name]).toBe('partner-1')
        expect(events).toContainEqual(
          expect.objectContaining({
            type: 'signature.verified',
            keyid: 'partner-1',
            label: 'sig1',
          }),
        )
        expect(app.handlerCalls).toBe(1)
      })
    }

    it('refuses a body swapped after signing (digest-mismatch), before the handler', async () => {
      const events: SecurityEvent[] = []
      const app = await start(begin, 'before', events)
      const signed = await signedPost(app, '{"amount": 10}')
      const res = await fetch(await withBody(signed, '{"amount": 99}'))
      expect(res.status).toBe(401)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      expect(await res.json()).toMatchObject({
        type: 'urn:rampart:problem:signature-rejected',
        code: 'digest-mismatch',
      })
      expect(app.handlerCalls).toBe(0)
      expect(events).toContainEqual(
        expect.objectContaining({ type: 'signature.rejected', code: 'digest-mismatch' }),
      )
    })

    it('refuses an unsigned request (missing-signature) and a replay of a signed one (replayed)', async () => {
      const app = await start(begin, 'none')
      const unsigned = await fetch(`${app.origin}/echo`, { method: 'POST', body: '{}' })
      expect(unsigned.status).toBe(401)
      const problem = (await unsigned.json()) as Record<string, unknown>
      expect(problem).toMatchObject({ code: 'missing-signature', status: 401 })
      // The problem names the code and nothing of the policy, the keys or the signature.
      expect(Object.keys(problem).sort()).toEqual(
        ['code', 'detail', 'requestId', 'status', 'title', 'type'].sort(),
      )
      const signed = await signedPost(app, '{"once": true}')
      const first = await fetch(signed.clone())
      expect(first.status).toBe(200)
      await first.text()
      const again = await fetch(signed)
      expect(again.status).toBe(401)
      expect(await again.json()).toMatchObject({ code: 'replayed' })
      expect(app.handlerCalls).toBe(1)
    })

    for (const parser of ['none', 'before', 'after'] as const) {
      it(`verifies Standard Webhooks, Stripe and GitHub deliveries over the raw body (body parser: ${parser})`, async () => {
        const body = '{"type":  "invoice.paid",   "amount": 10}'
        for (const [profile, headers, options] of await deliveries(body)) {
          const events: SecurityEvent[] = []
          const app = await begin({
            guards: [verifyWebhook(options)],
            parser,
            onEvent: (e) => events.push(e),
            readState: [verifiedWebhook],
          })
          const post = (text: string) =>
            fetch(`${app.origin}/echo`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', ...headers },
              body: text,
            })
          const ok = await post(body)
          expect(ok.status, profile).toBe(200)
          const echoed = (await ok.json()) as { body: unknown; state: Record<string, unknown> }
          expect(echoed.body).toEqual({ type: 'invoice.paid', amount: 10 })
          expect(echoed.state.verifiedWebhook).toMatchObject({ ok: true, profile })
          const forged = await post(body.replace('10', '99'))
          expect(forged.status, profile).toBe(401)
          expect(await forged.json()).toMatchObject({
            type: 'urn:rampart:problem:webhook-rejected',
            code: 'invalid-signature',
          })
          expect(app.handlerCalls).toBe(1)
          expect(events.map((e) => e.type)).toEqual(['webhook.verified', 'webhook.rejected'])
        }
      })
    }

    it('refuses a query changed after signing (the query is covered)', async () => {
      const app = await start(begin, 'none')
      const signed = await signedPost(app, '{}', '/echo?amount=10')
      const tampered = new Request(signed.url.replace('amount=10', 'amount=99'), {
        method: 'POST',
        headers: signed.headers,
        body: '{}',
      })
      const res = await fetch(tampered)
      expect(res.status).toBe(401)
      expect(await res.json()).toMatchObject({ code: 'invalid-signature' })
    })
  })
}
