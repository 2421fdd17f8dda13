/**
 * `definePolicy()`: validates and compiles a policy once, and the {@link Policy} that answers
 * checks from the compiled tables.
 * @module
 */
import { type CompiledPolicy, compilePolicy, permInfo } from './compile.js'
import { decide, granted } from './decide.js'
import { type GuardPolicy, type RequireGuard, type RequireOptions, requireGuard } from './guard.js'
import { type FieldMask, NO_FIELDS } from './mask.js'
import { isPlainObject } from './paths.js'
import { RoleSets } from './roles.js'
import type {
  ActionOf,
  CheckedPolicyConfig,
  CheckOptions,
  Decision,
  Permission,
  PermissionFieldOf,
  PolicyConfig,
  RbacPrincipal,
  ResourceOf,
} from './types.js'
import { validatePolicy } from './validate.js'
import { checkWrite, type WriteCheck, type WriteOptions } from './write.js'

export type { WriteCheck, WriteOptions } from './write.js'

/** What `policy.filter()` gives for a value of type `T`. */
export type Filtered<T> = T extends readonly (infer E)[] ? Partial<E>[] : Partial<T> | undefined

/** A compiled policy. Every method answers from tables built by `definePolicy()`. */
export interface Policy<C extends PolicyConfig = PolicyConfig> {
  /**
   * True only for a definite yes: `conditional` and every deny answer false. Without a
   * resource, a grant that depends on it (`own`, `when`) or a pending conditional deny is not a
   * yes: pass the resource. Never throws (predicates that throw fail closed).
   */
  can<P extends Permission<C>>(
    principal: RbacPrincipal | undefined,
    permission: P,
    resource?: unknown,
    options?: CheckOptions<PermissionFieldOf<C, P>>,
  ): boolean
  /**
   * The decision with its reason and the config rule it rests on; never a request value (the
   * only names from the request are the asked `fields` a `field_forbidden` lists).
   */
  explain<P extends Permission<C>>(
    principal: RbacPrincipal | undefined,
    permission: P,
    resource?: unknown,
    options?: CheckOptions<PermissionFieldOf<C, P>>,
  ): Decision
  /**
   * The field mask the permission gives this principal over this resource: the union of the
   * holding grants' fields minus the holding field denies; {@link NO_FIELDS} unless the decision
   * is an allow.
   */
  fieldMask<P extends Permission<C>>(
    principal: RbacPrincipal | undefined,
    permission: P,
    resource?: unknown,
    options?: CheckOptions<PermissionFieldOf<C, P>>,
  ): FieldMask
  /**
   * Read filtering (OWASP API3): a copy of `value` with only the fields the permission's mask
   * allows. A record (a plain object) is decided on and filtered; one the principal may not
   * access gives `undefined`. A list is filtered item by item, each item decided on its own
   * (ownership and tenant may differ per item): items the principal may not access are
   * dropped, and so is every item that is not a record (a nested list, a primitive, a class
   * instance), since nothing could be decided on it. Any other value is no record: it comes
   * back whole only when the permission allows without a record and its mask covers every
   * field, and never for a resource type that declares a tenant; else `undefined`. The input
   * is never mutated.
   */
  filter<T, P extends Permission<C> = Permission<C>>(
    principal: RbacPrincipal | undefined,
    permission: P,
    value: T,
    options?: CheckOptions<PermissionFieldOf<C, P>>,
  ): Filtered<T>
  /**
   * Write check of a request body for `permission` on `options.resource`. The decision must
   * allow, and every path the write changes must be inside the permission's mask (prototype keys
   * never are): mode `'reject'` (default) refuses with the forbidden paths, `'strip'` removes the
   * forbidden changes from the body.
   *
   * A creation (no `resource`) writes every body path and is decided on the record it creates
   * (an `own` grant checks the body's owner, a body of another tenant is refused); an array body
   * is a bulk creation, each element a record decided on its own (paths reported `[i].name`);
   * any other body that is no record is decided without one.
   *
   * A write to a record is what it changes: a body path holding the record's current value
   * (deep-equal) is no write, so a client may send back a full record it may only partly edit;
   * with `merge: 'replace'` a path the record has and the body omits is a deletion, a write the
   * mask must allow (and that stripping cannot take back: refused); with `merge: 'patch'` (RFC
   * 7396, the default) a `null` deletes, a write of its path. The record the write produces is
   * decided again, with its own mask covering every change, and must keep the record's tenant,
   * so a PATCH cannot hand the record to someone else (its owner field) or move it out of its
   * tenant. Never throws.
   */
  checkWrite<P extends Permission<C>>(
    principal: RbacPrincipal | undefined,
    permission: P,
    body: unknown,
    options?: WriteOptions<PermissionFieldOf<C, P>>,
  ): WriteCheck
  /** The guard for a route: `policy.require('partner:update', { load })` (see `guard.ts`). */
  require<R = unknown>(
    permission: Permission<C>,
    options?: RequireOptions<R, Permission<C>>,
  ): RequireGuard<R>
  /** Declared role names, in declaration order. */
  readonly roles: readonly string[]
  /** Declared resources with their actions. */
  readonly resources: { readonly [R in ResourceOf<C>]: readonly ActionOf<C, R>[] }
}

