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
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly violation: Violation }

/** One container being visited: its entries are taken one at a time. */
interface Frame {
  readonly node: Record<string, unknown> | unknown[]
  /** Own keys of an object; `undefined` for an array. */
  readonly keys: string[] | undefined
  readonly length: number
  /** The key under which the parent holds this container (for paths). */
  readonly key: string | number
  index: number
}

const OBJECT_PROTOTYPE = Object.prototype

/** Plain objects and arrays are walked; anything else (a Date, a Buffer) is a leaf. */
function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  if (typeof value !== 'object' || value === null) return false
  if (Array.isArray(value)) return true
  const proto = Object.getPrototypeOf(value)
  return proto === OBJECT_PROTOTYPE || proto === null
}

/** The key rules: a finding's code, or `undefined` for a clean key. */
function keyFinding(key: string, rules: WalkRules): RuleCode | undefined {
  if (key === '__proto__' || key === 'prototype') return 'proto-key'
  if (keyHasControl(key)) return 'control-char-key'
  if (!rules.mongo || rules.mongoAllow.has(key)) return undefined
  // A full-width `＄where` is `$where` after NFKC: judge the key as a lenient parser might read it.
  const seen = isAscii(key) ? key : key.normalize('NFKC')
  if (seen.charCodeAt(0) === 36) return 'mongo-operator'
  if (seen.includes('.')) return 'mongo-dotted-key'
  return undefined
}

function pathOf(location: InputLocation, stack: readonly Frame[], last?: string | number): string {
  let path: string = location
  for (let i = 1; i < stack.length; i++) path += pathSegment((stack[i] as Frame).key)
  if (last !== undefined) path += pathSegment(last)
  return path
}

function frameOf(node: Record<string, unknown> | unknown[], key: string | number): Frame {
  if (Array.isArray(node)) return { node, keys: undefined, length: node.length, key, index: 0 }
  const keys = Object.keys(node)
  return { node, keys, length: keys.length, key, index: 0 }
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
    return { ok: true, value: cleaned }
  }
  if (!isContainer(root)) return { ok: true, value: root }

  const fail = (code: RuleCode, stack: Frame[], last?: string | number): WalkResult => ({
    ok: false,
    violation: { code, path: pathOf(location, stack, last) },
  })
  const rootFrame = frameOf(root, '')
  const stack: Frame[] = [rootFrame]
  const tooWide = (frame: Frame) =>
    frame.keys === undefined
      ? frame.length > rules.maxArrayLength
        ? 'max-array-length'
        : undefined
      : frame.length > rules.maxKeys
        ? 'max-keys'
        : undefined
  const rootWidth = tooWide(rootFrame)
  if (rootWidth !== undefined) return fail(rootWidth, stack)
  let total = rootFrame.length
  if (total > rules.maxTotalKeys) return fail('max-total-keys', stack)

  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame
    if (frame.index >= frame.length) {
      stack.pop()
      continue
    }
    const at = frame.index++
    const key: string | number = frame.keys === undefined ? at : (frame.keys[at] as string)
    const node = frame.node as Record<string | number, unknown>
    if (typeof key === 'string') {
      const code = keyFinding(key, rules)
      if (code !== undefined) {
        // Limits and control characters in keys always report; the key rules can strip.
        if (!rules.strip || code === 'control-char-key') return fail(code, stack, key)
        delete node[key]
        continue
      }
    }
    const value = node[key]
    if (typeof value === 'string') {
      if (value.length > rules.maxStringLength) return fail('max-string-length', stack, key)
      const cleaned = checkString(value, rules.strings, rules.strip)
      if (typeof cleaned !== 'string') return fail(cleaned.code, stack, key)
      if (cleaned !== value) node[key] = cleaned
    } else if (isContainer(value)) {
      if (stack.length >= rules.maxDepth) return fail('max-depth', stack, key)
      const child = frameOf(value, key)
      const width = tooWide(child)
      if (width !== undefined) return fail(width, stack, key)
      total += child.length
      if (total > rules.maxTotalKeys) return fail('max-total-keys', stack, key)
      stack.push(child)
    }
  }
  return { ok: true, value: root }
}
