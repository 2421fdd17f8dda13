/**
 * HTTP parameter pollution in parsed query strings and urlencoded forms: `?role=user&role=admin`
 * arrives as an array where the handler expects one string, and two layers (a proxy, the app)
 * may each pick a different one. Every repeated scalar parameter, at any depth, is resolved by
 * one policy; the originals are kept aside for the handler; fields declared as real arrays keep
 * their arrays, and a one-element array elsewhere (`?role[]=admin`) becomes its element. Also
 * counts parameters against `maxParameters`.
 * @module
 */
import { type InputLocation, pathSegment, type Violation } from './violations.js'

/** What to do with a repeated scalar parameter. */
export type PollutionPolicy = 'first' | 'last' | 'reject'

/** The resolved parameter rules. */
export interface ParameterRules {
  readonly policy: PollutionPolicy
  /** Field paths (`tags`, `filter.ids`: keys joined with dots, no indices) that are real arrays. */
  readonly arrays: ReadonlySet<string>
  readonly maxParameters: number
}

/** The repeated values a policy resolved, by path (`query.role`), as they arrived. */
export type PollutedParameters = Readonly<Record<string, readonly unknown[]>>

/** What resolving answers: the polluted originals, or the first finding. */
export type ParameterResult =
  | {
      readonly ok: true
      readonly polluted: PollutedParameters | undefined
      /** Whether any parameter was rewritten. */
      readonly changed: boolean
    }
  | { readonly ok: false; readonly violation: Violation }

const isScalar = (v: unknown) => v === null || (typeof v !== 'object' && typeof v !== 'function')

interface Entry {
  readonly node: Record<string, unknown>
  readonly field: string
  readonly path: string
}

/**
 * Resolves repeated scalars in `root` in place (iteratively, any depth). Arrays holding objects
 * are structures, not repetitions, and are walked into.
 */
export function resolveParameters(
  root: unknown,
  location: InputLocation,
  rules: ParameterRules,
): ParameterResult {
  if (typeof root !== 'object' || root === null) {
    return { ok: true, polluted: undefined, changed: false }
  }
  let changed = false
  let polluted: Record<string, readonly unknown[]> | undefined
  let count = 0
  const stack: Entry[] = [{ node: root as Record<string, unknown>, field: '', path: location }]
  while (stack.length > 0) {
    const { node, field, path } = stack.pop() as Entry
    for (const key of Object.keys(node)) {
      const value = node[key]
      const childField = Array.isArray(node) ? field : field === '' ? key : `${field}.${key}`
      const childPath = path + pathSegment(Array.isArray(node) ? Number(key) : key)
      if (Array.isArray(value) && value.length > 0 && value.every(isScalar)) {
        count += value.length
        if (count > rules.maxParameters) {
          return { ok: false, violation: { code: 'max-parameters', path: childPath } }
        }
        if (rules.arrays.has(childField)) continue
        if (value.length === 1) {
          // `?role[]=admin`: an array where a string is expected, though nothing repeats.
          node[key] = value[0]
          changed = true
          continue
        }
        if (rules.policy === 'reject') {
          return { ok: false, violation: { code: 'parameter-pollution', path: childPath } }
        }
        polluted ??= {}
        polluted[childPath] = value.slice()
        node[key] = rules.policy === 'first' ? value[0] : value[value.length - 1]
        changed = true
      } else if (typeof value === 'object' && value !== null) {
        stack.push({ node: value as Record<string, unknown>, field: childField, path: childPath })
      } else if (++count > rules.maxParameters) {
        return { ok: false, violation: { code: 'max-parameters', path: childPath } }
      }
    }
  }
  return { ok: true, polluted, changed }
}
