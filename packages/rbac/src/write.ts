/**
 * The write check (OWASP API3, and BOLA through a body): the permission must allow on the
 * target, the body may only write what the permission's mask allows, and the record the write
 * produces must be allowed too, so a PATCH cannot hand a record to another owner or tenant.
 * @module
 */
import type { CompiledPolicy } from './compile.js'
import { decide, granted } from './decide.js'
import { fieldForbidden, type Refusal } from './decisions.js'
import { mergePatch } from './merge.js'
import { isPlainObject } from './paths.js'
import type { RoleSets } from './roles.js'
import type { CheckOptions, Decision, RbacPrincipal } from './types.js'

/** What `policy.checkWrite()` answers. */
export type WriteCheck =
  | {
      readonly ok: true
      /** The body as given, or (mode `'strip'`) a copy without the forbidden paths. */
      readonly body: unknown
      /** The paths stripped (mode `'strip'`); empty otherwise. */
      readonly stripped: readonly string[]
    }
  | {
      readonly ok: false
      readonly decision: Decision & { readonly effect: 'deny' }
      /** The body paths the mask refuses (`field_forbidden`); empty for other reasons. */
      readonly forbidden: readonly string[]
    }

/** Options of `policy.checkWrite()`. */
export interface WriteOptions<F extends string = string> extends CheckOptions<F> {
  /** The record written to; omitted for a creation (then the body is the record created). */
  readonly resource?: unknown
  /** `'reject'` (default) refuses a body with forbidden paths; `'strip'` removes them. */
  readonly mode?: 'reject' | 'strip'
  /**
   * How the body applies to `resource` for the second decision: `'patch'` (default, RFC 7396
   * merge patch) or `'replace'` (the body is the whole new record).
   */
  readonly merge?: 'patch' | 'replace'
}

const NONE: readonly string[] = Object.freeze([])

function refuse(decision: Decision): WriteCheck {
  if (decision.effect === 'deny') return { ok: false, decision, forbidden: NONE }
  // `conditional` (a creation whose body is not a record) is not a yes.
  const refusal = Object.freeze({
    effect: 'deny',
    reason: 'condition_failed',
    rule: decision.rule,
  }) as Refusal
  return { ok: false, decision: refusal, forbidden: NONE }
}

/**
 * Checks a write. A creation (no `resource`) is decided on the record the body would create,
 * so an `own` grant checks the body's owner and a body naming another tenant is refused.
 */
export function checkWrite(
  policy: CompiledPolicy,
  sets: RoleSets,
  principal: RbacPrincipal | undefined,
  permission: string,
  body: unknown,
  options: WriteOptions | undefined,
): WriteCheck {
  const resource = options?.resource
  // The fields option is the caller's read question; a write asks about the body's paths.
  const base: CheckOptions = { tenant: options?.tenant, context: options?.context }
  const creation = resource === undefined
  const target = creation ? (isPlainObject(body) ? body : undefined) : resource
  const first = decide(policy, sets, principal, permission, target, base, true)
  if (first.effect !== 'allow') return refuse(first)
  const mask = granted.mask
  const forbidden = mask.forbidden(body)
  let written = body
  if (forbidden.length > 0) {
    if (options?.mode !== 'strip') {
      return {
        ok: false,
        decision: fieldForbidden(first.rule, forbidden),
        forbidden: Object.freeze(forbidden),
      }
    }
    written = mask.strip(body)
  }
  // The record the write produces must be allowed too: the target with the body applied (no
  // body changes nothing), or a creation whose body lost paths to stripping.
  if (!creation) {
    const after =
      written === undefined
        ? resource
        : options?.merge === 'replace'
          ? written
          : mergePatch(resource, written)
    const second = decide(policy, sets, principal, permission, after, base, false)
    if (second.effect !== 'allow') return refuse(second)
  } else if (written !== body && isPlainObject(written)) {
    const second = decide(policy, sets, principal, permission, written, base, false)
    if (second.effect !== 'allow') return refuse(second)
  }
  return {
    ok: true,
    body: written,
    stripped: forbidden.length > 0 ? Object.freeze(forbidden) : NONE,
  }
}
