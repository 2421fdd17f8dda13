/**
 * The `serializer: 'native'` fast path of `json()`: copy only the objects on the way to what the
 * paths censor (a copy-on-write spine), leave everything else to the engine's own
 * `JSON.stringify`. Used only when nothing but paths redacts (no key rules, no detectors, no
 * `**`), so nothing off the spine could need redacting. Whatever the spine cannot copy exactly
 * (a non-plain object, a `toJSON`, an `Error` on the way) answers `undefined`, and the caller
 * takes the safe walk instead; so does a `JSON.stringify` that throws (a cycle, a BigInt, a
 * throwing getter).
 *
 * The trie is compiled once more, into a plan: without `**` it is finite, so every position the
 * walk can stand on is known at construction. A position with exact keys only visits just those
 * keys of a shallow copy (the engine's own object spread), never the object's other keys.
 * @module
 */
import { type CensorFn, REMOVED } from './censor.js'
import { advance, isTerminal, type PathState } from './paths.js'

/** What happens to the value at a position: censored, or copied along a further plan. */
type Step = typeof CENSOR | Plan

/** The value here is censored. */
const CENSOR: unique symbol = Symbol('censor')

/** One exact key of a position, with what it leads to. */
interface KeyStep {
  readonly key: string
  /** The key as an array index, or -1 when it is none (then arrays never match it). */
  readonly index: number
  readonly next: Step
}

/** A position of the walk: the keys it names, and what every other key leads to (`*`). */
interface Plan {
  /** The exact keys whose values are censored here. */
  readonly censored: readonly KeyStep[]
  /** The exact keys the copy goes on into. */
  readonly nested: readonly (KeyStep & { readonly next: Plan })[]
  /** Every exact key's step, for positions with a wildcard. */
  readonly byKey: ReadonlyMap<string, Step>
  /** What any key not named leads to; `undefined` when no wildcard stands here. */
  readonly other: Step | undefined
}

/** Signals that the spine cannot be copied exactly: take the safe walk. */
const BAIL: unique symbol = Symbol('bail')

function asIndex(key: string): number {
  const n = Number(key)
  return Number.isInteger(n) && n >= 0 && n < 2 ** 32 - 1 && String(n) === key ? n : -1
}

/** A key that no exact step can name (exact keys never hold this character pair). */
const UNNAMED = '\u0000\uffff'

function stepOf(state: PathState, keys: () => Iterable<string>): Step | undefined {
  if (state.length === 0) return undefined
  if (isTerminal(state)) return CENSOR
  const censored: KeyStep[] = []
  const nested: (KeyStep & { next: Plan })[] = []
  const byKey = new Map<string, Step>()
  for (const key of keys()) {
    if (byKey.has(key)) continue
    const next = stepOf(advance(state, key), () => childKeys(advance(state, key)))
    if (next === undefined) continue
    byKey.set(key, next)
    const index = asIndex(key)
    if (next === CENSOR) censored.push({ key, index, next })
    else nested.push({ key, index, next })
  }
  const wildcard = state.some((node) => node.any !== undefined)
  const other = wildcard
    ? stepOf(advance(state, UNNAMED), () => childKeys(advance(state, UNNAMED)))
    : undefined
  return { censored, nested, byKey, other }
}

function childKeys(state: PathState): Set<string> {
  const keys = new Set<string>()
  for (const node of state) for (const key of node.keys.keys()) keys.add(key)
  return keys
}

/** The compiled spine of a redactor's paths (without `**`); `undefined` when no path is set. */
export type Spine = Plan | undefined

/** Compiles the paths' trie (its closed start state) into a spine; none for a censored root. */
export function compileSpine(start: PathState): Spine {
  const step = stepOf(start, () => childKeys(start))
  return step === CENSOR ? undefined : step
}

const OBJECT_PROTOTYPE = Object.prototype
const ARRAY_PROTOTYPE = Array.prototype

/** The path so far, kept only for a censor that reads it. */
type Path = (string | number)[] | undefined

const NO_PATH: readonly (string | number)[] = Object.freeze([])

/** The censored value of `item` at `key`. */
function censorAt(item: unknown, key: string | number, censor: CensorFn, path: Path): unknown {
  if (censor.fixed !== undefined) return censor.fixed
  if (path === undefined) return censor(item, NO_PATH)
  path.push(key)
  const out = censor(item, path.slice())
  path.pop()
  return out
}

