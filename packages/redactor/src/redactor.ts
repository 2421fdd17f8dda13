/**
 * `createRedactor()`: options validated and compiled once (paths into a trie, key names into a
 * case-insensitive set, the censor, the detectors) into a function that returns a redacted copy,
 * or a JSON string, of anything. It never mutates its input, never generates code and never
 * throws.
 * @module
 */
import {
  functionSchema,
  parseOptions,
  RampartConfigError,
  wholeNumberSchema,
  z,
} from '@rampart/core'
import { type Censor, compileCensor, DEFAULT_CENSOR } from './censor.js'
import { type CopyRules, MARKERS, MAX_DEPTH_LIMIT, redactedCopy } from './copy.js'
import {
  compileDetectors,
  DETECTOR_IDS,
  type DetectorId,
  isDetectorId,
  redactFindings,
} from './detectors/index.js'
import { compileKeyRule, DEFAULT_SECRET_KEYS } from './keys.js'
import { closure, compilePaths, type PathRule, PathSyntaxError, parsePath } from './paths.js'
import { compileSpine, type Spine, spineJson } from './spine.js'

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
  /** What a censored value becomes, a whole value or a secret found in text. Default `'[REDACTED]'`. */
  readonly censor?: Censor
  /**
   * Detectors run on every string (`'all'`, or a list such as `['jwt', 'credit-card']`): tokens,
   * keys, card numbers and the like found inside free text are censored in place. Default none.
   */
  readonly detectors?: 'all' | readonly DetectorId[]
  /**
   * Detectors for chosen fields only, by path (same syntax as `paths`):
   * `{ 'req.url': ['url-credentials', 'url-secret-param'], '**.message': 'all' }`.
   */
  readonly detectorFields?: Readonly<Record<string, 'all' | readonly DetectorId[]>>
  /** Characters of one string the detectors read (the rest is kept as it is). Default 65,536. */
  readonly maxScan?: number
  /**
   * How `json()` serialises. `'safe'` (default): the walk described above, for everything.
   * `'native'`: when only `paths` redact (`defaultKeys: false`, no `keys`, no detectors, no `**`),
   * only the objects on the way to a path are copied and `JSON.stringify` writes the rest, with its
   * own rules there (an `Error` as `{}`, a `Map` as `{}`, no depth or length limits); a value it
   * cannot write (a cycle, a BigInt, a throwing getter) falls back to the safe walk. With any other
   * rule on, `'native'` is refused at construction.
   */
  readonly serializer?: 'safe' | 'native'
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

const censorSchema = z.union([
  z.string(),
  z.strictObject({
    partial: wholeNumberSchema('characters kept', { min: 0, max: 64 }),
    mask: z.string().min(1).max(4).optional(),
  }),
  z.strictObject({
    hash: z.strictObject({
      secret: z.string().min(16, 'expected a secret of at least 16 characters (it keys the HMAC)'),
      bytes: wholeNumberSchema('bytes of the HMAC shown', { min: 4, max: 32 }).optional(),
    }),
  }),
  functionSchema<(value: unknown, path: readonly (string | number)[]) => unknown>(
    '(value, path) => unknown',
  ),
])

const detectorListSchema = z.union([
  z.literal('all'),
  z.array(
    z.custom<DetectorId>().superRefine((value, ctx) => {
      if (isDetectorId(value)) return
      ctx.addIssue({
        code: 'custom',
        message: `expected a detector (${DETECTOR_IDS.join(', ')}), received ${JSON.stringify(value) ?? String(value)}`,
      })
    }),
  ),
])

