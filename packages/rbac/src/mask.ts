/**
 * Field masks: which paths of a resource a permission covers, applied in both directions of
 * OWASP API3 (Broken Object Property Level Authorization): `filter` trims what a response
 * reveals, `forbidden` and `strip` police what a request body writes.
 *
 * Patterns compile once into an automaton (see `mask-compile.ts`); the walkers do one Map lookup
 * per key, or none at all where a mask is a short list of names.
 *
 * How values are judged, at any path below the root:
 * - a path whose whole subtree is allowed keeps its value by reference, whatever it is, once
 *   `filter` has found no prototype key in it (see below);
 * - a plain object or array at a partly allowed path is walked (arrays are transparent: their
 *   elements sit at the array's own path);
 * - a primitive, `null`, a `Date` or an empty object or array is one value: kept, or accepted
 *   as a write, when its own path is allowed (`'*', '!address.street'` allows `address`, so
 *   `address: 'n/a'` stays; `'address.city'` does not);
 * - any other object (a class instance, a Map) at a partly allowed path is dropped or refused:
 *   it cannot be looked into safely;
 * - a walked object or array that comes out empty is kept when its own path is allowed, else
 *   dropped;
 * - keys `__proto__`, `constructor` and `prototype` are never copied and always reported, also
 *   inside a wholly allowed subtree: `filter` scans a subtree it would share (its plain objects
 *   and arrays, one `for…in` per object, no copy) and copies it without them when it holds one
 *   (only `ALL_FIELDS.filter`, which returns its input as is, does not look);
 * - a key holding a dot (`'owner.id'`) cannot be named by a pattern, yet MongoDB `$set`, lodash
 *   `set` and many ORMs read it as a path: below a partly allowed path it is dropped (`filter`,
 *   `strip`) or reported (`forbidden`) whatever its value, and only a wholly allowed subtree
 *   keeps it (any path below is allowed there);
 * - containers nested deeper than {@link MAX_DEPTH} at partly allowed paths, or inside a wholly
 *   allowed subtree `filter` has to copy, are dropped (`filter`, `strip`) or reported
 *   (`forbidden`), so hostile nesting costs no stack.
 * @module
 */
import {
  compileStates,
  FULL_STATE,
  MAX_SEEN_KEYS,
  type MaskState,
  NONE_STATE,
  step,
} from './mask-compile.js'
import { formatPath, hasPrototypeSegment, isDate, isPlainObject, isPrototypeKey } from './paths.js'

export { patternError } from './paths.js'

/** Containers deeper than this (the root is depth 0) are not walked. */
export const MAX_DEPTH = 64
/** `forbidden` stops after this many paths. */
export const MAX_FORBIDDEN_PATHS = 100

