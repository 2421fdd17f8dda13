/**
 * The compiler: every role flattened with all its ancestors and every wildcard resolved, into one
 * table per role keyed by permission index, so a check is one array read and a few field reads.
 * @module
 */
import { NO_GRANT, type Refusal, type RuleDecisions, ruleDecisions } from './decisions.js'
import type { FieldMask } from './mask.js'
import type { Condition, Decision, RuleRef } from './types.js'
import type { NormalizedPolicy, NormalizedResource, NormalizedRule } from './validate.js'

/** A resource type as checks read it. */
export interface CompiledResource {
  readonly name: string
  readonly actions: readonly string[]
  /** The owner field's path segments (`own` grants compare it with the principal's id). */
  readonly ownerPath: readonly string[] | undefined
  /** The owner predicate, when `owner` is a function. */
  readonly ownerFn: Condition | undefined
  /** The tenant field's path segments. */
  readonly tenantPath: readonly string[] | undefined
}

/** One declared `resource:action`. */
export interface PermInfo {
  /** Position in every table: role sets keep their entries in an array by this index. */
  readonly index: number
  readonly permission: string
  readonly resource: CompiledResource
}

let nextAtomId = 0

/**
 * One rule as it applies to one resource type: the unit entries are made of. Rules without
 * ownership share one atom across resources; `own` grants get one per resource (its owner).
 */
export interface Atom {
  /** Identity within a process: the key of cached field masks. */
  readonly id: number
  readonly ref: RuleRef
  readonly deny: boolean
  readonly own: boolean
  readonly ownerPath: readonly string[] | undefined
  readonly ownerFn: Condition | undefined
  readonly when: Condition | undefined
  /** Grants: the fields covered (`undefined`: all). Denies: the fields denied (`undefined`: all). */
  readonly fields: readonly string[] | undefined
  /** Depends on the resource. */
  readonly conditional: boolean
  readonly allow: Decision
  readonly pending: Decision
  readonly refused: Refusal
  /** Field denies: the mask of the fields this rule denies, compiled on first use. */
  mask: FieldMask | undefined
}

function createAtom(
  rule: NormalizedRule,
  decisions: RuleDecisions,
  resource: CompiledResource | undefined,
): Atom {
  const own = resource !== undefined
  return {
    id: nextAtomId++,
    ref: rule.ref,
    deny: rule.ref.kind === 'deny',
    own,
    ownerPath: resource?.ownerPath,
    ownerFn: resource?.ownerFn,
    when: rule.when,
    fields: rule.fields,
    conditional: own || rule.when !== undefined,
    allow: decisions.allow,
    pending: decisions.pending,
    refused: decisions.refused,
    mask: undefined,
  }
}

/**
 * What one role (or role set) may do with one permission, with the answer to a check without a
 * resource precomputed. Rules that cannot change any decision are dropped: everything below an
 * unconditional deny, and every other grant under an unconditional grant of all fields.
 */
export interface Entry {
  /** An unconditional deny of the whole permission: it decides alone. */
  readonly deny: Atom | undefined
  /** Unconditional `any` grants. */
  readonly grants: readonly Atom[]
  /** Grants that depend on the resource (`own`, `when`). */
  readonly condGrants: readonly Atom[]
  /** Whole-permission denies with a `when`. */
  readonly condDenies: readonly Atom[]
  /** Field-only denies without a `when`. */
  readonly fieldDenies: readonly Atom[]
  /** Field-only denies with a `when`. */
  readonly condFieldDenies: readonly Atom[]
  /** The answer without a resource (and without fields). */
  readonly typeDecision: Decision
  /** `typeDecision` is an allow: all `can()` reads on its fast path. */
  readonly typeAllow: boolean
  /** Masks of this entry, by the set of conditional rules that held (see `fields.ts`). */
  masks: Map<string, FieldMask> | undefined
  /** The mask without a resource: conditional field denies counted as holding. */
  strictMask: FieldMask | undefined
  /** The mask without a resource or any conditional field deny. */
  staticMask: FieldMask | undefined
}

