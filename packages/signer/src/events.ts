/**
 * The events `@rampart/signer` emits. They name keys by `keyid` only; key material, signatures
 * and nonces never appear.
 * @module
 */
import type { FailureCode } from './codes.js'

declare module '@rampart/core' {
  interface SecurityEventMap {
    /** A request signature verified. */
    'signature.verified': { readonly keyid: string; readonly label: string; readonly alg: string }
    /** A request was refused for its signature; `reason` explains `code` for logs. */
    'signature.rejected': {
      readonly code: FailureCode | 'raw-body-unavailable'
      readonly reason: string
      readonly label?: string
      readonly keyid?: string
    }
    /** A webhook delivery verified. */
    'webhook.verified': { readonly profile: string; readonly id?: string }
    /** A webhook delivery was refused. */
    'webhook.rejected': {
      readonly profile: string
      readonly code: string
      readonly id?: string
    }
  }
}
