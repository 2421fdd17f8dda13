/**
 * The walk over one parsed input (a JSON body, a parsed query or form, route params): every
 * structural limit, the prototype-pollution and NoSQL-operator key rules and the string rules,
 * in one iterative pass. No recursion, so 100,000 levels of nesting cost one frame each until
 * `maxDepth` stops the walk; limits are checked before a container is entered, so a million-
 * element array is refused without visiting its elements.
 *
 * The walk cleans in place: strings are replaced by their cleaned form and, in strip mode,
 * offending keys are deleted. Inputs are the request's own parsed values, so nothing else holds
 * them; no prototype is ever written (a `__proto__` key parsed from JSON is an own property,
 * deleted as one).
 * @module
 */
import { checkString, isAscii, keyHasControl, type StringRules } from './strings.js'
import { type InputLocation, pathSegment, type RuleCode, type Violation } from './violations.js'

/** The resolved rules of one walk. */
export interface WalkRules {
  /** Containers on one path, the root included: 1 admits a flat object only. */
  readonly maxDepth: number
  readonly maxKeys: number
  readonly maxTotalKeys: number
  readonly maxArrayLength: number
  readonly maxStringLength: number
  /** `$`-prefixed and dotted keys are findings (the `mongo` profile). */
  readonly mongo: boolean
  /** Keys the mongo rule lets through (e.g. `'$search'` for a deliberate operator). */
  readonly mongoAllow: ReadonlySet<string>
  readonly strings: StringRules
  /** Remove offending keys and characters instead of reporting them (limits still report). */
  readonly strip: boolean
}

/** What a walk answers: the (cleaned) value, or the first finding. */
export type WalkResult =
  | {
      readonly ok: true
      readonly value: unknown
      /** Whether the walk cleaned anything (a string rewritten or a key deleted). */
      readonly changed: boolean
    }
  | { readonly ok: false; readonly violation: Violation }

/** A container met on the walk: where it is (for paths) and how deep. */
interface Entry {
  readonly node: Record<string, unknown> | unknown[]
  /** Own keys of an object (listed once, when it was met); `undefined` for an array. */
  readonly keys: string[] | undefined
  /** Index of the parent's entry in the visit list; -1 for the root. */
  readonly parent: number
  /** The key under which the parent holds this container. */
  readonly key: string | number
  /** Containers on its path, itself included. */
  readonly depth: number
}

const OBJECT_PROTOTYPE = Object.prototype

/** Strings up to this length are scanned inline; longer ones go through `checkString`. */
const SHORT_STRING = 32

/** Plain objects and arrays are walked; anything else (a Date, a Buffer) is a leaf. */
function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  if (typeof value !== 'object' || value === null) return false
  if (Array.isArray(value)) return true
  const proto = Object.getPrototypeOf(value)
  return proto === OBJECT_PROTOTYPE || proto === null
}

/**
 * Whether any key rule could object to `key`: a leading `$`, a dot, or anything but printable
 * ASCII (controls, and non-ASCII that NFKC might turn into `$` or `.`). One pass; most keys are
 * short and clean, and a loop costs less than a regex call for them.
 */
function isSuspectKey(key: string): boolean {
  if (key.charCodeAt(0) === 36) return true
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i)
    if (c === 46 || c < 0x20 || c > 0x7e) return true
  }
  return false
}

/** The key rules: a finding's code, or `undefined` for a clean key. */
function keyFinding(key: string, rules: WalkRules): RuleCode | undefined {
  if (key === '__proto__' || key === 'prototype') return 'proto-key'
  if (!isSuspectKey(key)) return undefined
  if (keyHasControl(key)) return 'control-char-key'
  if (!rules.mongo || rules.mongoAllow.has(key)) return undefined
  // A full-width `＄where` is `$where` after NFKC: judge the key as a lenient parser might read it.
  const seen = isAscii(key) ? key : key.normalize('NFKC')
  if (seen.charCodeAt(0) === 36) return 'mongo-operator'
  if (seen.includes('.')) return 'mongo-dotted-key'
  return undefined
}

function pathOf(
  location: InputLocation,
  visited: readonly Entry[],
  at: number,
  last?: string | number,
): string {
  let path = last === undefined ? '' : pathSegment(last)
  for (let i = at; i > 0; i = (visited[i] as Entry).parent) {
    path = pathSegment((visited[i] as Entry).key) + path
  }
  return location + path
}

