/**
 * Role sets: the roles a principal holds in the tenant in play, their tables combined lazily
 * per permission and cached, so the next check with the same roles array is a WeakMap hit.
 * @module
 */
import {
  type CompiledPolicy,
  type CompiledRole,
  EMPTY_ENTRY,
  type Entry,
  mergeEntries,
} from './compile.js'
import { NO_GRANT, type Refusal, TENANT_MISMATCH, UNKNOWN_ROLE } from './decisions.js'
import type { RbacPrincipal } from './types.js'

/** Role sets kept by their names, beyond the arrays the WeakMap holds. */
export const MAX_ROLE_SETS = 1_024

/** The declared roles in effect for one check, and what they may do. */
export class RoleSet {
  /** Entries by permission index, filled on first use. */
  private readonly entries: (Entry | undefined)[]
  /** The subset of global roles (lazy): what holds outside the principal's tenant. */
  globals: RoleSet | undefined

  constructor(
    /** Declared roles, in declaration order, without repeats. */
    readonly roles: readonly CompiledRole[],
    permCount: number,
    /** Set on the sets that answer before any permission is looked at. */
    readonly refusal?: Refusal,
  ) {
    this.entries = roles.length === 0 ? [] : new Array<Entry | undefined>(permCount).fill(undefined)
  }

  /** What these roles may do with the permission at `index`. */
  entry(index: number): Entry {
    const entry = this.entries[index]
    return entry !== undefined ? entry : this.fill(index)
  }

  private fill(index: number): Entry {
    const { roles } = this
    if (roles.length === 0) return EMPTY_ENTRY
    let entry: Entry
    if (roles.length === 1) entry = (roles[0] as CompiledRole).table.get(index) ?? EMPTY_ENTRY
    else {
      const found: Entry[] = []
      for (const role of roles) {
        const e = role.table.get(index)
        if (e !== undefined) found.push(e)
      }
      entry = mergeEntries(found)
    }
    this.entries[index] = entry
    return entry
  }
}

/** No roles at all. */
const NONE = new RoleSet([], 0, NO_GRANT)
/** Roles, none of them declared. */
const UNKNOWN = new RoleSet([], 0, UNKNOWN_ROLE)
/** Roles, none of them holding in the tenant in play. */
const ELSEWHERE = new RoleSet([], 0, TENANT_MISMATCH)

/** A cached answer for one roles array, with the names it had (arrays can be mutated). */
interface Cached {
  readonly array: readonly unknown[]
  readonly names: readonly unknown[]
  readonly set: RoleSet
}

const EMPTY: readonly string[] = []

/** The role-set cache of one policy. */
export class RoleSets {
  private readonly byArray = new WeakMap<readonly unknown[], Cached>()
  private readonly byKey = new Map<string, RoleSet>()
  private last: Cached | undefined

  constructor(private readonly policy: CompiledPolicy) {}

  /** The set for a principal's `roles` (no tenant in play, or the principal's own tenant). */
  of(roles: unknown): RoleSet {
    if (!Array.isArray(roles)) return NONE
    // The last array first (one principal usually asks several times in a row), then the
    // WeakMap. Verified, not trusted: an app that edits a roles array in place must not keep
    // the old answer.
    let hit = this.last
    if (hit === undefined || hit.array !== roles) hit = this.byArray.get(roles)
    if (hit !== undefined && sameNames(hit.names, roles)) {
      this.last = hit
      return hit.set
    }
    const set = this.resolve(roles)
    hit = { array: roles, names: roles.slice(), set }
    this.byArray.set(roles, hit)
    this.last = hit
    return set
  }

  /** The set in effect in tenant `tenant` (steps 3 and 4 of the decision). */
  inTenant(principal: RbacPrincipal, tenant: string): RoleSet {
    const roles: readonly unknown[] = Array.isArray(principal.roles) ? principal.roles : EMPTY
    const bindings = principal.tenantRoles
    if (bindings === undefined || bindings === null) {
      if (principal.tenant === tenant) return this.of(roles)
      if (roles.length === 0) return NONE
      return this.globalsOf(this.of(roles))
    }
    // Several bindings: gather the names (allocation is fine on this rarer path).
    const names: unknown[] = []
    let held = roles.length > 0
    if (principal.tenant === tenant) names.push(...roles)
    else this.pushGlobals(roles, names)
    if (typeof bindings === 'object') {
      for (const key of Object.keys(bindings)) {
        const bound = (bindings as Record<string, unknown>)[key]
        if (!Array.isArray(bound) || bound.length === 0) continue
        held = true
        if (key === tenant) names.push(...bound)
        else this.pushGlobals(bound, names)
      }
    }
    if (names.length === 0) return held ? ELSEWHERE : NONE
    return this.resolve(names)
  }

  private pushGlobals(from: readonly unknown[], into: unknown[]): void {
    for (const name of from) {
      if (typeof name === 'string' && this.policy.roles.get(name)?.global === true) into.push(name)
    }
  }

  private globalsOf(set: RoleSet): RoleSet {
    if (set.refusal !== undefined) return ELSEWHERE
    if (set.globals === undefined) {
      const names = set.roles.filter((r) => r.global).map((r) => r.name)
      set.globals = names.length === 0 ? ELSEWHERE : this.resolve(names)
    }
    return set.globals
  }

  /** The set for a list of names: declared ones only, in declaration order, cached by key. */
  private resolve(names: readonly unknown[]): RoleSet {
    if (names.length === 0) return NONE
    const declared: CompiledRole[] = []
    for (const name of names) {
      if (typeof name !== 'string') continue
      const role = this.policy.roles.get(name)
      if (role !== undefined && !declared.includes(role)) declared.push(role)
    }
    if (declared.length === 0) return UNKNOWN
    declared.sort((a, b) => a.order - b.order)
    // Declared names hold no whitespace, so a newline cannot make two sets collide.
    const key = declared.map((r) => r.name).join('\n')
    let set = this.byKey.get(key)
    if (set === undefined) {
      set = new RoleSet(declared, this.policy.permCount)
      if (this.byKey.size >= MAX_ROLE_SETS) {
        const oldest = this.byKey.keys().next().value as string
        this.byKey.delete(oldest)
      }
      this.byKey.set(key, set)
    }
    return set
  }
}

function sameNames(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
