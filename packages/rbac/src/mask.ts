/**
 * Field masks: which paths of a resource a permission covers, applied in both directions of
 * OWASP API3 (Broken Object Property Level Authorization): `filter` trims what a response
 * reveals, `forbidden` and `strip` police what a request body writes.
 *
 * Patterns compile once into an automaton (see `mask-compile.ts`); the walkers do one Map lookup
 * per key, or none at all where a mask is a plain list of names.
 *
 * How values are judged, at any path below the root:
 * - a path whose whole subtree is allowed keeps its value by reference, whatever it is;
 * - a plain object or array at a partly allowed path is walked (arrays are transparent: their
 *   elements sit at the array's own path);
 * - a primitive, `null`, a `Date` or an empty object or array is one value: kept, or accepted
 *   as a write, when its own path is allowed (`'*', '!address.street'` allows `address`, so
 *   `address: 'n/a'` stays; `'address.city'` does not);
 * - any other object (a class instance, a Map) at a partly allowed path is dropped or refused:
 *   it cannot be looked into safely;
 * - a walked object or array that comes out empty is kept when its own path is allowed, else
 *   dropped;
 * - keys `__proto__`, `constructor` and `prototype` are never copied and always reported;
 * - containers nested deeper than {@link MAX_DEPTH} at partly allowed paths are dropped
 *   (`filter`, `strip`) or reported (`forbidden`), so hostile nesting costs no stack.
 * @module
 */
import { compileStates, FULL_STATE, type MaskState, NONE_STATE, step } from './mask-compile.js'
import { formatPath, isDate, isPlainObject, isPrototypeKey } from './paths.js'

export { patternError } from './paths.js'

/** Containers deeper than this (the root is depth 0) are not walked. */
export const MAX_DEPTH = 64
/** `forbidden` stops after this many paths. */
export const MAX_FORBIDDEN_PATHS = 100

/** A compiled field mask: which paths of a resource a permission covers. */
export interface FieldMask {
  /**
   * Every path is allowed: `filter` returns its input as is, and `forbidden` reports only
   * prototype keys and containers nested deeper than {@link MAX_DEPTH}.
   */
  readonly all: boolean
  /** No path is allowed. */
  readonly none: boolean
  /**
   * Whether the whole subtree at this dotted path (`'name'`, `'address.city'`) is allowed; `''`
   * is the whole resource (`all`). Subtree means any value there: with `'!**.secret'` no path is
   * wholly allowed, since an object at `name` could hold a `secret`.
   */
  allows(path: string): boolean
  /**
   * A copy of `value` holding only allowed paths (see the module notes for how each kind of
   * value is judged). Never mutates the input; wholly allowed subtrees are shared by reference.
   * Keys copied from a list of names come out in the order the patterns name them.
   *
   * At the root: `all` returns `value` itself. Otherwise a plain object gives an object (maybe
   * `{}`), or `undefined` when the mask is `none`; an array (a list of records) gives an array
   * of its filtered elements, dropping those that give `undefined` (`[]` when `none`); any
   * other root value (a primitive, `null`, a class instance) gives `undefined`.
   */
  filter<T>(value: T): T
  /**
   * The leaf paths of a request body this mask does not allow, formatted `a.b` and
   * `items[0].price`, in document order, at most 100. Prototype keys are always reported, even
   * when the mask is `all`. An empty object or array below the root counts as a write to its
   * path; an empty body writes nothing. A body that is not an object or array is reported as
   * `''` unless the mask is `all` (`undefined`, no body, writes nothing).
   */
  forbidden(body: unknown): string[]
  /**
   * A copy of `body` without the paths `forbidden` would report; never mutates the input and
   * shares every untouched subtree (the body itself when nothing is removed). A root value that
   * is not an object or array gives `undefined` unless the mask is `all`.
   */
  strip<T>(body: T): T
}

/** Marks a value `filter` or `strip` leaves out (`undefined` may be a kept value). */
const DROP: unique symbol = Symbol('drop')
type Kept = unknown

/**
 * Whether a value the walk does not enter (a primitive, a Date, another non-plain object, or an
 * object or array the caller found empty) is allowed at `state`. At the root (the record, or an
 * element of the root list) only `all` allows one, except no body and an empty object or array,
 * which write nothing.
 */
function acceptsUnwalked(state: MaskState, value: unknown, atRoot: boolean): boolean {
  if (state === FULL_STATE) return true
  const isObject = typeof value === 'object' && value !== null
  const isEmpty = isObject && (Array.isArray(value) || isPlainObject(value))
  if (atRoot) return value === undefined || isEmpty
  return state.leaf && (!isObject || isEmpty || isDate(value))
}

