/**
 * `createRedactor()`: options validated and compiled once (paths into a trie, key names into a
 * case-insensitive set, the censor, the detectors) into a function that returns a redacted copy,
 * or a JSON string, of anything. It never mutates its input, never generates code and never
 * throws.
 * @module
 */
import { functionSchema, parseOptions, RampartConfigError, z } from '@rampart/core'
import { type Censor, compileCensor } from './censor.js'
import { type CopyRules, MARKERS, MAX_DEPTH_LIMIT, redactedCopy } from './copy.js'
import { compileKeyRule, DEFAULT_SECRET_KEYS } from './keys.js'
import { closure, compilePaths, PathSyntaxError, parsePath, type Segment } from './paths.js'

/** Config error code of `@rampart/redactor`. */
export const REDACTOR_CONFIG_CODE = 'ERR_RAMPART_REDACTOR_CONFIG'

/** Options of {@link createRedactor}. */
export interface RedactorOptions {
  /**
   * Paths to censor, in fast-redact / pino syntax (`req.headers.authorization`,
   * `users[0].email`, `a["x-y"]`, `*.password`) plus `**` for any depth (`**.token`).
   */
  readonly paths?: readonly string[]
  /** Property names censored wherever they appear, case- and `-`/`_`-insensitive; added to the defaults. */
  readonly keys?: readonly string[]
  /** Whether the default key list (password, token, authorization, cookie …) applies. Default `true`. */
  readonly defaultKeys?: boolean
  /** What a censored value becomes. Default `'[REDACTED]'`. */
  readonly censor?: Censor
  /** Levels walked; deeper values become `'[Depth limit]'`. Default 20, at most 200. */
  readonly maxDepth?: number
  /** Values walked in all; the rest is cut with `'[Node limit]'`. Default 10,000. */
  readonly maxNodes?: number
  /** Characters kept of one string (the rest counted in a marker). Default 10,000. */
  readonly maxStringLength?: number
}

/** A compiled redactor. */
export interface Redactor {
  /** A redacted, JSON-safe copy of `value` (the input is never changed). */
  (value: unknown): unknown
  /** The redacted copy as JSON text. */
  json(value: unknown): string
}

const whole = (min: number, max: number, what: string) =>
  z.custom<number>().superRefine((value, ctx) => {
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return
    ctx.addIssue({
      code: 'custom',
      message: `expected a whole number from ${min} to ${max} (${what}), received ${JSON.stringify(value) ?? String(value)}`,
    })
  })

const censorSchema = z.union([
  z.string(),
  z.strictObject({
    partial: whole(0, 64, 'characters kept'),
    mask: z.string().min(1).max(4).optional(),
  }),
  functionSchema<(value: unknown, path: readonly (string | number)[]) => unknown>(
    '(value, path) => unknown',
  ),
])

const optionsSchema = z.strictObject({
  paths: z.array(z.string()).optional(),
  keys: z.array(z.string().min(1)).optional(),
  defaultKeys: z.boolean().optional(),
  censor: censorSchema.optional(),
  maxDepth: whole(1, MAX_DEPTH_LIMIT, 'levels').optional(),
  maxNodes: whole(1, 10_000_000, 'values').optional(),
  maxStringLength: whole(1, 100_000_000, 'characters').optional(),
})

/** Compiles options into the walk's rules. */
function compile(input: unknown): CopyRules {
  const o = parseOptions('@rampart/redactor', optionsSchema, input ?? {}, REDACTOR_CONFIG_CODE)
  const issues: { path: string; message: string }[] = []
  const parsed: Segment[][] = []
  for (const [i, path] of (o.paths ?? []).entries()) {
    try {
      parsed.push(parsePath(path))
    } catch (error) {
      if (!(error instanceof PathSyntaxError)) throw error
      issues.push({ path: `paths[${i}]`, message: error.message })
    }
  }
  if (issues.length > 0)
    throw new RampartConfigError('@rampart/redactor', issues, REDACTOR_CONFIG_CODE)
  const keys = [...(o.defaultKeys === false ? [] : DEFAULT_SECRET_KEYS), ...(o.keys ?? [])]
  return {
    start: parsed.length === 0 ? [] : closure([compilePaths(parsed)]),
    isSecretKey: compileKeyRule(keys),
    censor: compileCensor(o.censor as Censor | undefined),
    scan: undefined,
    maxDepth: o.maxDepth ?? 20,
    maxNodes: o.maxNodes ?? 10_000,
    maxStringLength: o.maxStringLength ?? 10_000,
  }
}

/**
 * Compiles a redactor.
 * @throws RampartConfigError (code `ERR_RAMPART_REDACTOR_CONFIG`) for an invalid option or path.
 * @example
 * const redact = createRedactor({ paths: ['req.headers.authorization', '**.card'] })
 * logger.info(redact({ req, user }))
 */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const rules = compile(options)
  const redact = ((value: unknown) => redactedCopy(value, rules)) as Redactor
  redact.json = (value) => {
    try {
      return JSON.stringify(redactedCopy(value, rules)) ?? 'null'
    } catch {
      return JSON.stringify(MARKERS.unserializable)
    }
  }
  return redact
}