// Not frozen: a frozen array has its own elements kind, and entries mixing it with ordinary
// arrays made every list read in a check polymorphic. Nothing writes to it.
const EMPTY_ATOMS: readonly Atom[] = []

/** Appends to a list created on first use (most lists of an entry stay empty). */
export function append<T>(list: T[] | undefined, item: T): T[] {
  if (list === undefined) return [item]
  list.push(item)
  return list
}

/** Sorts atoms into an entry's lists, then drops what cannot change a decision. */
function createEntry(atoms: Iterable<Atom>): Entry {
  let deny: Atom | undefined
  let wholeGrant: Atom | undefined
  let grants: Atom[] | undefined
  let condGrants: Atom[] | undefined
  let condDenies: Atom[] | undefined
  let fieldDenies: Atom[] | undefined
  let condFieldDenies: Atom[] | undefined
  for (const atom of atoms) {
    if (atom.deny) {
      if (atom.fields !== undefined) {
        if (atom.when === undefined) fieldDenies = append(fieldDenies, atom)
        else condFieldDenies = append(condFieldDenies, atom)
      } else if (atom.when !== undefined) condDenies = append(condDenies, atom)
      else deny ??= atom
    } else if (atom.conditional) {
      condGrants = append(condGrants, atom)
    } else {
      grants = append(grants, atom)
      if (atom.fields === undefined) wholeGrant ??= atom
    }
  }
  if (deny !== undefined) {
    return entryOf(deny, EMPTY_ATOMS, EMPTY_ATOMS, EMPTY_ATOMS, EMPTY_ATOMS, EMPTY_ATOMS)
  }
  return entryOf(
    undefined,
    wholeGrant !== undefined ? [wholeGrant] : (grants ?? EMPTY_ATOMS),
    wholeGrant !== undefined ? EMPTY_ATOMS : (condGrants ?? EMPTY_ATOMS),
    condDenies ?? EMPTY_ATOMS,
    fieldDenies ?? EMPTY_ATOMS,
    condFieldDenies ?? EMPTY_ATOMS,
  )
}

function entryOf(
  deny: Atom | undefined,
  grants: readonly Atom[],
  condGrants: readonly Atom[],
  condDenies: readonly Atom[],
  fieldDenies: readonly Atom[],
  condFieldDenies: readonly Atom[],
): Entry {
  const typeDecision = deny
    ? deny.refused
    : grants.length > 0
      ? ((condDenies[0]?.pending ?? grants[0]?.allow) as Decision)
      : (condGrants[0]?.pending ?? NO_GRANT)
  return {
    deny,
    grants,
    condGrants,
    condDenies,
    fieldDenies,
    condFieldDenies,
    typeDecision,
    typeAllow: typeDecision.effect === 'allow',
    masks: undefined,
    strictMask: undefined,
    staticMask: undefined,
  }
}

/** Adds every rule of an entry to `into`, for merging (loops: lists can be long). */
function addAtoms(entry: Entry, into: Atom[]): void {
  if (entry.deny !== undefined) into.push(entry.deny)
  const lists = [
    entry.grants,
    entry.condGrants,
    entry.condDenies,
    entry.fieldDenies,
    entry.condFieldDenies,
  ]
  for (const list of lists) for (let i = 0; i < list.length; i++) into.push(list[i] as Atom)
}

/** The entry of a permission nothing grants or denies. */
export const EMPTY_ENTRY: Entry = createEntry([])

/**
 * Merges entries (a role's own rules with its parents', or the roles of a set). The same rule
 * reached twice (a diamond) counts once; one distinct entry is reused as is, so its caches are
 * shared.
 */
