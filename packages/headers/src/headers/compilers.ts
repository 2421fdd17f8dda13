/**
 * The two shapes most helmet headers share, as compiler factories: a header with one fixed
 * value, and a header whose value is picked from a list by one option key.
 * @module
 */
import type { HeaderCompiler, PlannedHeader } from '../header-plan.js'
import { readEnum, readOptions } from './option-checks.js'

/**
 * A header with a fixed value and no options: `undefined`/`true`/`{}` → the header, `false` → none.
 * helmet only warns about an options object; here any key in one is an issue.
 */
export function fixedValueHeader(header: string, value: string): HeaderCompiler {
  const planned: readonly PlannedHeader[] = Object.freeze([Object.freeze({ name: header, value })])
  return function compileFixedValueHeader(option, path, issues) {
    // Count from here: the sink may already hold other options' issues.
    const start = issues.length
    const options = readOptions(option, path, issues, { header, defaultOn: true, keys: [] })
    return options === undefined || issues.length > start ? [] : planned
  }
}

/** What {@link enumHeader} needs to know about one header. */
export interface EnumHeaderSpec<V extends string> {
  readonly header: string
  /** Whether `undefined` sends the header (helmet 8: all but COEP). */
  readonly defaultOn: boolean
  /** The option key holding the value (`policy`, `permittedPolicies`). */
  readonly key: string
  readonly values: readonly V[]
  /** Sent when the key is absent. */
  readonly fallback: V
  /** How the value is named in messages, e.g. `'a Cross-Origin-Opener-Policy policy'`. */
  readonly describe: string
}

/** A header whose value is one of a list, chosen by `{ [key]: value }`. */
export function enumHeader<V extends string>(spec: EnumHeaderSpec<V>): HeaderCompiler {
  return function compileEnumHeader(option, path, issues) {
    const start = issues.length
    const options = readOptions(option, path, issues, {
      header: spec.header,
      defaultOn: spec.defaultOn,
      keys: [spec.key],
    })
    if (options === undefined) return []
    const raw = options[spec.key]
    const value =
      raw === undefined
        ? spec.fallback
        : readEnum(raw, spec.values, `${path}.${spec.key}`, issues, spec.describe)
    if (value === undefined || issues.length > start) return []
    return [{ name: spec.header, value }]
  }
}
