/**
 * The decision: who asks, in which tenant, with which roles, for which permission, on which
 * resource and fields. Compiled tables answer; nothing here allocates unless a field list or a
 * conditional mask has to be built, and only predicate calls are wrapped in try/catch.
 * @module
 */
import { type Atom, append, type CompiledPolicy, type Entry, permInfo } from './compile.js'
import { fieldForbidden, NO_GRANT, TENANT_MISMATCH, UNREADABLE } from './decisions.js'
import { denyCovering, refusedFields, resourceMask, staticMask, strictMask } from './fields.js'
import { type FieldMask, NO_FIELDS } from './mask.js'
import { isPlainObject } from './paths.js'
import type { RoleSets } from './roles.js'
import type { CheckOptions, Condition, Decision, RbacPrincipal } from './types.js'

/**
 * Where {@link decide} leaves the field mask of an allow when asked for it. Read it right after
 * the call: it is set last, after every predicate ran, so a predicate that itself checks the
 * policy cannot overwrite it.
 */
export const granted: { mask: FieldMask } = { mask: NO_FIELDS }

/**
 * A principal id or tenant as compared: a non-empty string, or a finite number as a string.
 */
export function idOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined
}

/**
 * Reads a field path. A getter that throws is caught by {@link decide}, whose answer is then a
 * refusal: no try/catch per read on the hot path.
 */
function readPath(value: unknown, path: readonly string[]): unknown {
  let v: unknown = value
  for (let i = 0; i < path.length; i++) {
    if (typeof v !== 'object' || v === null) return undefined
    v = (v as Record<string, unknown>)[path[i] as string]
  }
  return v
}

// Two readers for the two one-key reads of every check (the tenant, the owner): each load site
// then sees one or two field names and stays fast, where one shared site seeing both slowed
// every ownership check by a fifth.

/** The resource's tenant field. */
function tenantField(value: unknown, path: readonly string[]): unknown {
  if (path.length !== 1) return readPath(value, path)
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[path[0] as string]
    : undefined
}

/**
 * Whether a resource is a record (a plain object). Records from literals and `JSON.parse` answer
 * on the first test, one monomorphic load; `isPlainObject` alone (a `getPrototypeOf` call) cost
 * every check on a multi-tenant type a third more. Null-prototype and other-realm objects fall
 * through to it.
 */
function isRecord(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false
  return (value as { constructor?: unknown }).constructor === Object || isPlainObject(value)
}

/**
 * The tenant a resource belongs to: its tenant field as an id, when it is a record with a valid
 * one; `undefined` otherwise (such a value belongs to no tenant).
 */
function recordTenant(value: unknown, path: readonly string[]): string | undefined {
  return isRecord(value) ? idOf(tenantField(value, path)) : undefined
}

/** The resource's owner field. */
function ownerField(value: unknown, path: readonly string[]): unknown {
  if (path.length !== 1) return readPath(value, path)
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[path[0] as string]
    : undefined
}

function owns(atom: Atom, principal: RbacPrincipal, resource: unknown, context: unknown): boolean {
  if (atom.ownerFn !== undefined) return grantCondition(atom.ownerFn, principal, resource, context)
  const owner = ownerField(resource, atom.ownerPath as readonly string[])
  if (typeof owner === 'string' && owner === principal.id) return owner !== ''
  const id = idOf(owner)
  return id !== undefined && id === idOf(principal.id)
}

/** A grant's condition holds on `true` only; one that throws has failed. */
function grantCondition(
  fn: Condition,
  principal: RbacPrincipal,
  resource: unknown,
  context: unknown,
): boolean {
  try {
    return fn(principal, resource, context) === true
  } catch {
    return false
  }
}

/** A deny rule's condition holds on anything but `false`, and when it throws: fail closed. */
function denyCondition(
  fn: Condition,
  principal: RbacPrincipal,
  resource: unknown,
  context: unknown,
): boolean {
  try {
    return fn(principal, resource, context) !== false
  } catch {
    return true
  }
}

function grantHolds(atom: Atom, principal: RbacPrincipal, resource: unknown, context: unknown) {
  if (atom.own && !owns(atom, principal, resource, context)) return false
  return atom.when === undefined || grantCondition(atom.when, principal, resource, context)
}

/**
 * Decides one check (the steps of the package's decision, in order). With `wantMask`, an allow
 * leaves its field mask in {@link granted}. Never throws: a resource whose owner or tenant field
 * cannot be read (a throwing getter, a revoked proxy) is refused as `condition_failed`.
 */
export function decide(
  policy: CompiledPolicy,
  sets: RoleSets,
  principal: RbacPrincipal | undefined,
  permission: string,
  resource: unknown,
  options: CheckOptions | undefined,
  wantMask: boolean,
): Decision {
  try {
    return decideChecked(policy, sets, principal, permission, resource, options, wantMask)
  } catch {
    return UNREADABLE
  }
}

