/**
 * The events `rateLimit()` emits, added to core's `SecurityEventMap`. None carries the client
 * key unless `includeKeyInEvents` is set; core adds the request id, method, path and IP.
 * @module
 */

/** A violated policy, as reported in `rate-limit.exceeded`. */
export interface ExceededPolicy {
  readonly name: string
  readonly limit: number
  /** Window in ms. */
  readonly window: number
  /** Ms until this policy would admit the request (`Infinity`: its cost exceeds the limit). */
  readonly retryAfter: number
}

declare module '@rampart/core' {
  interface SecurityEventMap {
    /** A request (or a programmatic `consume`) was refused with 429. */
    'rate-limit.exceeded': {
      /** The policies that refused; empty when only a block did. */
      readonly policies: readonly ExceededPolicy[]
      /** Ms until the request would be admitted (`Infinity`: never, its cost exceeds a limit). */
      readonly retryAfter: number
      /** Whether a block (escalation or `block()`) refused it. */
      readonly blocked: boolean
      /** The client key, only with `includeKeyInEvents: true`. */
      readonly key?: string
    }
    /** Escalation started a block. */
    'rate-limit.blocked': {
      /** How long the block lasts, in ms. */
      readonly for: number
      /** The rejections that led to it. */
      readonly violations: number
      /** The client key, only with `includeKeyInEvents: true`. */
      readonly key?: string
    }
    /** A request was refused without counting: its address is on `deny`, or it has no key. */
    'rate-limit.denied': { readonly reason: 'deny-list' | 'no-key' }
  }
}
