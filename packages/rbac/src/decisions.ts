/**
 * The decisions that carry no rule, shared and frozen: answering one allocates nothing and no
 * caller can alter another's answer.
 * @module
 */
import type { Decision, DenyReason, RuleRef } from './types.js'

/** A refusal without a rule. */
export type Refusal = Decision & { readonly effect: 'deny' }

function refusal(reason: DenyReason): Refusal {
  return Object.freeze({ effect: 'deny', reason }) as Refusal
}

/** No grant covers the permission (or no principal, or an unknown permission). */
export const NO_GRANT: Refusal = refusal('no_grant')
/** The principal holds roles, none of them declared. */
export const UNKNOWN_ROLE: Refusal = refusal('unknown_role')
/** The resource's owner or tenant field could not be read (a getter threw): fail closed. */
export const UNREADABLE: Refusal = refusal('condition_failed')
/** The record belongs to another tenant, or none of the principal's roles holds in the tenant. */
export const TENANT_MISMATCH: Refusal = refusal('tenant_mismatch')

/** The decisions a rule answers with, built once per rule. */
export interface RuleDecisions {
  /** A grant that holds. */
  readonly allow: Decision
  /** A grant that depends on the resource, asked without one. */
  readonly pending: Decision
  /** A grant whose condition failed, or a deny rule that holds. */
  readonly refused: Refusal
}

/** Builds the frozen decisions of one rule. */
export function ruleDecisions(ref: RuleRef): RuleDecisions {
  return {
    allow: Object.freeze({ effect: 'allow', rule: ref }),
    pending: Object.freeze({ effect: 'conditional', rule: ref }),
    refused: Object.freeze({
      effect: 'deny',
      reason: ref.kind === 'deny' ? 'denied_by_rule' : 'condition_failed',
      rule: ref,
    }) as Refusal,
  }
}

/**
 * A `field_forbidden` refusal naming the fields asked about that the mask refuses; without a
 * rule when no rule refused them (a bulk creation's element that is no record).
 */
export function fieldForbidden(rule: RuleRef | undefined, fields: readonly string[]): Refusal {
  const list = Object.freeze([...fields])
  return Object.freeze(
    rule === undefined
      ? { effect: 'deny', reason: 'field_forbidden', fields: list }
      : { effect: 'deny', reason: 'field_forbidden', rule, fields: list },
  ) as Refusal
}