// --- filter -----------------------------------------------------------------------------------

/** The part of `value` allowed at `state`, or DROP. */
function filterValue(state: MaskState, value: unknown, depth: number): Kept {
  if (state === FULL_STATE) return value
  if (typeof value !== 'object' || value === null) return state.leaf ? value : DROP
  if (Array.isArray(value)) return filterArray(state, value, depth, state.leaf)
  if (isPlainObject(value)) return filterObject(state, value, depth, state.leaf)
  return state.leaf && isDate(value) ? value : DROP
}

/** Copies the allowed keys: a list of names is looked up, anything else is iterated. */
function filterObject(
  state: MaskState,
  value: Record<string, unknown>,
  depth: number,
  keepEmpty: boolean,
): Kept {
  if (depth > MAX_DEPTH) return DROP
  const out: Record<string, unknown> = {}
  let kept = false
  if (state.pick) {
    const { names, targets } = state
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!
      // Own, not enumerable-and-own: propertyIsEnumerable costs a third more per field, and a
      // non-enumerable property the mask names is allowed anyway.
      if (!Object.hasOwn(value, name)) continue
      const child = filterValue(targets[i]!, value[name], depth + 1)
      if (child === DROP) continue
      out[name] = child
      kept = true
    }
  } else {
    for (const key of Object.keys(value)) {
      const next = state.byName.get(key) ?? state.other
      if (next === NONE_STATE) continue // prototype keys land here too
      const child = filterValue(next, value[key], depth + 1)
      if (child === DROP) continue
      out[key] = child
      kept = true
    }
  }
  return kept || keepEmpty ? out : DROP
}

/** Filters each element at the array's own path (indexes are no segments), compacting. */
function filterArray(state: MaskState, value: readonly unknown[], depth: number, keep: boolean) {
  if (depth > MAX_DEPTH) return DROP
  const out: unknown[] = []
  for (let i = 0; i < value.length; i++) {
    const child = filterValue(state, value[i], depth + 1)
    if (child !== DROP) out.push(child)
  }
  return out.length > 0 || keep ? out : DROP
}

/** A record (or list of records) at the root: objects always give an object. */
function filterRecord(state: MaskState, value: unknown, depth: number): Kept {
  if (isPlainObject(value)) return filterObject(state, value, depth, true)
  if (!Array.isArray(value) || depth > MAX_DEPTH) return DROP
  const out: unknown[] = []
  for (let i = 0; i < value.length; i++) {
    const child = filterRecord(state, value[i], depth + 1)
    if (child !== DROP) out.push(child)
  }
  return out
}

// --- forbidden --------------------------------------------------------------------------------

/** One `forbidden` walk: the path so far and what was found. */
class ForbiddenWalk {
  readonly found: string[] = []
  readonly path: (string | number)[] = []

  get full(): boolean {
    return this.found.length >= MAX_FORBIDDEN_PATHS
  }

  report(): void {
    if (!this.full) this.found.push(formatPath(this.path))
  }

  visit(state: MaskState, value: unknown, depth: number, atRoot: boolean): void {
    if (this.full) return
    if (Array.isArray(value) && value.length > 0) {
      this.visitArray(state, value, depth, atRoot)
      return
    }
    if (isPlainObject(value)) {
      const keys = Object.keys(value)
      if (keys.length > 0) {
        this.visitObject(state, value, keys, depth)
        return
      }
    }
    if (!acceptsUnwalked(state, value, atRoot)) this.report()
  }

  visitArray(state: MaskState, value: readonly unknown[], depth: number, atRoot: boolean): void {
    if (depth > MAX_DEPTH) {
      this.report()
      return
    }
    for (let i = 0; i < value.length && !this.full; i++) {
      this.path.push(i)
      this.visit(state, value[i], depth + 1, atRoot)
      this.path.pop()
    }
  }

  visitObject(state: MaskState, value: Record<string, unknown>, keys: string[], depth: number) {
    if (depth > MAX_DEPTH) {
      this.report()
      return
    }
    for (const key of keys) {
      if (this.full) return
      this.path.push(key)
      if (isPrototypeKey(key)) this.report()
      else this.visit(step(state, key), value[key], depth + 1, false)
      this.path.pop()
    }
  }
}

// --- strip ------------------------------------------------------------------------------------

