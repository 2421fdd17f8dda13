/**
 * The policy's shapes: the config `definePolicy()` takes (with the names TypeScript infers from
 * it) and the decisions it answers with.
 * @module
 */
import type { Principal } from '@rampart/core'

/**
 * Who asks. Any core {@link Principal} fits; the two optional members bind roles per tenant:
 * `roles` hold in the principal's own `tenant` (or everywhere when the policy sees no tenant),
 * `tenantRoles` in the tenants they name. Only roles the policy declares `global` cross tenants.
 */
export interface RbacPrincipal extends Principal {
  /** The tenant `roles` are bound to. */
  readonly tenant?: string
  /** Further role bindings, per tenant id. */
  readonly tenantRoles?: Readonly<Record<string, readonly string[]>>
}

/**
 * A condition on the resource: ownership predicates, `when` on grants and deny rules. `context`
 * is the request's `SecurityContext` in guards, `options.context` in `can()`/`explain()`. A
 * condition that throws counts as failed (grants) or as holding (deny rules): fail closed.
 */
export type Condition<P extends RbacPrincipal = RbacPrincipal, R = unknown> = (
  principal: P,
  resource: R,
  context: unknown,
) => boolean

/** One resource type: its actions, its fields and how to tell its owner and tenant. */
export interface ResourceConfig {
  /** Action names, e.g. `['read', 'create', 'update', 'delete']`. */
  readonly actions: readonly string[]
  /**
   * Field paths (`'name'`, `'address.city'`): what field masks and field checks may name. Omitted:
   * any path is accepted and nothing is typed.
   */
  readonly fields?: readonly string[]
  /**
   * Who owns a resource, for `own` grants: the path of the field holding the owner's principal id
   * (compared as a string), or a predicate.
   */
  readonly owner?: string | Condition
  /** The path of the field holding the resource's tenant id (multi-tenant policies). */
  readonly tenant?: string
}

/**
 * A grant: permissions (`'partner:read'`, `'partner:*'`, `'*:read'`, `'*'`), on any resource or
 * only the principal's own, optionally under a condition, optionally limited to some fields.
 */
export interface GrantConfig {
  readonly allow: string | readonly string[]
  /** `'own'`: only resources the principal owns (the resource's `owner`). Default `'any'`. */
  readonly possession?: 'any' | 'own'
  /** A further condition on the resource; the grant holds only when it answers `true`. */
  readonly when?: Condition
  /**
   * The fields this grant covers, as patterns: `'name'`, `'address.city'`, `'*'` (every key at
   * one level), `'**'` (any depth), `'!creditLimit'` (never this one). Default: every field.
   */
  readonly fields?: readonly string[]
}

/**
 * A deny rule: always wins over any grant, whatever the declaration order. With `fields`, only
 * those fields are denied (removed from every grant's mask) and the permission itself stands.
 */
export interface DenyConfig {
  readonly deny: string | readonly string[]
  readonly when?: Condition
  readonly fields?: readonly string[]
}

/** A role: parents whose grants and denies it inherits (any number, any depth), its own rules. */
export interface RoleConfig {
  readonly inherits?: readonly string[]
  /** Grants as objects or strings: `'partner:read'`, `'partner:update:own'`. */
  readonly grants?: readonly (string | GrantConfig)[]
  readonly deny?: readonly (string | DenyConfig)[]
  /** Holds in every tenant, wherever the principal holds it (platform operators). Default false. */
  readonly global?: boolean
}

/** What `definePolicy()` takes. */
export interface PolicyConfig {
  readonly resources: Readonly<Record<string, ResourceConfig>>
  readonly roles: Readonly<Record<string, RoleConfig>>
}

// --- names inferred from a config -------------------------------------------------------------

/** The resource names of a config. */
export type ResourceOf<C extends PolicyConfig> = keyof C['resources'] & string

/** The action names of resource `R`. */
export type ActionOf<
  C extends PolicyConfig,
  R extends ResourceOf<C>,
> = C['resources'][R]['actions'][number]

/** Every `resource:action` a config declares: what `can()` accepts. */
export type Permission<C extends PolicyConfig> = {
  [R in ResourceOf<C>]: `${R}:${ActionOf<C, R>}`
}[ResourceOf<C>]

/** The resource of a permission. */
export type ResourceOfPermission<P extends string> = P extends `${infer R}:${string}` ? R : never

/** The declared field paths of resource `R` (any string when it declares none). */
export type FieldOf<C extends PolicyConfig, R extends ResourceOf<C>> = C['resources'][R] extends {
  readonly fields: readonly (infer F extends string)[]
}
  ? F
  : string

/** The role names of a config. */
export type RoleOf<C extends PolicyConfig> = keyof C['roles'] & string

