/**
 * `policy.require()`: the guard that puts a permission in front of a route. It answers 401
 * without a principal, checks the permission before touching storage, loads the target record
 * once (object level, OWASP API1), decides on it, checks a write body against the field mask
 * (OWASP API3) and the record the write would produce, then hands the record and a read filter
 * to the handler. Anything that throws (the loader, the app's principal function) fails closed
 * through the engine: a 500 problem that discloses nothing.
 * @module
 */
import {
  closestMatch,
  functionSchema,
  type Guard,
  oneOfSchema,
  parseOptions,
  RampartConfigError,
  type SecurityContext,
  type StateKey,
  stateKey,
  z,
} from '@rampart/core'
import { RBAC_CONFIG_CODE } from './errors.js'
import type { DeniedReason } from './events.js'
import { forbidden, forbiddenFields, notFound, unauthenticated } from './problems.js'
import type { CheckOptions, Decision, RbacPrincipal } from './types.js'

/** What a write check answers (see `policy.checkWrite()`). */
type WriteAnswer =
  | { readonly ok: true; readonly body: unknown; readonly stripped: readonly string[] }
  | {
      readonly ok: false
      readonly decision: Decision & { readonly effect: 'deny' }
      readonly forbidden: readonly string[]
    }

/** The slice of a policy the guard uses (any `Policy` fits). */
export interface GuardPolicy {
  /** Declared resources with their actions: the permissions `require()` may name. */
  readonly resources: Readonly<Record<string, readonly string[]>>
  explain(
    principal: RbacPrincipal | undefined,
    permission: string,
    resource?: unknown,
    options?: CheckOptions,
  ): Decision
  checkWrite(
    principal: RbacPrincipal | undefined,
    permission: string,
    body: unknown,
    options?: CheckOptions & {
      readonly resource?: unknown
      readonly mode?: 'reject' | 'strip'
      readonly merge?: 'patch' | 'replace'
    },
  ): WriteAnswer
  filter<T>(
    principal: RbacPrincipal | undefined,
    permission: string,
    value: T,
    options?: CheckOptions,
  ): unknown
}

/** Options of `policy.require()`. */
export interface RequireOptions<R = unknown, P extends string = string> {
  /**
   * Loads the record the request targets, once, after the permission is known to be possible
   * (e.g. `(ctx) => db.partners.get(ctx.params()?.id)`). `undefined` or `null` answers 404. A
   * loader that throws fails closed (500). Omit it for routes without a record (lists, creation).
   */
  readonly load?: (ctx: SecurityContext) => R | null | undefined | Promise<R | null | undefined>
  /**
   * The tenant the request acts in: from the route or the trusted principal (e.g.
   * `(ctx) => ctx.params()?.tenant`), never from a client header alone. Default: the loaded
   * record's tenant field, if its resource type declares one.
   */
  readonly tenant?: (ctx: SecurityContext, principal: RbacPrincipal) => string | undefined
  /** Answer 404 instead of 403, so a refused caller cannot tell a record exists. Default `false`. */
  readonly hide?: boolean
  /**
   * The write-mask check of the request body: `'reject'` answers 403 with the forbidden paths,
   * `'strip'` removes them and the handler sees the rest, `false` skips it. Default `'reject'`
   * for POST, PUT and PATCH; other methods' bodies are not checked unless this is set.
   */
  readonly body?: 'reject' | 'strip' | false
  /**
   * How the body applies to the loaded record when the result is decided again (so a PATCH
   * cannot hand the record to another owner or tenant): `'patch'` (RFC 7396) or `'replace'`.
   * Default: `'replace'` for PUT, `'patch'` otherwise.
   */
  readonly merge?: 'patch' | 'replace'
  /** The permission whose field mask `access.filter()` applies. Default: `<resource>:read`. */
  readonly read?: P
}