/** A compiled field mask: which paths of a resource a permission covers. */
export interface FieldMask {
  /**
   * Every path is allowed: `filter` returns its input as is (prototype keys inside included),
   * and `forbidden` reports only prototype keys and containers nested deeper than
   * {@link MAX_DEPTH}.
   */
  readonly all: boolean
  /** No path is allowed. */
  readonly none: boolean
  /**
   * Whether the whole subtree at this dotted path (`'name'`, `'address.city'`) is allowed; `''`
   * is the whole resource (`all`). Subtree means any value there: with `'!**.secret'` no path is
   * wholly allowed, since an object at `name` could hold a `secret`. A path with a prototype key
   * among its segments (`'__proto__'`, `'address.constructor'`) is never allowed, even when the
   * mask is `all`.
   */
  allows(path: string): boolean
  /**
   * A copy of `value` holding only allowed paths (see the module notes for how each kind of
   * value is judged). Never mutates the input. Wholly allowed subtrees are shared by reference
   * once a scan finds no prototype key in their plain objects and arrays (a subtree holding one,
   * or containers deeper than {@link MAX_DEPTH}, is copied without them). Keys with a dot are
   * dropped below partly allowed paths. Keys copied from a list of up to 32 names come out in
   * the order the patterns name them; elsewhere they keep the record's order.
   *
   * At the root: `all` returns `value` itself, untouched, prototype keys inside included (the
   * caller asked for everything). Otherwise a plain object gives an object (maybe `{}`), or
   * `undefined` when the mask is `none`; an array (a list of records) gives an array of its
   * filtered elements, dropping those that give `undefined` (`[]` when `none`); any other root
   * value (a primitive, `null`, a class instance) gives `undefined`.
   */
  filter<T>(value: T): T
  /**
   * The leaf paths of a request body this mask does not allow, formatted `a.b` and
   * `items[0].price`, in document order, at most 100. Prototype keys are always reported, even
   * when the mask is `all`. A key holding a dot (`'owner.id'`, a path to MongoDB `$set`, lodash
   * `set` and many ORMs) is reported as it is, whatever its value, unless the whole subtree where
   * it sits is allowed. An empty object or array below the root counts as a write to its path;
   * an empty body writes nothing. A body that is not an object or array is reported as `''`
   * unless the mask is `all` (`undefined`, no body, writes nothing).
   */
  forbidden(body: unknown): string[]
  /**
   * A copy of `body` without the paths `forbidden` would report (prototype keys, and keys holding
   * a dot outside wholly allowed subtrees, go with their whole value); never mutates the input
   * and shares every untouched subtree (the body itself when nothing is removed). A root value
   * that is not an object or array gives `undefined` unless the mask is `all`.
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
  if (state === FULL_STATE) {
    return typeof value === 'object' && value !== null ? wholeObject(value, depth) : value
  }
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
      const next = state.seen.get(key) ?? unnamedTarget(state, key)
      if (next === NONE_STATE) continue // prototype keys and keys with a dot land here too
      const child = filterValue(next, value[key], depth + 1)
      if (child === DROP) continue
      out[key] = child
      kept = true
    }
  }
  return kept || keepEmpty ? out : DROP
}

/**
 * Where `filter` sends a key no pattern names: `other`, except a key holding a dot, which no
 * pattern can name but a path reader would read as a path (dropped). Remembered in
 * `state.seen`, up to {@link MAX_SEEN_KEYS} keys, so the next record with it pays one lookup.
 */
function unnamedTarget(state: MaskState, key: string): MaskState {
  if (state.other === NONE_STATE) return NONE_STATE
  const target = key.includes('.') ? NONE_STATE : state.other
  if (state.seen.size < state.byName.size + MAX_SEEN_KEYS) state.seen.set(key, target)
  return target
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

/**
 * Whether a value `filter` would share (at a wholly allowed path) can go out as it is: none of
 * its plain objects holds an own prototype key, and none of its containers sits deeper than
 * {@link MAX_DEPTH}. Other objects (a Date, a class instance) are not looked into, as anywhere.
 * A walk over keys, no copy: `for…in` reads a plain object's keys without allocating.
 */
function isClean(value: object, depth: number): boolean {
  if (Array.isArray(value)) {
    if (depth > MAX_DEPTH) return false
    for (let i = 0; i < value.length; i++) {
      const element: unknown = value[i]
      if (typeof element === 'object' && element !== null && !isClean(element, depth + 1)) {
        return false
      }
    }
    return true
  }
  if (!isPlainObject(value)) return true
  if (depth > MAX_DEPTH) return false
  for (const key in value) {
    // `for…in` also lists inherited enumerable keys: only own ones are copied or matter.
    if (isPrototypeKey(key)) {
      if (Object.hasOwn(value, key)) return false
      continue
    }
    const child = value[key]
    if (typeof child !== 'object' || child === null) continue
    if (Object.hasOwn(value, key) && !isClean(child, depth + 1)) return false
  }
  return true
}

/**
 * A wholly allowed value that {@link isClean} refused, copied without its prototype keys and
 * without containers deeper than {@link MAX_DEPTH}; the clean parts inside are shared.
 */
function copyWhole(value: object, depth: number): Kept {
  if (Array.isArray(value)) {
    if (depth > MAX_DEPTH) return DROP
    const out: unknown[] = []
    for (let i = 0; i < value.length; i++) {
      const child = wholeValue(value[i], depth + 1)
      if (child !== DROP) out.push(child)
    }
    return out
  }
  if (!isPlainObject(value)) return value
  if (depth > MAX_DEPTH) return DROP
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value)) {
    if (isPrototypeKey(key)) continue
    const child = wholeValue(value[key], depth + 1)
    if (child !== DROP) out[key] = child
  }
  return out
}

/** An object or array at a wholly allowed path: itself when clean, else a copy. */
function wholeObject(value: object, depth: number): Kept {
  return isClean(value, depth) ? value : copyWhole(value, depth)
}

/** Any value below a wholly allowed path. */
function wholeValue(value: unknown, depth: number): Kept {
  return typeof value === 'object' && value !== null ? wholeObject(value, depth) : value
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

/**
 * Whether a body key is refused with its whole value: a prototype key anywhere, and a key holding
 * a dot below a partly allowed path (a path reader would write where the mask does not look;
 * where the whole subtree is allowed, any path it could spell is allowed too).
 */
function isRefusedKey(state: MaskState, key: string): boolean {
  return isPrototypeKey(key) || (state !== FULL_STATE && key.includes('.'))
}

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
      if (isRefusedKey(state, key)) this.report()
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
    const child = isRefusedKey(state, key)
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
    // Before any early answer: no mask allows a prototype key, not even `all`.
    if (hasPrototypeSegment(path)) return false
    let state = this.root
    let start = 0
    for (;;) {
      if (state === FULL_STATE) return true
      if (state === NONE_STATE) return false
      const dot = path.indexOf('.', start)
      const key = dot === -1 ? path.slice(start) : path.slice(start, dot)
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
 *
 * Compiling takes time linear in the number of plain names, however long the list. Patterns
 * like `**.a.*.*.*…` need an automaton exponential in their `'*'` segments: past 4096 states
 * plus 8 per pattern segment, the mask is refused.
 * @throws TypeError for a malformed pattern (see {@link patternError}); RangeError, naming the
 * pattern, for patterns whose automaton would exceed that.
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