/**
 * Walks `root` (found at `location`) under `rules`. Answers the value to keep (the root itself,
 * cleaned in place, or a cleaned string) or the first finding.
 */
export function walk(root: unknown, location: InputLocation, rules: WalkRules): WalkResult {
  if (typeof root === 'string') {
    if (root.length > rules.maxStringLength) {
      return { ok: false, violation: { code: 'max-string-length', path: location } }
    }
    const cleaned = checkString(root, rules.strings, rules.strip)
    if (typeof cleaned !== 'string') {
      return { ok: false, violation: { code: cleaned.code, path: location } }
    }
    return { ok: true, value: cleaned, changed: cleaned !== root }
  }
  if (!isContainer(root)) return { ok: true, value: root, changed: false }
  let changed = false
  const visited: Entry[] = []
  /** An entry for a container, or the limit it breaks. */
  const enter = (
    node: Record<string, unknown> | unknown[],
    parent: number,
    key: string | number,
    depth: number,
  ): Entry | RuleCode => {
    if (Array.isArray(node)) {
      if (node.length > rules.maxArrayLength) return 'max-array-length'
      return { node, keys: undefined, parent, key, depth }
    }
    const keys = Object.keys(node)
    if (keys.length > rules.maxKeys) return 'max-keys'
    return { node, keys, parent, key, depth }
  }
  const rootEntry = enter(root, -1, '', 1)
  if (typeof rootEntry === 'string') return fail(rootEntry, location, visited, -1)
  let total = rootEntry.keys === undefined ? (root as unknown[]).length : rootEntry.keys.length
  if (total > rules.maxTotalKeys) return fail('max-total-keys', location, visited, -1)
  visited.push(rootEntry)

  // Each container is taken once and its entries checked in one tight loop; child containers
  // are queued (depth-first), so no call stack grows with the input.
  const pending: number[] = [0]
  while (pending.length > 0) {
    const at = pending.pop() as number
    const entry = visited[at] as Entry
    const node = entry.node as Record<string | number, unknown>
    const keys = entry.keys
    const length = keys === undefined ? (node as unknown as unknown[]).length : keys.length
    for (let i = 0; i < length; i++) {
      const key: string | number = keys === undefined ? i : (keys[i] as string)
      if (keys !== undefined) {
        const code = keyFinding(key as string, rules)
        if (code !== undefined) {
          // Control characters in keys always report; the other key rules can strip.
          if (!rules.strip || code === 'control-char-key') {
            return fail(code, location, visited, at, key)
          }
          delete node[key]
          changed = true
          continue
        }
      }
      const value = node[key]
      if (typeof value === 'string') {
        if (value.length > rules.maxStringLength) {
          return fail('max-string-length', location, visited, at, key)
        }
        // Short printable-ASCII strings, most of any body, are checked here without a call.
        let plain = value.length <= SHORT_STRING
        for (let j = 0; plain && j < value.length; j++) {
          const c = value.charCodeAt(j)
          plain = c >= 0x20 && c <= 0x7e
        }
        if (!plain) {
          const cleaned = checkString(value, rules.strings, rules.strip)
          if (typeof cleaned !== 'string') return fail(cleaned.code, location, visited, at, key)
          if (cleaned !== value) {
            node[key] = cleaned
            changed = true
          }
        }
      } else if (typeof value === 'object' && value !== null && isContainer(value)) {
        if (entry.depth >= rules.maxDepth) return fail('max-depth', location, visited, at, key)
        const child = enter(value, at, key, entry.depth + 1)
        if (typeof child === 'string') return fail(child, location, visited, at, key)
        total += child.keys === undefined ? (value as unknown[]).length : child.keys.length
        if (total > rules.maxTotalKeys) return fail('max-total-keys', location, visited, at, key)
        pending.push(visited.length)
        visited.push(child)
      }
    }
  }
  return { ok: true, value: root, changed }
}

function fail(
  code: RuleCode,
  location: InputLocation,
  visited: readonly Entry[],
  at: number,
  last?: string | number,
): WalkResult {
  return {
    ok: false,
    violation: { code, path: at < 0 ? location : pathOf(location, visited, at, last) },
  }
}