/** The policy behind {@link definePolicy}: one instance, methods on the prototype. */
class CompiledPolicyImpl implements GuardPolicy {
  readonly roles: readonly string[]
  readonly resources: Readonly<Record<string, readonly string[]>>
  private readonly compiled: CompiledPolicy
  private readonly sets: RoleSets

  constructor(compiled: CompiledPolicy) {
    this.compiled = compiled
    this.sets = new RoleSets(compiled)
    this.roles = Object.freeze([...compiled.roleNames])
    const resources: Record<string, readonly string[]> = {}
    for (const r of compiled.resources) resources[r.name] = Object.freeze([...r.actions])
    this.resources = Object.freeze(resources)
  }

  can(
    principal: RbacPrincipal | undefined,
    permission: string,
    resource?: unknown,
    options?: CheckOptions,
  ): boolean {
    // The type-level fast path: a Map get, a WeakMap get and a precomputed flag. Reading the
    // roles runs app code (a getter, a Proxy): one that throws is a no, as in `decide`.
    if (resource === undefined && options === undefined) {
      if (typeof principal !== 'object' || principal === null) return false
      try {
        const info = permInfo(this.compiled, permission)
        return info !== undefined && this.sets.of(principal.roles).entry(info.index).typeAllow
      } catch {
        return false
      }
    }
    const d = decide(this.compiled, this.sets, principal, permission, resource, options, false)
    return d.effect === 'allow'
  }

  explain(
    principal: RbacPrincipal | undefined,
    permission: string,
    resource?: unknown,
    options?: CheckOptions,
  ): Decision {
    return decide(this.compiled, this.sets, principal, permission, resource, options, false)
  }

  fieldMask(
    principal: RbacPrincipal | undefined,
    permission: string,
    resource?: unknown,
    options?: CheckOptions,
  ): FieldMask {
    const d = decide(this.compiled, this.sets, principal, permission, resource, options, true)
    return d.effect === 'allow' ? granted.mask : NO_FIELDS
  }

  filter(
    principal: RbacPrincipal | undefined,
    permission: string,
    value: unknown,
    options?: CheckOptions,
  ): unknown {
    const { compiled, sets } = this
    if (Array.isArray(value)) {
      // Records only: a nested list or a primitive is no record to decide on, so it is dropped.
      const out: unknown[] = []
      for (const item of value) {
        if (!isPlainObject(item)) continue
        const d = decide(compiled, sets, principal, permission, item, options, true)
        if (d.effect !== 'allow') continue
        const kept = granted.mask.filter(item)
        if (kept !== undefined) out.push(kept)
      }
      return out
    }
    if (isPlainObject(value)) {
      const d = decide(compiled, sets, principal, permission, value, options, true)
      return d.effect === 'allow' ? granted.mask.filter(value) : undefined
    }
    // Not a record (a primitive, null, a class instance): nothing to decide ownership, a
    // condition or a tenant on. It passes whole only under a plain yes without the record and a
    // mask of every field, and never for a multi-tenant type (its tenant cannot be known).
    if (permInfo(compiled, permission)?.resource.tenantPath !== undefined) return undefined
    const d = decide(compiled, sets, principal, permission, undefined, options, true)
    return d.effect === 'allow' && granted.mask.all ? value : undefined
  }

  checkWrite(
    principal: RbacPrincipal | undefined,
    permission: string,
    body: unknown,
    options?: WriteOptions,
  ): WriteCheck {
    return checkWrite(this.compiled, this.sets, principal, permission, body, options)
  }

  require(permission: string, options?: RequireOptions): RequireGuard {
    return requireGuard(this, permission, options)
  }
}

/**
 * Validates and compiles a policy, once: the role hierarchy flattened (any number of parents,
 * any depth), wildcards resolved, answers without a resource precomputed. TypeScript infers
 * the resources, actions and fields from the literal config, so `policy.can(user,
 * 'partner:delet')` does not compile, and checks rule patterns and parents against it.
 * @throws PolicyConfigError listing every problem, each with its path and a stable code.
 * @example
 * const policy = definePolicy({
 *   resources: { partner: { actions: ['read', 'update'], owner: 'ownerId' } },
 *   roles: {
 *     viewer: { grants: ['partner:read'] },
 *     editor: { inherits: ['viewer'], grants: ['partner:update:own'] },
 *   },
 * })
 * policy.can(user, 'partner:update', partner)
 */
export function definePolicy<const C extends PolicyConfig>(
  config: C & NoInfer<CheckedPolicyConfig<C>>,
): Policy<C> {
  const compiled = compilePolicy(validatePolicy(config))
  return Object.freeze(new CompiledPolicyImpl(compiled)) as unknown as Policy<C>
}
