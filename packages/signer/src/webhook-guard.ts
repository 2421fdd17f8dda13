/**
 * `verifyWebhook()`: a guard for webhook receivers. It checks the delivery's signature over the
 * exact raw body with one of three profiles (Standard Webhooks, Stripe, GitHub), and refuses with
 * a 401 problem naming the failure code. Mounted after a body parser that kept no raw bytes, it
 * answers 500 and warns, never checking re-serialised JSON.
 * @module
 */
import {
  type Duration,
  defineGuard,
  durationSchema,
  type Guard,
  parseOptions,
  problem,
  type SecurityContext,
  stateKey,
  z,
} from '@rampart/core'
import './events.js'
import { denyWithoutRawBody, hasContent } from './guard.js'
import { SIGNER_CONFIG_CODE } from './keyring.js'
import { RawBodyUnavailableError } from './verify.js'
import {
  type StandardWebhookPublicKey,
  type StandardWebhookSecret,
  verifyGitHubWebhook,
  verifyStandardWebhook,
  verifyStripeWebhook,
  type WebhookResult,
  type WebhookSuccess,
} from './webhooks/index.js'

/** The webhook schemes `verifyWebhook()` knows. */
export type WebhookProfile = 'standard' | 'stripe' | 'github'

/** Options of {@link verifyWebhook}. */
export type VerifyWebhookOptions =
  | {
      /** Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`). */
      readonly profile: 'standard'
      /** `whsec_…` secrets (several during rotation) for `v1` signatures. */
      readonly secret?: StandardWebhookSecret | readonly StandardWebhookSecret[]
      /** `whpk_…` public keys for `v1a` (Ed25519) signatures. */
      readonly publicKey?: StandardWebhookPublicKey | readonly StandardWebhookPublicKey[]
      /** How far the signed timestamp may be from our clock, either way. Default `'5m'`. */
      readonly tolerance?: Duration | string
    }
  | {
      /** Stripe (`Stripe-Signature: t=…,v1=…`). */
      readonly profile: 'stripe'
      /** The endpoint's signing secret(s), `whsec_…`, used as they are. */
      readonly secret: string | readonly string[]
      readonly tolerance?: Duration | string
    }
  | {
      /** GitHub (`X-Hub-Signature-256: sha256=…`); GitHub signs no timestamp. */
      readonly profile: 'github'
      /** The webhook's secret(s). */
      readonly secret: string | readonly string[]
    }

/** A verified delivery, for the handler (`getState(req, verifiedWebhook)`). */
export const verifiedWebhook = stateKey<WebhookSuccess & { readonly profile: WebhookProfile }>(
  'verifiedWebhook',
)

const secretList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)])
const keyLike = z.custom<string | Uint8Array | CryptoKey>(
  (v) => typeof v === 'string' || v instanceof Uint8Array || (typeof v === 'object' && v !== null),
  'expected a key string, bytes or a CryptoKey',
)
const tolerance = durationSchema({ min: 1_000, max: 24 * 3_600_000 }).optional()

const optionsSchema = z.discriminatedUnion('profile', [
  z
    .strictObject({
      profile: z.literal('standard'),
      secret: z.union([keyLike, z.array(keyLike).min(1)]).optional(),
      publicKey: z.union([keyLike, z.array(keyLike).min(1)]).optional(),
      tolerance,
    })
    .refine((o) => o.secret !== undefined || o.publicKey !== undefined, {
      message: 'expected a secret (v1) or a publicKey (v1a)',
    }),
  z.strictObject({ profile: z.literal('stripe'), secret: secretList, tolerance }),
  z.strictObject({ profile: z.literal('github'), secret: secretList }),
])

/** 401 naming the webhook failure code and nothing else. */
function webhookRejected(code: string) {
  return problem(401, 'webhook-rejected', 'Unauthorized', {
    detail: 'The webhook signature was refused.',
    extensions: { code },
  })
}

/**
 * A guard that admits only webhook deliveries signed for this endpoint.
 * @throws RampartConfigError (`ERR_RAMPART_SIGNER_CONFIG`) for a missing secret or a bad option.
 * @example app.post('/webhooks/stripe', rampart(verifyWebhook({ profile: 'stripe', secret: process.env.STRIPE_WEBHOOK_SECRET })), handler)
 */
export function verifyWebhook(options: VerifyWebhookOptions): Guard {
  const o = parseOptions(
    '@rampart/signer verifyWebhook',
    optionsSchema,
    options,
    SIGNER_CONFIG_CODE,
  )
  const profile = o.profile
  const check = (ctx: SecurityContext, body: Uint8Array): Promise<WebhookResult> => {
    const input = { headers: ctx.headers, body }
    const clock = { now: () => ctx.now() }
    if (o.profile === 'standard') {
      return verifyStandardWebhook(input, {
        ...(o.secret === undefined ? {} : { secret: o.secret as StandardWebhookSecret }),
        ...(o.publicKey === undefined
          ? {}
          : { publicKey: o.publicKey as StandardWebhookPublicKey }),
        ...(o.tolerance === undefined ? {} : { tolerance: o.tolerance }),
        ...clock,
      })
    }
    if (o.profile === 'stripe') {
      return verifyStripeWebhook(input, {
        secret: o.secret,
        ...(o.tolerance === undefined ? {} : { tolerance: o.tolerance }),
        ...clock,
      })
    }
    return verifyGitHubWebhook(input, { secret: o.secret })
  }
  return defineGuard({
    name: 'verify-webhook' as const,
    async request(ctx: SecurityContext): Promise<void> {
      const body = await ctx.rawBody()
      if (body === undefined && hasContent(ctx)) {
        denyWithoutRawBody(ctx, new RawBodyUnavailableError())
        ctx.emit('webhook.rejected', { profile, code: 'raw-body-unavailable' })
        return
      }
      const result = await check(ctx, body ?? new Uint8Array(0))
      if (!result.ok) {
        ctx.emit('webhook.rejected', { profile, code: result.code })
        ctx.deny(webhookRejected(result.code))
        return
      }
      ctx.state.set(verifiedWebhook, { ...result, profile })
      ctx.emit('webhook.verified', {
        profile,
        ...(result.id === undefined ? {} : { id: result.id }),
      })
    },
  })
}
