/**
 * Option validation shared by every factory: zod schemas, parsed once at construction, and a
 * `RampartConfigError` that says which option is wrong, why, and how to fix it.
 * @module
 */
import { z } from 'zod'
import { tryParseDuration } from './duration.js'
import { closestMatch, describeValue } from './suggest.js'

export { z }

/** One problem found in a set of options. */
export interface ConfigIssue {
  /** Option path, e.g. `policies[0].limit`. Empty for the options object itself. */
  readonly path: string
  /** What is wrong, and how to fix it where a fix is known. */
  readonly message: string
}

/**
 * Thrown at construction when options are invalid. `code` is stable per package
 * (e.g. `ERR_RAMPART_CORE_CONFIG`), `issues` lists every problem found, not just the first.
 */
export class RampartConfigError extends Error {
  /** Stable error code, e.g. `ERR_RATE_LIMIT_CONFIG`. */
  readonly code: string
  /** Every invalid option found. */
  readonly issues: readonly ConfigIssue[]
  constructor(scope: string, issues: readonly ConfigIssue[], code = 'ERR_RAMPART_CONFIG') {
    const lines = issues.map((i) => `  - ${i.path === '' ? '(options)' : i.path}: ${i.message}`)
    super(`${scope}: invalid options\n${lines.join('\n')}`)
    this.name = 'RampartConfigError'
    this.code = code
    this.issues = issues
  }
}

/** An option path as config errors print it: `policies[0].limit`, `roles.editor.grants[2]`. */
export function formatOptionPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else out += out === '' ? String(part) : `.${String(part)}`
  }
  return out
}

function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: unknown = schema
  for (const part of path) {
    const shape = objectShape(node)
    if (!shape) return []
    node = shape[String(part)]
  }
  return Object.keys(objectShape(node) ?? {})
}

function objectShape(node: unknown): Record<string, unknown> | undefined {
  let current = node as
    | { def?: { type?: string; innerType?: unknown; shape?: unknown; options?: unknown[] } }
    | undefined
  // Unwrap optional/default/nullable wrappers to reach an object schema.
  for (let i = 0; i < 8 && current?.def; i++) {
    if (current.def.type === 'object') return current.def.shape as Record<string, unknown>
    if (current.def.type === 'union') {
      // `false | { ... }` and the like: the object branch names the options.
      for (const option of current.def.options ?? []) {
        const shape = objectShape(option)
        if (shape) return shape
      }
      return undefined
    }
    current = current.def.innerType as typeof current
  }
  return undefined
}

/**
 * Turns one zod issue into config issues with Rampart's wording: each unknown option named with
 * its full path and a did-you-mean (or the known options). For factories that validate with
 * their own schema but report like {@link parseOptions}.
 * @param knownKeysAt the option names valid at an object path (for the suggestion).
 */
export function configIssuesOf(
  issue: z.core.$ZodIssue,
  knownKeysAt: (path: readonly PropertyKey[]) => readonly string[],
): ConfigIssue[] {
  if (issue.code === 'unrecognized_keys') {
    const keys = knownKeysAt(issue.path)
    return issue.keys.map((key) => {
      const near = closestMatch(key, keys)
      const hint = near
        ? ` Did you mean '${near}'?`
        : keys.length > 0
          ? ` Known options: ${keys.join(', ')}.`
          : ''
      return { path: formatOptionPath([...issue.path, key]), message: `unknown option.${hint}` }
    })
  }
  if (issue.code === 'invalid_union') {
    // `false | { ... }` given an object: report what is wrong inside the branch whose type
    // matched, with full paths, rather than "invalid input" for the whole option.
    const matched = issue.errors.filter(
      (branch) => branch.length > 0 && !branch.every(isRootTypeMismatch),
    )
    if (matched.length === 1) {
      return (matched[0] as z.core.$ZodIssue[]).flatMap((inner) =>
        configIssuesOf({ ...inner, path: [...issue.path, ...inner.path] }, knownKeysAt),
      )
    }
  }
  return [{ path: formatOptionPath(issue.path), message: issue.message }]
}

/** A union branch that failed only because the value is of another type or literal. */
function isRootTypeMismatch(issue: z.core.$ZodIssue): boolean {
  return (
    issue.path.length === 0 && (issue.code === 'invalid_type' || issue.code === 'invalid_value')
  )
}

/**
 * Validates options against a zod schema and returns the parsed (defaulted, normalised) value.
 * @param scope package or factory name used in the message, e.g. `'@rampart/core ipFilter'`.
 * @throws RampartConfigError listing every invalid option.
 */
export function parseOptions<S extends z.ZodType>(
  scope: string,
  schema: S,
  input: unknown,
  code?: string,
): z.output<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const known = (path: readonly PropertyKey[]) => knownKeys(schema, path)
  const issues = result.error.issues.flatMap((issue) => configIssuesOf(issue, known))
  throw new RampartConfigError(scope, issues, code)
}

/** Options for {@link durationSchema}. */
export interface DurationBounds {
  /** Smallest allowed value in ms (inclusive). Default 0. */
  readonly min?: number
  /** Largest allowed value in ms (inclusive). */
  readonly max?: number
}

/** A zod schema accepting a {@link Duration} and producing milliseconds. */
export function durationSchema(bounds: DurationBounds = {}) {
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = bounds
  return z.union([z.number(), z.string()]).transform((value, ctx) => {
    const parsed = tryParseDuration(value)
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.reason })
      return z.NEVER
    }
    if (parsed.ms < min || parsed.ms > max) {
      ctx.addIssue({
        code: 'custom',
        message: `must be between ${min} ms and ${max} ms, received ${parsed.ms} ms`,
      })
      return z.NEVER
    }
    return parsed.ms
  })
}

/** A zod schema for an event handler function. */
export const eventHandlerSchema = z.custom<(event: never) => void>(
  (v) => typeof v === 'function',
  'expected a function (event) => void',
)

/** A zod schema for any function (factories pass their own, more precise TypeScript type). */
export function functionSchema<F extends (...args: never[]) => unknown>(description: string) {
  return z.custom<F>((v) => typeof v === 'function', `expected a function ${description}`)
}

/**
 * A zod schema for a closed set of strings whose message lists the choices and suggests the
 * nearest one for a near miss (`'fixed'` → `'fixed-window'`).
 * @example oneOfSchema(['open', 'closed'] as const)
 */
export function oneOfSchema<T extends string>(values: readonly T[]) {
  return z.custom<T>().superRefine((value, ctx) => {
    if (typeof value === 'string' && (values as readonly string[]).includes(value)) return
    const near =
      typeof value === 'string'
        ? (closestMatch(value, values) ??
          (value.length >= 3 ? values.find((v) => v.startsWith(value)) : undefined))
        : undefined
    const hint = near ? ` Did you mean '${near}'?` : ''
    ctx.addIssue({
      code: 'custom',
      message: `expected one of ${values.map((v) => `'${v}'`).join(', ')}, received ${describeValue(value)}.${hint}`,
    })
  })
}

/**
 * A zod schema for a whole number within bounds (default: at least 1), whose message names the
 * range and what the number counts: `expected a whole number from 1 to 100 (failures), received 0`.
 */
export function wholeNumberSchema(what: string, bounds: { min?: number; max?: number } = {}) {
  const { min = 1, max = Number.MAX_SAFE_INTEGER } = bounds
  const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`
  return z.custom<number>().superRefine((value, ctx) => {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max) {
      return
    }
    ctx.addIssue({
      code: 'custom',
      message: `expected a whole number ${range} (${what}), received ${describeValue(value)}`,
    })
  })
}