/** What a passing `require()` guard hands the handler through the adapter's state accessor. */
export interface Access<R = unknown> {
  readonly principal: RbacPrincipal
  /** The permission the guard checked. */
  readonly permission: string
  /** The loaded record (`undefined` without `load`). */
  readonly resource: R | undefined
  /**
   * What the `tenant` option answered; `undefined` without it (the record's own tenant field,
   * when its type declares one, decided instead).
   */
  readonly tenant: string | undefined
  /** The allowing decision. */
  readonly decision: Decision
  /**
   * A copy of `value` (a record or a list of records) with only the fields the read permission
   * lets this principal see; each list item is decided on its own (ownership differs per item)
   * and items the principal may not read are dropped; a record it may not read gives `undefined`.
   */
  filter<T>(value: T): T extends readonly (infer E)[] ? Partial<E>[] : Partial<T> | undefined
}

/** The guard `policy.require()` returns, with the state key its handler reads. */
export interface RequireGuard<R = unknown> extends Guard {
  /** This guard's {@link Access}, e.g. `getState(req, guard.access)`. */
  readonly access: StateKey<Access<R>>
}

/** The {@link Access} of the last `require()` guard that passed on this request. */
export const rbacAccess: StateKey<Access> = stateKey<Access>('rbacAccess')

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH'])

const SCOPE = '@rampart/rbac require()'

const optionsSchema = z.strictObject({
  load: functionSchema('(ctx) => record | undefined').optional(),
  tenant: functionSchema('(ctx, principal) => string | undefined').optional(),
  hide: z.boolean().optional(),
  body: z
    .custom<'reject' | 'strip' | false>(
      (v) => v === false || v === 'reject' || v === 'strip',
      "expected 'reject', 'strip' or false",
    )
    .optional(),
  merge: oneOfSchema(['patch', 'replace'] as const).optional(),
  read: z.string().optional(),
})

/** Whether the policy declares `permission` (`resource:action`). */
function isDeclared(policy: GuardPolicy, permission: unknown): boolean {
  const colon = typeof permission === 'string' ? permission.indexOf(':') : -1
  const actions =
    colon > 0 && Object.hasOwn(policy.resources, (permission as string).slice(0, colon))
      ? policy.resources[(permission as string).slice(0, colon)]
      : undefined
  return actions?.includes((permission as string).slice(colon + 1)) === true
}

/** Throws a config error unless `permission` is declared: a typo would refuse every request. */
function assertDeclared(policy: GuardPolicy, permission: unknown, path: string): void {
  if (isDeclared(policy, permission)) return
  const declared = Object.entries(policy.resources).flatMap(([r, list]) =>
    list.map((a) => `${r}:${a}`),
  )
  const near = typeof permission === 'string' ? closestMatch(permission, declared) : undefined
  throw new RampartConfigError(
    SCOPE,
    [
      {
        path,
        message: `'${String(permission)}' is not a declared permission (resource:action).${near === undefined ? '' : ` Did you mean '${near}'?`}`,
      },
    ],
    RBAC_CONFIG_CODE,
  )
}

/** Whether the principal holds roles bound to tenants (`tenantRoles`). */
function hasBindings(principal: RbacPrincipal): boolean {
  const bindings = principal.tenantRoles
  return typeof bindings === 'object' && bindings !== null && Object.keys(bindings).length > 0
}