export function mergeEntries(entries: readonly Entry[], own?: readonly Atom[]): Entry {
  const distinct: Entry[] = []
  for (const e of entries) if (e !== EMPTY_ENTRY && !distinct.includes(e)) distinct.push(e)
  const hasOwn = own !== undefined && own.length > 0
  if (!hasOwn && distinct.length <= 1) return distinct[0] ?? EMPTY_ENTRY
  const atoms: Atom[] = hasOwn ? [...own] : []
  for (const e of distinct) addAtoms(e, atoms)
  // One entry and the role's own rules cannot share a rule; several entries can (diamonds).
  return createEntry(distinct.length > 1 ? new Set(atoms) : atoms)
}

/** A role, flattened. */
export interface CompiledRole {
  readonly name: string
  /** Declaration order: role sets list their roles in it, so answers are deterministic. */
  readonly order: number
  readonly global: boolean
  /** Entries by permission index; a permission absent here has {@link EMPTY_ENTRY}. */
  readonly table: ReadonlyMap<number, Entry>
}

/** A compiled policy. */
export interface CompiledPolicy {
  /** Every declared permission, by its `resource:action` string. */
  readonly perms: ReadonlyMap<string, PermInfo>
  /**
   * The same, as a null-prototype object: a keyed property load per check is several times
   * cheaper than `Map.get` (read it through {@link permInfo}).
   */
  readonly permByName: Readonly<Record<string, PermInfo | undefined>>
  readonly permCount: number
  readonly roles: ReadonlyMap<string, CompiledRole>
  /** Role names in declaration order. */
  readonly roleNames: readonly string[]
  readonly resources: readonly CompiledResource[]
}

function compileResource(r: NormalizedResource): CompiledResource {
  return {
    name: r.name,
    actions: r.actions,
    ownerPath: typeof r.owner === 'function' ? undefined : r.owner,
    ownerFn: typeof r.owner === 'function' ? r.owner : undefined,
    tenantPath: r.tenant,
  }
}

function addAtom(into: Map<number, Atom[]>, index: number, atom: Atom): void {
  const list = into.get(index)
  if (list === undefined) into.set(index, [atom])
  else list.push(atom)
}

/** Roles beyond this many are merged without the ancestry bitsets (their memory grows as n²). */
const MAX_ANCESTRY_ROLES = 4_096

/**
 * Which roles each role inherits from, directly or not, as bitsets filled parents first. A
 * parent that another parent already inherits adds nothing to a merge (`inherits: ['viewer',
 * 'editor']` where editor inherits viewer): dropping it keeps diamonds from re-merging whole
 * tables, the bulk of compiling a large hierarchy.
 */
class Ancestry {
  private readonly index = new Map<string, number>()
  private readonly sets = new Map<string, Uint32Array>()
  private readonly words: number
  private readonly enabled: boolean

  constructor(order: readonly string[]) {
    for (const [i, name] of order.entries()) this.index.set(name, i)
    this.words = Math.ceil(order.length / 32)
    this.enabled = order.length <= MAX_ANCESTRY_ROLES
  }

  /** Records `name`'s ancestry and returns its parents less those another parent inherits. */
  direct(name: string, parents: readonly string[]): readonly string[] {
    if (!this.enabled) return parents
    const set = new Uint32Array(this.words)
    for (const parent of parents) {
      const bit = this.index.get(parent) as number
      set[bit >>> 5] = (set[bit >>> 5] as number) | (1 << (bit & 31))
      const above = this.sets.get(parent)
      if (above === undefined) continue
      for (let w = 0; w < set.length; w++) set[w] = (set[w] as number) | (above[w] as number)
    }
    this.sets.set(name, set)
    if (parents.length < 2) return parents
    return parents.filter((p) => !parents.some((q) => q !== p && this.inherits(q, p)))
  }

  private inherits(role: string, ancestor: string): boolean {
    const bit = this.index.get(ancestor) as number
    return (((this.sets.get(role) as Uint32Array)[bit >>> 5] as number) & (1 << (bit & 31))) !== 0
  }
}

