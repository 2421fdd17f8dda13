/**
 * Small checks shared by the header modules. Each one reports to the issue sink instead of
 * throwing, so one construction lists every mistake at once. Used at construction only.
 * @module
 */
import { closestMatch, describeValue, isPlainObject } from '@rampart/core'
import type { IssueSink } from '../header-plan.js'

// Shared with core and the CSP compiler; re-exported so the header modules keep one import.
export { isToken } from '../csp/chars.js'
export { describeValue, isPlainObject }

/** `" Did you mean 'x'?"` when a candidate is close, else `''`. */
export function didYouMean(input: unknown, candidates: readonly string[]): string {
  if (typeof input !== 'string') return ''
  const near = closestMatch(input, candidates)
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
