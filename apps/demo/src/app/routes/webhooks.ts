/**
 * The webhooks demo. `POST /webhooks/outgoing` (signed-in users) plays the sender: it signs an
 * event the Standard Webhooks way and posts it to `POST /webhooks/receiver` on this same server,
 * which verifies it with `verifyWebhook()` before its handler runs. `{ "tamper": true }` changes
 * the body after signing, and the receiver refuses it with a 401 problem.
 * @module
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { sanitize } from '@rampart/sanitizer'
import { signStandardWebhook, verifiedWebhook, verifyWebhook } from '@rampart/signer'
import { z } from 'zod'
import { signedIn, signedInUser } from '../guards.js'
import { type DemoRoute, json } from '../routes.js'

/** A fresh Standard Webhooks secret, for a demo started without `DEMO_WEBHOOK_SECRET`. */
export const randomWebhookSecret = () => `whsec_${randomBytes(24).toString('base64')}`

const outgoingBody = z.strictObject({ tamper: z.boolean().optional() })

/** The sender and the receiver; `origin()` is where this server listens. */
export function webhookRoutes(secret: string, origin: () => string): DemoRoute[] {
  const checkBody = sanitize({ schema: { body: outgoingBody } })
  return [
    {
      method: 'POST',
      path: '/webhooks/outgoing',
      guards: [signedIn, checkBody],
      async handle(req) {
        const user = req.get(signedInUser)
        const event = {
          id: `evt_${randomUUID()}`,
          type: 'partner.exported',
          data: { by: user?.name, at: new Date().toISOString() },
        }
        const body = JSON.stringify(event)
        const headers = await signStandardWebhook({
          id: `msg_${randomUUID()}`,
          timestamp: Math.floor(Date.now() / 1000),
          body,
          secret,
        })
        const tamper = req.get(checkBody.validated)?.body.tamper === true
        const type = tamper ? 'partner.deleted' : event.type
        const sent = tamper ? body.replace(event.type, type) : body
        const res = await fetch(`${origin()}/webhooks/receiver`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: sent,
          signal: AbortSignal.timeout(5_000),
        })
        return json(200, {
          sent: { id: headers['webhook-id'], type, tampered: tamper },
          receiver: { status: res.status, body: await res.json().catch(() => null) },
        })
      },
    },
    {
      method: 'POST',
      path: '/webhooks/receiver',
      guards: [verifyWebhook({ profile: 'standard', secret })],
      handle(req) {
        const verified = req.get(verifiedWebhook)
        return json(200, { received: verified?.id, verifiedAt: new Date().toISOString() })
      },
    },
  ]
}
