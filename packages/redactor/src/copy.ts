/**
 * The redacting copy: one walk that builds a JSON-safe copy of any value, censoring what the
 * paths and key rules name and what the detectors find in strings, and never throwing.
 *
 * - cycles become `[Circular]`, BigInt a decimal string, a throwing getter `[Unserializable]`;
 * - `toJSON()` is honoured and its result walked (so still redacted);
 * - `Error`s keep `name`, `message`, `stack`, `cause` and their own fields, all walked;
 * - `Map`, `Set`, `Headers`, `URLSearchParams` and `URL` are rendered readably (a URL as its text,
 *   scanned like any string);
 * - depth, node count and string length are bounded, with markers where a limit cut.
 *
 * Recursion is bounded by `maxDepth` (at most {@link MAX_DEPTH_LIMIT}), so it cannot overflow.
 * @module
 */
import { type CensorFn, REMOVED } from './censor.js'
import type { KeyRule } from './keys.js'
import { setOwn } from './own.js'
import { advance, isTerminal, type PathState } from './paths.js'

/** The largest `maxDepth` accepted: recursion stays far from the stack's limit. */
export const MAX_DEPTH_LIMIT = 200

/** Markers left where the walk could not or would not go. */
export const MARKERS = {
  circular: '[Circular]',
  unserializable: '[Unserializable]',
  depth: '[Depth limit]',
  nodes: '[Node limit]',
} as const

/** What the walk needs, compiled once. */
export interface CopyRules {
  /** Where the walk starts in the paths' trie (`closure([root])`), empty without paths. */
  readonly start: PathState
  readonly isSecretKey: KeyRule
  readonly censor: CensorFn
  /** Redacts findings inside one string; `undefined` when no detector is on. */
  readonly scan: ((text: string) => string) | undefined
  readonly maxDepth: number
  readonly maxNodes: number
  readonly maxStringLength: number
}

const EMPTY_STATE: PathState = []

/** The path given to censors that do not read it. */
const EMPTY_PATH: readonly (string | number)[] = Object.freeze([])

/** One walk's running state. */
interface Walk {
  readonly rules: CopyRules
  /** The objects on the current path (at most `maxDepth`, so a list beats a Set's hashing). */
  readonly ancestors: object[]
  readonly path: (string | number)[]
  nodes: number
}

function copyString(s: string, walk: Walk, state: PathState): string {
  const { maxStringLength, scan } = walk.rules
  const cut = s.length > maxStringLength
  const text = cut ? s.slice(0, maxStringLength) : s
  let scanned = scan === undefined ? text : scan(text)
  // Fields declared for detectors: their own detectors, on top of any global ones.
  for (const at of state) if (at.scan !== undefined) scanned = at.scan(scanned)
  return cut ? `${scanned}…[${s.length - maxStringLength} more characters]` : scanned
}

/** Reads a property, turning a throwing getter into a marker. */
function read(target: object, key: string | number): unknown {
  try {
    return (target as Record<string | number, unknown>)[key]
  } catch {
    return MARKERS.unserializable
  }
}

function tagOf(value: object): string {
  try {
    return Object.prototype.toString.call(value)
  } catch {
    return '[object Unknown]'
  }
}

/** Copies one value found at `key` under a parent standing at `state`. */
function copyChild(
  key: string | number,
  value: unknown,
  state: PathState,
  depth: number,
  walk: Walk,
): unknown {
  const childState =
    state.length === 0 ? EMPTY_STATE : advance(state, typeof key === 'string' ? key : String(key))
  // The path is kept only for a censor that reads it (a function censor).
  const tracks = walk.rules.censor.usesPath === true
  if (tracks) walk.path.push(key)
  // copyValue and the compiled censor never throw, so the path is always popped.
  const out =
    isTerminal(childState) || (typeof key === 'string' && walk.rules.isSecretKey(key))
      ? walk.rules.censor(value, tracks ? walk.path.slice() : EMPTY_PATH)
      : copyValue(value, childState, depth + 1, walk)
  if (tracks) walk.path.pop()
  return out
}

function copyEntries(
  entries: Iterable<readonly [string | number, unknown]>,
  state: PathState,
  depth: number,
  walk: Walk,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of entries) {
    if (++walk.nodes > walk.rules.maxNodes) {
      out['…'] = MARKERS.nodes
      break
    }
    const copied = copyChild(key, value, state, depth, walk)
    if (copied === REMOVED || copied === undefined) continue
    setOwn(out, String(key), copied)
  }
  return out
}

function copyArray(
  items: readonly unknown[] | unknown[],
  state: PathState,
  depth: number,
  walk: Walk,
) {
  const out: unknown[] = []
  const length = items.length
  for (let i = 0; i < length; i++) {
    if (++walk.nodes > walk.rules.maxNodes) {
      out.push(MARKERS.nodes)
      break
    }
    const copied = copyChild(i, read(items, i), state, depth, walk)
    out.push(copied === REMOVED || copied === undefined ? null : copied)
  }
  return out
}

