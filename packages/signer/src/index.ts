/**
 * `@rampart/signer`: RFC 9421 HTTP message signatures with RFC 9530 `Content-Digest`, replay
 * protection and key rotation, for servers (a guard) and clients (`signRequest`, `signedFetch`),
 * plus webhook verification (Standard Webhooks, Stripe, GitHub). Web Crypto only, edge-safe.
 * @module
 */
import './events.js'

export { ALGORITHMS, type Algorithm, isAlgorithm } from './algorithms.js'
export { signatureBase } from './base.js'
export { type Bytes, fromBase64, timingSafeEqual, toBase64, toBase64Url } from './bytes.js'
export { FAILURE_CODES, type FailureCode } from './codes.js'
export { ComponentError, type FieldType, KNOWN_STRUCTURED_FIELDS } from './components.js'
export {
  checkContentDigest,
  contentDigest,
  DIGEST_ALGORITHMS,
  type DigestAlgorithm,
  type DigestCheck,
} from './digest.js'
export {
  contextMessage,
  hasContent,
  verifiedSignature,
  verifySignature,
  WARN_RAW_BODY,
} from './guard.js'
export {
  isKeyring,
  type KeyRefusal,
  type Keyring,
  keyring,
  SIGNER_CONFIG_CODE,
  type UsableKey,
  type VerifyKey,
} from './keyring.js'
export { KeyImportError, type KeyMaterial } from './keys.js'
export {
  fieldsFrom,
  type HttpMessage,
  requestMessage,
  responseMessage,
  targetOf,
} from './message.js'
export type { VerifySignatureOptions } from './options.js'
export {
  type SignatureFields,
  type SigningKey,
  type SignOptions,
  type SignRequestOptions,
  signedFetch,
  signMessage,
  signRequest,
  signResponse,
} from './sign.js'
export {
  type DigestPolicy,
  RawBodyUnavailableError,
  type RefusedSignature,
  type SignatureParam,
  type VerifiedSignature,
  type VerifyInput,
  type VerifyPolicy,
  type VerifyResult,
  verifyMessage,
} from './verify.js'
export { responseVerifier, type VerifyResponseOptions } from './verify-response.js'
export {
  type VerifyWebhookOptions,
  verifiedWebhook,
  verifyWebhook,
  type WebhookProfile,
} from './webhook-guard.js'
export * from './webhooks/index.js'