/** Every action some resource of a config declares. */
export type AnyActionOf<C extends PolicyConfig> = {
  [R in ResourceOf<C>]: ActionOf<C, R>
}[ResourceOf<C>]

/** The declared fields of a permission's resource (any string for an unknown one). */
export type PermissionFieldOf<C extends PolicyConfig, P extends string> =
  ResourceOfPermission<P> extends infer R extends ResourceOf<C> ? FieldOf<C, R> : string

/**
 * A permission pattern rules may name: a declared permission, `resource:*`, `*:action` (an
 * action some resource declares), `*:*` or `*`.
 */
export type PermissionPattern<C extends PolicyConfig> =
  | Permission<C>
  | `${ResourceOf<C>}:*`
  | `*:${AnyActionOf<C>}`
  | '*:*'
  | '*'

/** A grant pattern: a {@link PermissionPattern}, optionally with `:own` (except a lone `*`). */
export type GrantPattern<C extends PolicyConfig> =
  | PermissionPattern<C>
  | `${Exclude<PermissionPattern<C>, '*'>}:own`

/** A {@link GrantConfig} whose patterns are checked against config `C`. */
export interface TypedGrantConfig<C extends PolicyConfig> extends Omit<GrantConfig, 'allow'> {
  readonly allow: GrantPattern<C> | readonly GrantPattern<C>[]
}

/** A {@link DenyConfig} whose patterns are checked against config `C`. */
export interface TypedDenyConfig<C extends PolicyConfig> extends Omit<DenyConfig, 'deny'> {
  readonly deny: PermissionPattern<C> | readonly PermissionPattern<C>[]
}

/** A {@link RoleConfig} whose parents and patterns are checked against config `C`. */
export interface TypedRoleConfig<C extends PolicyConfig>
  extends Omit<RoleConfig, 'inherits' | 'grants' | 'deny'> {
  readonly inherits?: readonly RoleOf<C>[]
  readonly grants?: readonly (GrantPattern<C> | TypedGrantConfig<C>)[]
  readonly deny?: readonly (PermissionPattern<C> | TypedDenyConfig<C>)[]
}

/**
 * What `definePolicy()` checks a literal config against, once `C` is inferred from it: rule
 * patterns name declared resources and actions, `inherits` names declared roles. A config whose
 * names are plain `string`s is checked at run time only.
 */
export type CheckedPolicyConfig<C extends PolicyConfig> = string extends ResourceOf<C> | RoleOf<C>
  ? // A config built at run time (names typed `string`): runtime validation alone.
    PolicyConfig
  : {
      readonly resources: C['resources']
      readonly roles: { readonly [K in keyof C['roles']]: TypedRoleConfig<C> }
    }

// --- decisions --------------------------------------------------------------------------------

/** Why a check was refused: a closed set, stable across versions. */
export type DenyReason =
  | 'no_grant'
  | 'denied_by_rule'
  | 'condition_failed'
  | 'field_forbidden'
  | 'unknown_role'
  | 'tenant_mismatch'

/** Every {@link DenyReason}, for validation and documentation. */
export const DENY_REASONS: readonly DenyReason[] = [
  'no_grant',
  'denied_by_rule',
  'condition_failed',
  'field_forbidden',
  'unknown_role',
  'tenant_mismatch',
]

/** The config rule a decision rests on: where it was declared, never a request value. */
export interface RuleRef {
  /** The role that declares it (an ancestor of the principal's role when inherited). */
  readonly role: string
  readonly kind: 'grant' | 'deny'
  /** Its index in that role's `grants` or `deny` list. */
  readonly index: number
  /** The permission pattern it was declared with, e.g. `'partner:*'`. */
  readonly pattern: string
}

/** The answer of `explain()`. */
export type Decision =
  /** Granted by `rule`. */
  | { readonly effect: 'allow'; readonly rule: RuleRef }
  /**
   * Asked without a resource, and every grant that could apply depends on it (ownership, a
   * condition, a conditional deny): not a yes. Ask again with the resource.
   */
  | { readonly effect: 'conditional'; readonly rule: RuleRef }
  /** Refused; `fields` lists the forbidden fields for `field_forbidden`. */
  | {
      readonly effect: 'deny'
      readonly reason: DenyReason
      readonly rule?: RuleRef
      readonly fields?: readonly string[]
    }

/** Options of `can()` and `explain()`. */
export interface CheckOptions<F extends string = string> {
  /**
   * The tenant the request acts in (from the trusted principal or the route, never from a client
   * header alone). Defaults to the resource's tenant field when the resource type declares one.
   */
  readonly tenant?: string
  /** Fields the caller wants to act on: each must be in the grant's field mask. */
  readonly fields?: readonly F[]
  /** Passed to conditions as their third argument. */
  readonly context?: unknown
}
