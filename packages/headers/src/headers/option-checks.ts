/**
 * Small checks shared by the header modules. Each one reports to the issue sink instead of
 * throwing, so one construction lists every mistake at once. Used at construction only.
 * @module
 */
import type { IssueSink } from '../header-plan.js'

/**
 * Describes a value for an issue message: strings quoted, numbers and booleans as written,
 * containers by kind. Long strings are cut so a pasted blob cannot flood the error.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > 64 ? `${value.slice(0, 64)}…` : value
    return `'${shown}'`
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (typeof value === 'bigint') return `${value}n`
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array'
  if (typeof value === 'function') return 'a function'
  if (typeof value === 'symbol') return 'a symbol'
  if (isPlainObject(value)) return 'an object'
  const tag = Object.prototype.toString.call(value).slice(8, -1)
  return tag === 'Object' ? 'an object with a custom prototype' : `a ${tag}`
}

/**
 * True for `{ ... }` literals and `Object.create(null)` objects. Arrays, maps, class instances
 * and functions are not options objects: accepting them would read keys the caller never
 * meant as options.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** Levenshtein distance; inputs are option names and tokens, a few dozen characters at most. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + cost)
      diagonal = above
    }
  }
  return row[b.length] as number
}

/**
 * The closest candidate to `input`, for a "did you mean" hint. A case-insensitive match wins;
 * otherwise the nearest within 3 edits, as long as the edits do not rewrite half the word
 * (so `'foo'` suggests nothing rather than `'all'`).
 */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  const lower = input.toLowerCase()
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  if (best === undefined) return undefined
  return bestDistance <= 3 && bestDistance * 2 < Math.max(best.length, input.length)
    ? best
    : undefined
}

/** `" Did you mean 'x'?"` when a candidate is close, else `''`. */
export function didYouMean(input: unknown, candidates: readonly string[]): string {
  if (typeof input !== 'string') return ''
  const near = closest(input, candidates)
  return near === undefined || near === input ? '' : ` Did you mean '${near}'?`
}

/** Appends a hint from {@link didYouMean} as a second sentence, or nothing. */
export function withHint(message: string, hint: string): string {
  return hint === '' ? message : `${message}.${hint}`
}

/** `'a', 'b' or 'c'` for messages that list accepted values. */
export function listValues(values: readonly string[]): string {
  const quoted = values.map((v) => `'${v}'`)
  if (quoted.length <= 1) return quoted.join('')
  return `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`
}

/** How {@link readOptions} treats a header's option. */
export interface OptionShape<K extends string> {
  /** The header, for messages, e.g. `Strict-Transport-Security`. */
  readonly header: string
  /** Whether `undefined` (option not given) turns the header on, as helmet's defaults do. */
  readonly defaultOn: boolean
  /** The keys the options object accepts; `[]` for headers without options. */
  readonly keys: readonly K[]
  /**
   * Keys that are not options but are worth a precise message (legacy spellings helmet
   * rejects, such as `maxage`); the message replaces the generic "unknown option".
   */
  readonly known?: Readonly<Record<string, string>>
}

/**
 * Reads a header's option: `true` (and `undefined` when the header is on by default) give `{}`,
 * `false` (and `undefined` otherwise) give `undefined` (off), an options object gives a
 * null-prototype copy holding only its own, known keys. Anything else, and every unknown key,
 * is reported. Returns `undefined` for a value that is not an options object at all.
 *
 * Only own keys are read: an option inherited through a polluted prototype must not change a
 * security header.
 */
export function readOptions<K extends string>(
  value: unknown,
  path: string,
  issues: IssueSink,
  shape: OptionShape<K>,
): Partial<Record<K, unknown>> | undefined {
  if (value === undefined) return shape.defaultOn ? {} : undefined
  if (value === true) return {}
  if (value === false) return undefined
  if (!isPlainObject(value)) {
    const form =
      shape.keys.length === 0
        ? 'true or false'
        : `true, false or an options object { ${shape.keys.join(', ')} }`
    // A bare value where the object was expected (`referrerPolicy: 'same-origin'`) is a
    // common slip; show the object it was probably meant to be.
    const firstKey = shape.keys[0]
    const hint =
      shape.keys.length === 1 && firstKey !== undefined && typeof value === 'string'
        ? ` Did you mean { ${firstKey}: ${describeValue(value)} }?`
        : ''
    issues.push({
      path,
      message: withHint(`must be ${form}, received ${describeValue(value)}`, hint),
    })
    return undefined
  }
  const result: Partial<Record<K, unknown>> = Object.create(null)
  for (const key of Object.keys(value)) {
    if ((shape.keys as readonly string[]).includes(key)) {
      result[key as K] = value[key]
      continue
    }
    const special = shape.known && Object.hasOwn(shape.known, key) ? shape.known[key] : undefined
    let message: string
    if (special !== undefined) message = special
    else if (shape.keys.length === 0)
      message = `unknown option: ${shape.header} takes no options; use true or false`
    else {
      const hint = didYouMean(key, shape.keys)
      message = `unknown option.${hint === '' ? ` Known options: ${shape.keys.join(', ')}.` : hint}`
    }
    issues.push({ path: `${path}.${key}`, message })
  }
  return result
}

/**
 * Checks a value against a fixed set of accepted strings. Reports the accepted values and the
 * nearest one; returns the value when accepted.
 */
export function readEnum<T extends string>(
  value: unknown,
  allowed: readonly T[],
  path: string,
  issues: IssueSink,
  what: string,
): T | undefined {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T
  issues.push({
    path,
    message: withHint(
      `must be ${what}: ${listValues(allowed)}, received ${describeValue(value)}`,
      didYouMean(value, allowed),
    ),
  })
  return undefined
}

/** Checks an optional boolean; helmet reads these by truthiness, which hides `'false'` typos. */
export function readBoolean(
  value: unknown,
  fallback: boolean,
  path: string,
  issues: IssueSink,
): boolean {
  if (value === undefined) return fallback
  if (typeof value === 'boolean') return value
  issues.push({ path, message: `must be true or false, received ${describeValue(value)}` })
  return fallback
}

/**
 * True when `text` is an RFC 9110 token (header names, directive names): one or more of
 * ALPHA, DIGIT and ``!#$%&'*+-.^_`|~``. A character loop, not a regex: no backtracking.
 */
export function isToken(text: string): boolean {
  if (text.length === 0) return false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    const alnum = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
    if (!alnum && !"!#$%&'*+-.^_`|~".includes(text.charAt(i))) return false
  }
  return true
}