function ownEntries(value: object): [string, unknown][] {
  let keys: string[]
  try {
    keys = Object.keys(value)
  } catch {
    return []
  }
  return keys.map((k) => [k, read(value, k)])
}

function copyError(error: Error, state: PathState, depth: number, walk: Walk) {
  const entries: [string, unknown][] = [
    ['name', read(error, 'name')],
    ['message', read(error, 'message')],
    ['stack', read(error, 'stack')],
  ]
  let cause: unknown
  try {
    cause = 'cause' in error ? error.cause : undefined
  } catch {
    cause = MARKERS.unserializable
  }
  if (cause !== undefined) entries.push(['cause', cause])
  for (const entry of ownEntries(error)) {
    if (
      entry[0] !== 'name' &&
      entry[0] !== 'message' &&
      entry[0] !== 'stack' &&
      entry[0] !== 'cause'
    ) {
      entries.push(entry)
    }
  }
  return copyEntries(entries, state, depth, walk)
}

/** Copies `value` standing at `state`. */
function copyValue(value: unknown, state: PathState, depth: number, walk: Walk): unknown {
  switch (typeof value) {
    case 'string':
      return copyString(value, walk, state)
    case 'number':
    case 'boolean':
      return value
    case 'bigint':
      return value.toString()
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined
  }
  if (value === null) return null
  const object = value as object
  if (walk.ancestors.includes(object)) return MARKERS.circular
  if (depth >= walk.rules.maxDepth) return MARKERS.depth
  walk.ancestors.push(object)
  try {
    return copyObject(object, state, depth, walk)
  } catch {
    return MARKERS.unserializable
  } finally {
    walk.ancestors.pop()
  }
}

/** Copies a plain object's own enumerable properties: the common case, kept lean. */
function copyPlain(object: Record<string, unknown>, state: PathState, depth: number, walk: Walk) {
  const out: Record<string, unknown> = {}
  const keys = Object.keys(object)
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string
    if (++walk.nodes > walk.rules.maxNodes) {
      out['…'] = MARKERS.nodes
      break
    }
    const copied = copyChild(key, read(object, key), state, depth, walk)
    if (copied === REMOVED || copied === undefined) continue
    setOwn(out, key, copied)
  }
  return out
}

const OBJECT_PROTOTYPE = Object.prototype

function copyObject(object: object, state: PathState, depth: number, walk: Walk): unknown {
  if (Array.isArray(object)) return copyArray(object, state, depth, walk)
  const proto = Object.getPrototypeOf(object)
  if ((proto === OBJECT_PROTOTYPE || proto === null) && !Object.hasOwn(object, 'toJSON')) {
    return copyPlain(object as Record<string, unknown>, state, depth, walk)
  }
  if (object instanceof Error) return copyError(object, state, depth, walk)
  if (ArrayBuffer.isView(object) || object instanceof ArrayBuffer) {
    // Before toJSON: a Node Buffer's would spell out every byte.
    const length = (object as ArrayBufferLike).byteLength
    return `[${tagOf(object).slice(8, -1)} ${length} bytes]`
  }
  const toJSON = read(object, 'toJSON')
  if (typeof toJSON === 'function') {
    // Its result is walked at the same place, so a toJSON() cannot smuggle a secret out.
    const json: unknown = toJSON.call(object, '')
    return json === object
      ? copyEntries(ownEntries(object), state, depth, walk)
      : copyValue(json, state, depth, walk)
  }
  const tag = tagOf(object)
  if (object instanceof Map || tag === '[object Map]') {
    const entries: [string, unknown][] = []
    for (const [k, v] of object as Map<unknown, unknown>)
      entries.push([typeof k === 'string' ? k : String(k), v])
    return copyEntries(entries, state, depth, walk)
  }
  if (object instanceof Set || tag === '[object Set]') {
    return copyArray([...(object as Set<unknown>)], state, depth, walk)
  }
  if (tag === '[object URL]') return copyString(String(object), walk, state)
  if (tag === '[object Headers]' || tag === '[object URLSearchParams]') {
    const entries: [string, unknown][] = []
    for (const [k, v] of object as Iterable<[string, string]>) entries.push([k, v])
    return copyEntries(entries, state, depth, walk)
  }
  return copyEntries(ownEntries(object), state, depth, walk)
}

/** A redacted, JSON-safe copy of `value` under compiled `rules`. Never throws. */
export function redactedCopy(value: unknown, rules: CopyRules): unknown {
  const walk: Walk = { rules, ancestors: [], path: [], nodes: 0 }
  const state = rules.start
  try {
    if (isTerminal(state)) {
      const censored = rules.censor(value, [])
      return censored === REMOVED ? undefined : censored
    }
    return copyValue(value, state, 0, walk)
  } catch {
    return MARKERS.unserializable
  }
}