/** Builds the guard for one permission: the implementation of `policy.require()`. */
export function requireGuard<R = unknown>(
  policy: GuardPolicy,
  permission: string,
  options: RequireOptions<R> = {},
): RequireGuard<R> {
  parseOptions(SCOPE, optionsSchema, options, RBAC_CONFIG_CODE)
  assertDeclared(policy, permission, 'permission')
  if (options.read !== undefined) assertDeclared(policy, options.read, 'read')
  const access = stateKey<Access<R>>(`rbac:${permission}`)
  const readPermission = options.read ?? `${permission.slice(0, permission.indexOf(':'))}:read`
  // A resource without a `read` action has no mask to filter with: say so where it is used,
  // rather than filter everything away.
  const readable = isDeclared(policy, readPermission)
  const refusal = options.hide === true ? notFound : forbidden
  const { load, tenant: tenantOf, merge } = options

  const deny = (
    ctx: SecurityContext,
    reason: DeniedReason,
    principal: RbacPrincipal | undefined,
    decision?: Decision,
    paths?: readonly string[],
  ): void => {
    const problem =
      reason === 'unauthenticated'
        ? unauthenticated
        : reason === 'not_found'
          ? notFound
          : paths !== undefined && paths.length > 0 && options.hide !== true
            ? forbiddenFields(paths)
            : refusal
    ctx.emit('rbac.denied', {
      permission,
      reason,
      status: problem.status,
      ...(principal === undefined ? {} : { principal: principal.id }),
      ...(decision !== undefined && 'rule' in decision && decision.rule !== undefined
        ? { rule: decision.rule }
        : {}),
      ...(paths !== undefined && paths.length > 0 ? { forbidden: paths } : {}),
    })
    ctx.deny(problem)
  }

  return {
    name: 'rbac',
    access,
    async request(ctx) {
      const principal = (await ctx.principal()) as RbacPrincipal | null | undefined
      // An app's principal function may answer null (or junk) for "nobody": all are 401.
      if (typeof principal !== 'object' || principal === null) {
        return deny(ctx, 'unauthenticated', undefined)
      }
      const tenant = tenantOf?.(ctx, principal)
      const base: CheckOptions = { tenant, context: ctx }
      // Before any storage is touched: a caller without even a conditional grant learns nothing.
      // Roles bound per tenant count only once the record's tenant is known: without a tenant
      // option, such a principal is decided on the record.
      const possible = policy.explain(principal, permission, undefined, base)
      if (
        possible.effect === 'deny' &&
        !(tenant === undefined && load !== undefined && hasBindings(principal))
      ) {
        return deny(ctx, possible.reason, principal, possible)
      }
      let resource: R | undefined
      if (load !== undefined) {
        resource = (await load(ctx)) ?? undefined
        if (resource === undefined) return deny(ctx, 'not_found', principal)
      }
      let decision: Decision = possible
      // A loaded record decides (also for the bound principal let through above).
      if (resource !== undefined || possible.effect === 'conditional') {
        decision = policy.explain(principal, permission, resource, base)
      }
      const mode = options.body ?? (WRITE_METHODS.has(ctx.method) ? 'reject' : false)
      if (mode !== false) {
        const body = await ctx.body()
        if (body !== undefined) {
          const written = policy.checkWrite(principal, permission, body, {
            ...base,
            resource,
            mode,
            merge: merge ?? (ctx.method === 'PUT' ? 'replace' : 'patch'),
          })
          if (!written.ok) {
            const { decision: refused } = written
            return deny(ctx, refused.reason, principal, refused, written.forbidden)
          }
          if (written.stripped.length > 0) ctx.setBody(written.body)
          // A creation is decided on the record it would create (an `own` grant: its owner); a
          // bulk creation's records were each decided by the write check already.
          if (decision.effect === 'conditional') {
            decision = Array.isArray(written.body)
              ? { effect: 'allow', rule: decision.rule }
              : policy.explain(principal, permission, written.body, base)
          }
        }
      }
      if (decision.effect !== 'allow') {
        const reason = decision.effect === 'deny' ? decision.reason : 'condition_failed'
        return deny(ctx, reason, principal, decision)
      }
      const granted: Access<R> = {
        principal,
        permission,
        resource,
        tenant,
        decision,
        filter: ((value: unknown) => {
          if (!readable) {
            throw new Error(
              `@rampart/rbac: access.filter() needs a read permission, and '${readPermission}' is not declared; pass require()'s 'read' option`,
            )
          }
          return policy.filter(principal, readPermission, value, { tenant, context: ctx })
        }) as Access<R>['filter'],
      }
      ctx.state.set(access, granted)
      ctx.state.set(rbacAccess, granted as Access)
    },
  }
}