const optionsSchema = z.strictObject({
  detectors: detectorListSchema.optional(),
  detectorFields: z.record(z.string(), detectorListSchema).optional(),
  maxScan: wholeNumberSchema('characters scanned', { min: 1, max: 100_000_000 }).optional(),
  serializer: z.enum(['safe', 'native']).optional(),
  paths: z.array(z.string()).optional(),
  keys: z.array(z.string().min(1)).optional(),
  defaultKeys: z.boolean().optional(),
  censor: censorSchema.optional(),
  maxDepth: wholeNumberSchema('levels', { min: 1, max: MAX_DEPTH_LIMIT }).optional(),
  maxNodes: wholeNumberSchema('values', { min: 1, max: 10_000_000 }).optional(),
  maxStringLength: wholeNumberSchema('characters', { min: 1, max: 100_000_000 }).optional(),
})

/** The walk's rules, and the spine `json()` copies when it may take the native fast path. */
interface Compiled extends CopyRules {
  readonly native: boolean
  readonly spine: Spine
}

function compile(input: unknown): Compiled {
  const o = parseOptions('@rampart/redactor', optionsSchema, input ?? {}, REDACTOR_CONFIG_CODE)
  const issues: { path: string; message: string }[] = []
  const censor = compileCensor(o.censor as Censor | undefined)
  const detectorsFor = (ids: 'all' | readonly DetectorId[]) => {
    const detect = compileDetectors(ids === 'all' ? DETECTOR_IDS : ids, {
      ...(o.maxScan === undefined ? {} : { maxScan: o.maxScan }),
    })
    return (text: string): string => {
      const findings = detect(text)
      if (findings.length === 0) return text
      return redactFindings(text, findings, (secret) => {
        const out = censor(secret, [])
        return typeof out === 'string' ? out : DEFAULT_CENSOR
      })
    }
  }
  const rules: PathRule[] = []
  const read = (path: string, where: string, scan?: (text: string) => string) => {
    try {
      rules.push({ segments: parsePath(path), ...(scan === undefined ? {} : { scan }) })
    } catch (error) {
      if (!(error instanceof PathSyntaxError)) throw error
      issues.push({ path: where, message: error.message })
    }
  }
  for (const [i, path] of (o.paths ?? []).entries()) read(path, `paths[${i}]`)
  for (const [path, ids] of Object.entries(o.detectorFields ?? {})) {
    read(path, `detectorFields["${path}"]`, detectorsFor(ids as 'all' | readonly DetectorId[]))
  }
  const keys = [...(o.defaultKeys === false ? [] : DEFAULT_SECRET_KEYS), ...(o.keys ?? [])]
  const native = o.serializer === 'native'
  if (native) {
    const others = [
      keys.length > 0 ? 'key rules (set defaultKeys: false, no keys)' : '',
      o.detectors !== undefined || o.detectorFields !== undefined ? 'detectors' : '',
      (o.paths ?? []).some((p) => p.includes('**')) ? "'**' paths" : '',
    ].filter((x) => x !== '')
    if (others.length > 0) {
      issues.push({
        path: 'serializer',
        message: `'native' serialises only what paths redact; it cannot apply ${others.join(', ')}`,
      })
    }
  }
  if (issues.length > 0) {
    throw new RampartConfigError('@rampart/redactor', issues, REDACTOR_CONFIG_CODE)
  }
  const start = rules.length === 0 ? [] : closure([compilePaths(rules)])
  return {
    start,
    isSecretKey: compileKeyRule(keys),
    censor,
    scan:
      o.detectors === undefined
        ? undefined
        : detectorsFor(o.detectors as 'all' | readonly DetectorId[]),
    maxDepth: o.maxDepth ?? 20,
    maxNodes: o.maxNodes ?? 10_000,
    maxStringLength: o.maxStringLength ?? 10_000,
    native,
    spine: native ? compileSpine(start) : undefined,
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
    if (rules.native) {
      const fast = spineJson(value, rules.spine, rules.censor)
      if (fast !== undefined) return fast
    }
    try {
      return JSON.stringify(redactedCopy(value, rules)) ?? 'null'
    } catch {
      return JSON.stringify(MARKERS.unserializable)
    }
  }
  return redact
}
