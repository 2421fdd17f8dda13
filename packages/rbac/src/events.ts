/**
 * The events `@rampart/rbac` emits. They name the permission, the reason and the config rule,
 * never a request value (no record, no body, no field value).
 * @module
 */
import type { DenyReason, RuleRef } from './types.js'

/** Why a guard refused: a decision's reason, or what the guard found before deciding. */
export type DeniedReason = DenyReason | 'unauthenticated' | 'not_found'

declare module '@rampart/core' {
  interface SecurityEventMap {
    /**
     * A `policy.require()` guard refused a request: `status` is what the client got (401, 403 or
     * 404), `rule` the config rule the refusal rests on, `forbidden` the body paths a write mask
     * refused (`field_forbidden`), `principal` the principal's id.
     */
    'rbac.denied': {
      readonly permission: string
      readonly reason: DeniedReason
      readonly status: number
      readonly principal?: string
      readonly rule?: RuleRef
      readonly forbidden?: readonly string[]
    }
  }
}