/** The copy of `item` at `key` along `plan`, or `BAIL`. */
function nestedAt(item: unknown, key: string | number, plan: Plan, censor: CensorFn, path: Path) {
  if (path === undefined) return copyAlong(item, plan, censor, undefined)
  path.push(key)
  const out = copyAlong(item, plan, censor, path)
  path.pop()
  return out
}

function copyArray(source: unknown[], plan: Plan, censor: CensorFn, path: Path): unknown {
  const out = source.slice()
  const other = plan.other
  if (other !== undefined) {
    const named = plan.byKey.size > 0
    for (let i = 0; i < out.length; i++) {
      const next = named ? (plan.byKey.get(String(i)) ?? other) : other
      const copied =
        next === CENSOR
          ? censorAt(out[i], i, censor, path)
          : nestedAt(out[i], i, next, censor, path)
      if (copied === BAIL) return BAIL
      out[i] = copied === REMOVED ? null : copied
    }
    return out
  }
  for (const { index } of plan.censored) {
    if (index < 0 || index >= out.length) continue
    const copied = censorAt(out[index], index, censor, path)
    out[index] = copied === REMOVED ? null : copied
  }
  for (const { index, next } of plan.nested) {
    if (index < 0 || index >= out.length) continue
    const copied = nestedAt(out[index], index, next, censor, path)
    if (copied === BAIL) return BAIL
    out[index] = copied
  }
  return out
}

function copyObject(
  source: Record<string, unknown>,
  plan: Plan,
  censor: CensorFn,
  path: Path,
): unknown {
  // The spread takes own enumerable keys in `JSON.stringify`'s order, reads each getter once and
  // keeps an own `__proto__` key a key; from here on only the copy is read or written.
  const out: Record<string, unknown> = { ...source }
  const other = plan.other
  if (other !== undefined) {
    for (const key of Object.keys(out)) {
      const next = plan.byKey.get(key) ?? other
      const copied =
        next === CENSOR
          ? censorAt(out[key], key, censor, path)
          : nestedAt(out[key], key, next, censor, path)
      if (copied === BAIL) return BAIL
      if (copied === REMOVED) delete out[key]
      else out[key] = copied
    }
    return out
  }
  const fixed = censor.fixed
  for (const { key } of plan.censored) {
    if (!Object.hasOwn(out, key)) continue
    // A fixed censor never reads the value: one keyed access fewer on the hot path.
    const copied = fixed === undefined ? censorAt(out[key], key, censor, path) : fixed
    if (copied === REMOVED) delete out[key]
    else out[key] = copied
  }
  for (const { key, next } of plan.nested) {
    if (!Object.hasOwn(out, key)) continue
    const copied = nestedAt(out[key], key, next, censor, path)
    if (copied === BAIL) return BAIL
    out[key] = copied
  }
  return out
}

/**
 * The copy of `value` along `plan`: plain objects and arrays (no `toJSON`) are copied,
 * anything else that is not a primitive answers `BAIL`, as `JSON.stringify` would write it its
 * own way (a `Date`, a boxed string, a `Map`).
 */
function copyAlong(value: unknown, plan: Plan, censor: CensorFn, path: Path): unknown {
  if (typeof value !== 'object' || value === null) return value
  // A `toJSON`, own or inherited (a polluted prototype's too), is for `JSON.stringify` to call.
  if ((value as { toJSON?: unknown }).toJSON !== undefined) return BAIL
  const proto = Object.getPrototypeOf(value)
  if (proto === OBJECT_PROTOTYPE || proto === null) {
    return copyObject(value as Record<string, unknown>, plan, censor, path)
  }
  return proto === ARRAY_PROTOTYPE && Array.isArray(value)
    ? copyArray(value as unknown[], plan, censor, path)
    : BAIL
}

/**
 * The JSON text with the paths censored, or `undefined` when the fast path cannot answer
 * exactly (the caller then takes the safe walk).
 */
export function spineJson(value: unknown, spine: Spine, censor: CensorFn): string | undefined {
  try {
    if (spine === undefined) return undefined
    const copy = copyAlong(value, spine, censor, censor.usesPath ? [] : undefined)
    if (copy === BAIL) return undefined
    return JSON.stringify(copy) ?? 'null'
  } catch {
    return undefined
  }
}
