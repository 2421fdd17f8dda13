/**
 * Reads the user's `directives` object: names (camelCase or kebab-case, no duplicates),
 * values (lists, strings, `null`, the `default-src` escape hatch) and entries (strings or
 * one-argument functions), reporting every problem instead of stopping at the first.
 * @module
 */
import type { IssueSink } from '../header-plan.js'
import { isDisableDefaultSrc } from './defaults.js'
import { parseDirectiveName } from './directive-names.js'
import { checkDirectiveValue, type DirectiveEntry, type DirectiveFacts } from './directive-value.js'

/**
 * Most entries one directive may have. Lists are materialised once, so an endless iterable
 * must not hang start-up; real policies stay far below this (headers grow past what servers
 * and browsers accept long before).
 */
const MAX_ENTRIES = 1024

/** What one key of `directives` asks for. */
export type DirectiveChange =
  | { readonly type: 'remove' }
  | { readonly type: 'disable-default-src' }
  | {
      readonly type: 'set'
      readonly entries: readonly DirectiveEntry[]
      readonly facts: DirectiveFacts
    }

/** One valid key of `directives`, in the user's order. */
export interface UserDirective {
  /** Kebab-case directive name. */
  readonly name: string
  /** Issue path of the key, e.g. `contentSecurityPolicy.directives.scriptSrc`. */
  readonly path: string
  /** What the key asks for. */
  readonly change: DirectiveChange
}

/** The readable part of the user's directives. */
export interface ReadDirectives {
  /** The usable keys, in the user's order. */
  readonly directives: readonly UserDirective[]
  /**
   * Directives (kebab-case, or the raw key when it is not a name) that were given but are
   * unusable, already reported: later checks treat them as present, so they stay quiet.
   */
  readonly invalid: ReadonlySet<string>
}

const DEFAULT_SRC_NULL =
  'default-src cannot be null: the policy needs a default-src. If you really want to send a policy without it, set it to `dangerouslyDisableDefaultSrc`.'

function describe(value: unknown): string {
  if (value === undefined) return 'undefined'
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `the ${typeof value} ${String(value)}`
  }
  if (typeof value === 'symbol') return `a symbol (${String(value.description)})`
  if (typeof value === 'function') return 'a function'
  if (value === null) return 'null'
  return Array.isArray(value) ? 'an array' : 'an object'
}

/** Materialises a list, up to {@link MAX_ENTRIES}; `undefined` (reported) when it cannot. */
function materialise(
  value: Iterable<unknown>,
  path: string,
  issues: IssueSink,
): unknown[] | undefined {
  const items: unknown[] = []
  try {
    for (const item of value) {
      if (items.length === MAX_ENTRIES) {
        issues.push({
          path,
          message: `has more than ${MAX_ENTRIES} entries; a policy this long would not fit in a header.`,
        })
        return undefined
      }
      items.push(item)
    }
  } catch (error) {
    issues.push({ path, message: `could not be iterated: ${String(error)}` })
    return undefined
  }
  return items
}

/** Reads one value into a change; `undefined` when it is unusable (already reported). */
function readChange(
  name: string,
  kind: Parameters<typeof checkDirectiveValue>[1],
  raw: unknown,
  path: string,
  issues: IssueSink,
): DirectiveChange | undefined {
  if (raw === null) {
    if (name !== 'default-src') return { type: 'remove' }
    issues.push({ path, message: DEFAULT_SRC_NULL })
    return undefined
  }
  if (isDisableDefaultSrc(raw)) {
    if (name === 'default-src') return { type: 'disable-default-src' }
    issues.push({
      path,
      message: `dangerouslyDisableDefaultSrc only applies to default-src; to leave ${name} out, omit the key (or set it to null to remove a default).`,
    })
    return undefined
  }
  if (typeof raw === 'string') {
    const entries = [raw]
    const facts = checkDirectiveValue(name, kind, entries, path, () => path, issues)
    return { type: 'set', entries, facts }
  }
  if (typeof raw === 'function') {
    issues.push({
      path,
      message: 'a function must be inside a list: write [fn] (or ["\'self\'", fn]).',
    })
    return undefined
  }
  if (typeof raw !== 'object' || !(Symbol.iterator in raw)) {
    const hint =
      raw === undefined
        ? ' Omit the key to keep the default, or set it to null to remove the directive.'
        : ''
    issues.push({
      path,
      message: `must be a list of sources (e.g. ["'self'"]), a string, or null to remove the directive; got ${describe(raw)}.${hint}`,
    })
    return undefined
  }
  const items = materialise(raw as Iterable<unknown>, path, issues)
  if (items === undefined) return undefined
  const entries: DirectiveEntry[] = []
  const indices: number[] = []
  let valid = true
  items.forEach((item, index) => {
    const itemPath = `${path}[${index}]`
    if (typeof item === 'function') {
      if (item.length >= 2) {
        valid = false
        issues.push({
          path: itemPath,
          message: `this function takes ${item.length} parameters like helmet's (req, res) => …, but Rampart calls it with one: the request's SecurityContext. For the res.locals nonce pattern, set \`nonce: true\` instead.`,
        })
        return
      }
      entries.push(item as DirectiveEntry)
      indices.push(index)
    } else if (typeof item === 'string') {
      entries.push(item)
      indices.push(index)
    } else {
      valid = false
      issues.push({
        path: itemPath,
        message: `must be a string or a function (ctx) => string; got ${describe(item)}.`,
      })
    }
  })
  const facts = checkDirectiveValue(
    name,
    kind,
    entries,
    path,
    (i) => `${path}[${indices[i]}]`,
    issues,
  )
  return valid ? { type: 'set', entries, facts } : undefined
}

/**
 * Reads `directives` (already known to be an object). Keys are taken in the object's own
 * enumerable order, as helmet's `for…in` with `hasOwn` does.
 */
export function readDirectives(
  directives: object,
  base: string,
  issues: IssueSink,
): ReadDirectives {
  const seen = new Map<string, string>()
  const result: UserDirective[] = []
  const invalid = new Set<string>()
  for (const key of Object.keys(directives)) {
    const path = `${base}.${key}`
    const raw = (directives as Record<string, unknown>)[key]
    const parsed = parseDirectiveName(key)
    if (!parsed.ok) {
      issues.push({ path, message: parsed.message })
      invalid.add(key)
      // Still check the value, so one run reports everything.
      readChange(key, 'unknown', raw, path, issues)
      continue
    }
    const earlier = seen.get(parsed.name)
    if (earlier !== undefined) {
      issues.push({
        path,
        message: `duplicate directive ${parsed.name}: ${JSON.stringify(earlier)} and ${JSON.stringify(key)} both set it. Keep one.`,
      })
      invalid.add(parsed.name)
      continue
    }
    seen.set(parsed.name, key)
    const change = readChange(parsed.name, parsed.kind, raw, path, issues)
    if (change === undefined) invalid.add(parsed.name)
    else result.push({ name: parsed.name, path, change })
  }
  return { directives: result, invalid }
}