/** Compiles a validated policy: flattening and wildcard resolution happen here, once. */
export function compilePolicy(policy: NormalizedPolicy): CompiledPolicy {
  const resources = policy.resources.map(compileResource)
  const perms = new Map<string, PermInfo>()
  const indexOf = new Map<string, Map<string, number>>()
  for (const resource of resources) {
    const actions = new Map<string, number>()
    indexOf.set(resource.name, actions)
    for (const action of resource.actions) {
      const permission = `${resource.name}:${action}`
      actions.set(action, perms.size)
      perms.set(permission, { index: perms.size, permission, resource })
    }
  }

  /** Adds the atoms one rule resolves to, by permission index. */
  const expand = (rule: NormalizedRule, into: Map<number, Atom[]>) => {
    const decisions = ruleDecisions(rule.ref)
    const shared = rule.own ? undefined : createAtom(rule, decisions, undefined)
    for (const resource of resources) {
      if (rule.resource !== '*' && rule.resource !== resource.name) continue
      // An `own` wildcard skips the resources that have no owner: there it cannot hold.
      if (rule.own && resource.ownerPath === undefined && resource.ownerFn === undefined) continue
      const actions = indexOf.get(resource.name) as Map<string, number>
      const atom = shared ?? createAtom(rule, decisions, resource)
      if (rule.action !== '*') {
        const index = actions.get(rule.action)
        if (index !== undefined) addAtom(into, index, atom)
      } else {
        for (const index of actions.values()) addAtom(into, index, atom)
      }
    }
  }

  const byName = new Map(policy.roles.map((role) => [role.name, role]))
  const tables = new Map<string, ReadonlyMap<number, Entry>>()
  const EMPTY_TABLE: ReadonlyMap<number, Entry> = new Map()
  const ancestry = new Ancestry(policy.order)
  // Parents before children: each role's table is its own rules merged with its parents'.
  for (const name of policy.order) {
    const role = byName.get(name)!
    const own = new Map<number, Atom[]>()
    for (const rule of role.grants) expand(rule, own)
    for (const rule of role.denies) expand(rule, own)
    const parents = ancestry.direct(name, role.inherits).map((p) => tables.get(p) ?? EMPTY_TABLE)
    if (own.size === 0 && parents.length <= 1) {
      // A role that only renames its parent shares its table: chains cost nothing per level.
      tables.set(name, parents[0] ?? EMPTY_TABLE)
      continue
    }
    const table = new Map<number, Entry>()
    if (parents.length === 1) {
      // One parent: its entries stand where this role adds nothing.
      for (const [index, entry] of parents[0] as ReadonlyMap<number, Entry>) table.set(index, entry)
    } else {
      const inherited = new Map<number, Entry[]>()
      for (const parent of parents) {
        for (const [index, entry] of parent) {
          const list = inherited.get(index)
          if (list === undefined) inherited.set(index, [entry])
          else list.push(entry)
        }
      }
      for (const [index, list] of inherited) {
        const entry = mergeEntries(list)
        if (entry !== EMPTY_ENTRY) table.set(index, entry)
      }
    }
    for (const [index, atoms] of own) {
      // The role's own rules first (their refs are reported first), then the inherited ones:
      // the two cannot share a rule, so no deduplication is needed.
      const below = table.get(index)
      if (below !== undefined) addAtoms(below, atoms)
      table.set(index, createEntry(atoms))
    }
    tables.set(name, table)
  }

  const roles = new Map<string, CompiledRole>()
  policy.roles.forEach((role, order) => {
    roles.set(role.name, {
      name: role.name,
      order,
      global: role.global,
      table: tables.get(role.name) ?? EMPTY_TABLE,
    })
  })
  return {
    perms,
    permByName: Object.assign(Object.create(null), Object.fromEntries(perms)),
    permCount: perms.size,
    roles,
    roleNames: policy.roles.map((r) => r.name),
    resources,
  }
}

/** The declared permission named `permission`, if any (any value may come from JavaScript). */
export function permInfo(policy: CompiledPolicy, permission: unknown): PermInfo | undefined {
  return typeof permission === 'string' ? policy.permByName[permission] : undefined
}
