/**
 * Which field mask a decision grants: the union of the grants that hold minus the field denies
 * that hold, compiled once per entry and set of holding conditional rules, then cached.
 * @module
 */
import { type Atom, append, type Entry } from './compile.js'
import { compileMask, type FieldMask, NO_FIELDS } from './mask.js'

/** Masks kept per entry for the sets of conditional rules seen; the oldest goes first. */
export const MAX_MASKS_PER_ENTRY = 64

const NO_ATOMS: readonly Atom[] = []

/**
 * Compiles a mask. `definePolicy` compiles each rule's field list on its own and refuses one
 * too complex to compile (`bad-pattern`), so only a combination of several rules can exceed the
 * cap here: it gives no fields, and a check fails closed rather than throwing.
 */
function build(grants: readonly Atom[], extra: readonly Atom[], denies: readonly Atom[]) {
  const allowed: (readonly string[] | undefined)[] = []
  for (const g of grants) allowed.push(g.fields)
  for (const g of extra) allowed.push(g.fields)
  const denied: string[] = []
  for (const d of denies) if (d.fields !== undefined) denied.push(...d.fields)
  try {
    return compileMask(allowed, denied)
  } catch {
    return NO_FIELDS
  }
}

/** The mask without a resource: field denies with a `when` count as holding (fail closed). */
export function strictMask(entry: Entry): FieldMask {
  if (entry.strictMask === undefined) {
    entry.strictMask =
      entry.condFieldDenies.length === 0
        ? staticMask(entry)
        : build(entry.grants, NO_ATOMS, [...entry.fieldDenies, ...entry.condFieldDenies])
  }
  return entry.strictMask
}

/** The mask of the unconditional grants minus the unconditional field denies. */
export function staticMask(entry: Entry): FieldMask {
  entry.staticMask ??= build(entry.grants, NO_ATOMS, entry.fieldDenies)
  return entry.staticMask
}

/**
 * The mask once the resource is known: `grants` are the conditional grants that held,
 * `denies` the conditional field denies that held (the unconditional ones always count).
 */
export function resourceMask(
  entry: Entry,
  grants: readonly Atom[] | undefined,
  denies: readonly Atom[] | undefined,
): FieldMask {
  if (grants === undefined && denies === undefined) return staticMask(entry)
  let key = ''
  if (grants !== undefined) for (const g of grants) key += `${g.id},`
  key += '|'
  if (denies !== undefined) for (const d of denies) key += `${d.id},`
  entry.masks ??= new Map()
  let mask = entry.masks.get(key)
  if (mask === undefined) {
    const allDenies = denies === undefined ? entry.fieldDenies : [...entry.fieldDenies, ...denies]
    mask = build(entry.grants, grants ?? NO_ATOMS, allDenies)
    if (entry.masks.size >= MAX_MASKS_PER_ENTRY) {
      entry.masks.delete(entry.masks.keys().next().value as string)
    }
    entry.masks.set(key, mask)
  }
  return mask
}

/** The fields of `asked` the mask refuses (non-strings count as refused). */
export function refusedFields(mask: FieldMask, asked: readonly unknown[]): string[] | undefined {
  let refused: string[] | undefined
  for (let i = 0; i < asked.length; i++) {
    const field = asked[i]
    if (typeof field === 'string' && mask.allows(field)) continue
    // Only primitives are named: an object's own toString could throw or leak a value.
    const name =
      typeof field === 'object' || typeof field === 'function' ? '[object]' : String(field)
    refused = append(refused, name)
  }
  return refused
}

/**
 * The field deny among `denies` that covers `field`, if any: the rule a `field_forbidden`
 * answer names (else the grant that allowed the permission).
 */
export function denyCovering(field: string, denies: readonly Atom[]): Atom | undefined {
  for (const atom of denies) {
    if (atom.fields === undefined) continue
    atom.mask ??= ownMask(atom.fields)
    if (atom.mask.allows(field)) return atom
  }
  return undefined
}

/** The paths a deny's patterns cover (a leading `!` means nothing special in a deny). */
function ownMask(patterns: readonly string[]): FieldMask {
  try {
    return compileMask([patterns.map((p) => (p.startsWith('!') ? p.slice(1) : p))])
  } catch {
    return NO_FIELDS
  }
}
