/**
 * Webhook signature verification for three profiles, framework-free and Web Crypto only:
 * Standard Webhooks (`v1` HMAC-SHA256 and `v1a` Ed25519), Stripe (`Stripe-Signature` `v1`) and
 * GitHub (`X-Hub-Signature-256`). Each `verify…` resolves a `WebhookResult` and never throws on
 * request input; each `sign…` produces the headers a sender (or a test) needs.
 * @module
 */

export {
  type SignGitHubWebhookInput,
  signGitHubWebhook,
  type VerifyGitHubWebhookInput,
  type VerifyGitHubWebhookOptions,
  verifyGitHubWebhook,
} from './github.js'
export {
  MAX_SIGNATURE_HEADER_LENGTH,
  type WebhookFailure,
  type WebhookHeaders,
  type WebhookRejection,
  type WebhookResult,
  type WebhookScheme,
  type WebhookSuccess,
} from './result.js'
export {
  type SignStandardWebhookInput,
  type StandardWebhookHeaderValues,
  type StandardWebhookSigningKey,
  signStandardWebhook,
  type VerifyStandardWebhookInput,
  type VerifyStandardWebhookOptions,
  verifyStandardWebhook,
} from './standard.js'
export {
  PRIVATE_KEY_PREFIX,
  PUBLIC_KEY_PREFIX,
  SECRET_PREFIX,
  type StandardWebhookPublicKey,
  type StandardWebhookSecret,
} from './standard-keys.js'
export {
  type SignStripeWebhookInput,
  signStripeWebhook,
  type VerifyStripeWebhookInput,
  type VerifyStripeWebhookOptions,
  verifyStripeWebhook,
} from './stripe.js'
export { DEFAULT_TOLERANCE_MS, type ToleranceOptions } from './timestamp.js'