/** `value` without what `forbidden` would report at `state`, or DROP. */
function stripValue(state: MaskState, value: unknown, depth: number, atRoot: boolean): Kept {
  if (Array.isArray(value) && value.length > 0) return stripArray(state, value, depth, atRoot)
  if (isPlainObject(value)) {
    const keys = Object.keys(value)
    if (keys.length > 0) return stripObject(state, value, keys, depth, atRoot || state.leaf)
  }
  return acceptsUnwalked(state, value, atRoot) ? value : DROP
}

/** Copies `value` only once something is removed; unchanged input comes back as is. */
function stripObject(
  state: MaskState,
  value: Record<string, unknown>,
  keys: readonly string[],
  depth: number,
  keepEmpty: boolean,
): Kept {
  if (depth > MAX_DEPTH) return DROP
  let out: Record<string, unknown> | undefined
  let kept = 0
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!
    const original = value[key]
    const child = isPrototypeKey(key)
      ? DROP
      : stripValue(step(state, key), original, depth + 1, false)
    if (out === undefined && !Object.is(child, original)) {
      out = {}
      for (let j = 0; j < i; j++) out[keys[j]!] = value[keys[j]!]
    }
    if (child === DROP) continue
    kept++
    if (out !== undefined) out[key] = child
  }
  if (out === undefined) return value
  return kept > 0 || keepEmpty ? out : DROP
}

/** Like {@link stripObject} for an array, whose elements sit at the array's own path. */
function stripArray(state: MaskState, value: readonly unknown[], depth: number, atRoot: boolean) {
  if (depth > MAX_DEPTH) return DROP
  let out: unknown[] | undefined
  for (let i = 0; i < value.length; i++) {
    const original = value[i]
    const child = stripValue(state, original, depth + 1, atRoot)
    if (out === undefined && !Object.is(child, original)) out = value.slice(0, i)
    if (out !== undefined && child !== DROP) out.push(child)
  }
  if (out === undefined) return value
  return out.length > 0 || atRoot || state.leaf ? out : DROP
}

// --- the mask ---------------------------------------------------------------------------------

/** A mask over one compiled automaton. */
class CompiledMask implements FieldMask {
  readonly all: boolean
  readonly none: boolean

  constructor(private readonly root: MaskState) {
    this.all = root === FULL_STATE
    this.none = root === NONE_STATE
  }

  allows(path: string): boolean {
    if (path === '') return this.all
    let state = this.root
    let start = 0
    for (;;) {
      if (state === FULL_STATE) return true
      if (state === NONE_STATE) return false
      const dot = path.indexOf('.', start)
      const key = dot === -1 ? path.slice(start) : path.slice(start, dot)
      if (isPrototypeKey(key)) return false
      state = step(state, key)
      if (dot === -1) return state === FULL_STATE
      start = dot + 1
    }
  }

  filter<T>(value: T): T {
    if (this.all) return value
    if (this.none) return (Array.isArray(value) ? [] : undefined) as T
    const kept = filterRecord(this.root, value, 0)
    return (kept === DROP ? undefined : kept) as T
  }

  forbidden(body: unknown): string[] {
    const walk = new ForbiddenWalk()
    walk.visit(this.root, body, 0, true)
    return walk.found
  }

  strip<T>(body: T): T {
    const kept = stripValue(this.root, body, 0, true)
    return (kept === DROP ? undefined : kept) as T
  }
}

/** The mask allowing every path. */
export const ALL_FIELDS: FieldMask = new CompiledMask(FULL_STATE)
/** The mask allowing no path. */
export const NO_FIELDS: FieldMask = new CompiledMask(NONE_STATE)

/**
 * Compiles a mask: `grants` is one pattern list per grant (`undefined` = every field); a path is
 * allowed when some grant allows it and no pattern of `denied` matches it (deny always wins,
 * whatever the order). An empty `grants` list gives a mask with `none`.
 *
 * Within one grant a path is allowed when a positive pattern matches it or one of its prefixes
 * and no negation (`'!x'`) does; a list of negations only means "everything except those", an
 * empty list means nothing. A leading `!` in `denied` is ignored.
 * @throws TypeError for a malformed pattern (see {@link patternError}); RangeError for patterns
 * whose automaton would exceed 4096 states.
 */
export function compileMask(
  grants: readonly (readonly string[] | undefined)[],
  denied: readonly string[] = [],
): FieldMask {
  const root = compileStates(grants, denied)
  if (root === FULL_STATE) return ALL_FIELDS
  if (root === NONE_STATE) return NO_FIELDS
  return new CompiledMask(root)
}