function decideChecked(
  policy: CompiledPolicy,
  sets: RoleSets,
  principal: RbacPrincipal | undefined,
  permission: string,
  resource: unknown,
  options: CheckOptions | undefined,
  wantMask: boolean,
): Decision {
  // 1. Nobody asks.
  if (typeof principal !== 'object' || principal === null) return NO_GRANT
  const info = permInfo(policy, permission)
  // 2. The tenant in play: the option, else the resource's; both and different: another
  // tenant's record (BOLA across tenants). A resource of a multi-tenant type is a record of its
  // tenant only: one that is not a plain object (a list, a class instance) or whose tenant
  // field is not a valid id belongs to no tenant and is refused, tenant option or not.
  let tenant: string | undefined
  if (options !== undefined && options.tenant !== undefined) {
    tenant = idOf(options.tenant)
    if (tenant === undefined) return TENANT_MISMATCH
  }
  const tenantPath = info === undefined ? undefined : info.resource.tenantPath
  if (resource !== undefined && tenantPath !== undefined) {
    const own = recordTenant(resource, tenantPath)
    if (own === undefined || (tenant !== undefined && own !== tenant)) return TENANT_MISMATCH
    tenant = own
  }
  // 3–4. The roles in effect there; unknown ones are ignored.
  // The principal's own tenant with no other bindings (the usual case): its roles as they are.
  const set =
    tenant === undefined || (principal.tenant === tenant && principal.tenantRoles === undefined)
      ? sets.of(principal.roles)
      : sets.inTenant(principal, tenant)
  if (set.refusal !== undefined) return set.refusal
  // 5. An unknown permission (possible from JavaScript) is simply not granted.
  if (info === undefined) return NO_GRANT
  const entry = set.entry(info.index)
  if (entry.deny !== undefined) return entry.deny.refused
  const fields = options === undefined ? undefined : options.fields
  if (resource === undefined) {
    const answer = entry.typeDecision
    if (answer.effect !== 'allow' || (fields === undefined && !wantMask)) return answer
    return typeFields(entry, answer, fields, wantMask)
  }
  const context = options === undefined ? undefined : options.context
  // Indexed loops: a for-of here allocated an iterator per check.
  const condDenies = entry.condDenies
  for (let i = 0; i < condDenies.length; i++) {
    const atom = condDenies[i] as Atom
    if (denyCondition(atom.when as Condition, principal, resource, context)) return atom.refused
  }
  // 6. Grants: any unconditional one, else the first conditional one that holds. The mask
  // needs every grant that holds.
  const needMask = wantMask || fields !== undefined
  let allowed = entry.grants[0]
  let holding: Atom[] | undefined
  const conditional = entry.condGrants
  if (allowed === undefined || needMask) {
    for (let i = 0; i < conditional.length; i++) {
      const atom = conditional[i] as Atom
      if (!grantHolds(atom, principal, resource, context)) continue
      allowed ??= atom
      if (!needMask) break
      holding = append(holding, atom)
    }
  }
  if (allowed === undefined) return conditional.length > 0 ? conditional[0]!.refused : NO_GRANT
  if (!needMask) return allowed.allow
  // 7. Fields: the mask of what held.
  let denies: Atom[] | undefined
  const condFieldDenies = entry.condFieldDenies
  for (let i = 0; i < condFieldDenies.length; i++) {
    const atom = condFieldDenies[i] as Atom
    if (denyCondition(atom.when as Condition, principal, resource, context)) {
      denies = append(denies, atom)
    }
  }
  const mask = resourceMask(entry, holding, denies)
  if (fields !== undefined) {
    const refused = refusedFields(mask, fields)
    if (refused !== undefined) {
      const first = refused[0] as string
      const rule =
        denyCovering(first, entry.fieldDenies) ?? denyCovering(first, denies ?? []) ?? allowed
      return fieldForbidden(rule.ref, refused)
    }
  }
  granted.mask = mask
  return allowed.allow
}

/**
 * Fields without a resource: field denies with a `when` count as holding; a field refused only
 * by them answers `conditional` (ask again with the resource).
 */
function typeFields(
  entry: Entry,
  answer: Decision,
  fields: readonly unknown[] | undefined,
  wantMask: boolean,
): Decision {
  const strict = strictMask(entry)
  if (fields !== undefined) {
    const refused = refusedFields(strict, fields)
    if (refused !== undefined) {
      const lenient = staticMask(entry)
      const sure = lenient === strict ? refused : refusedFields(lenient, refused)
      if (sure === undefined) {
        const first = refused[0] as string
        return (denyCovering(first, entry.condFieldDenies) ?? entry.condFieldDenies[0]!).pending
      }
      const rule = denyCovering(sure[0] as string, entry.fieldDenies) ?? entry.grants[0]!
      return fieldForbidden(rule.ref, sure)
    }
  }
  if (wantMask) granted.mask = strict
  return answer
}
