/**
 * `sanitize()` options: validated once at construction (zod), defaults filled in, and resolved
 * into the rule sets the per-request walk reads.
 * @module
 */
import {
  oneOfSchema,
  parseOptions,
  RampartConfigError,
  type SecurityEventHandler,
  wholeNumberSchema,
  z,
} from '@rampart/core'
import { DEFAULT_HTML_ALLOW, type HtmlAllowList } from './html.js'
import type { PollutionPolicy } from './parameters.js'
import { type FieldPath, fieldPath } from './rich-text.js'
import { isStandardSchema, type StandardSchemaV1 } from './standard-schema.js'
import type { NormalizationForm } from './strings.js'
import type { WalkRules } from './walk.js'

/** Config error code of `@rampart/sanitizer`. */
export const SANITIZER_CONFIG_CODE = 'ERR_RAMPART_SANITIZER_CONFIG'

/** Structural limits; each refuses the request whatever the mode. */
export interface LimitOptions {
  /** Containers on one path, the root included. Default 32. */
  readonly maxDepth?: number
  /** Keys of one object. Default 1,000. */
  readonly maxKeys?: number
  /** Keys and array elements in one input, all levels together. Default 10,000. */
  readonly maxTotalKeys?: number
  /** Elements of one array. Default 1,000. */
  readonly maxArrayLength?: number
  /** Characters of one string. Default 100,000. */
  readonly maxStringLength?: number
  /** Parameters in a query string or urlencoded form. Default 1,000 (as `qs`). */
  readonly maxParameters?: number
}

/** The schemas inputs are validated against, after sanitising. */
export interface SchemaOptions {
  readonly body?: StandardSchemaV1
  readonly query?: StandardSchemaV1
  readonly params?: StandardSchemaV1
}

/** Options of {@link sanitize}. */
export interface SanitizeOptions<S extends SchemaOptions = SchemaOptions> {
  /** `'reject'` (default): a 400 problem naming the rule and the path. `'strip'`: clean instead. */
  readonly mode?: 'reject' | 'strip'
  /** Check the parsed body. Default `true`. */
  readonly body?: boolean
  /** Check the parsed query. Default `true`. */
  readonly query?: boolean
  /** Check route params (where the framework knows them). Default `true`. */
  readonly params?: boolean
  /**
   * Request headers whose values are checked: a NUL byte, an invisible character or mixed scripts
   * (when those rules are on), or more than `maxStringLength` characters refuse the request.
   * Header values cannot be replaced, so nothing is stripped. Default none.
   */
  readonly headers?: readonly string[]
  readonly limits?: LimitOptions
  /** The NoSQL-operator rule: `$`-prefixed and dotted keys. Default on; `allow` lists keys to let through. */
  readonly mongo?: boolean | { readonly allow?: readonly string[] }
  /** Repeated query/form parameters: `policy` (default `'last'`, as hpp) and real-array fields. */
  readonly parameters?: {
    readonly policy?: PollutionPolicy
    /** Fields (`tags`, `filter.ids`) that are arrays by design. */
    readonly arrays?: readonly string[]
  }
  /** String rules: `normalize` (default `'NFC'`), `invisible` and `mixedScript` (default off). */
  readonly strings?: {
    readonly normalize?: NormalizationForm
    readonly invisible?: boolean
    readonly mixedScript?: boolean
  }
  /**
   * Body fields declared rich text (`description`, `items.notes`: keys joined with dots, arrays
   * entered): their strings go through the allow-list HTML sanitiser. `allow` maps each tag kept
   * to its attributes (default: formatting, lists, quotes, code and `a[href|title]`).
   */
  readonly richText?: {
    readonly fields: readonly string[]
    readonly allow?: HtmlAllowList
  }
  /** Standard Schema validators (zod, valibot, arktype …) for body, query and params. */
  readonly schema?: S
  /**
   * The body types a `schema.body` accepts (415 otherwise). Default `['json']` with a body
   * schema; any type without one.
   */
  readonly bodyTypes?: readonly ('json' | 'form' | 'text')[]
  /** Receives events of this guard outside requests (none today; reserved). */
  readonly onEvent?: SecurityEventHandler
}

const schemaSchema = z.custom<StandardSchemaV1>().superRefine((value, ctx) => {
  if (isStandardSchema(value)) return
  ctx.addIssue({
    code: 'custom',
    message:
      'expected a Standard Schema validator (a zod, valibot or arktype schema: an object with a ~standard property)',
  })
})

const optionsSchema = z.strictObject({
  mode: oneOfSchema(['reject', 'strip'] as const).optional(),
  body: z.boolean().optional(),
  query: z.boolean().optional(),
  params: z.boolean().optional(),
  headers: z.array(z.string().min(1).max(100)).max(100).optional(),
  limits: z
    .strictObject({
      maxDepth: wholeNumberSchema('containers on one path').optional(),
      maxKeys: wholeNumberSchema('keys per object').optional(),
      maxTotalKeys: wholeNumberSchema('keys in all').optional(),
      maxArrayLength: wholeNumberSchema('elements per array').optional(),
      maxStringLength: wholeNumberSchema('characters per string').optional(),
      maxParameters: wholeNumberSchema('parameters per query or form').optional(),
    })
    .optional(),
  mongo: z
    .union([z.boolean(), z.strictObject({ allow: z.array(z.string()).optional() })])
    .optional(),
  parameters: z
    .strictObject({
      policy: oneOfSchema(['first', 'last', 'reject'] as const).optional(),
      arrays: z.array(z.string().min(1)).optional(),
    })
    .optional(),
  strings: z
    .strictObject({
      normalize: z.union([z.literal(false), oneOfSchema(['NFC', 'NFKC'] as const)]).optional(),
      invisible: z.boolean().optional(),
      mixedScript: z.boolean().optional(),
    })
    .optional(),
  richText: z
    .strictObject({
      fields: z.array(z.string().min(1)).min(1),
      allow: z
        .record(
          z.string().regex(/^[a-z][a-z0-9]*$/),
          z.array(z.string().regex(/^[a-z][a-z0-9-]*$/)),
        )
        .optional(),
    })
    .optional(),
  schema: z
    .strictObject({
      body: schemaSchema.optional(),
      query: schemaSchema.optional(),
      params: schemaSchema.optional(),
    })
    .optional(),
  bodyTypes: z
    .array(oneOfSchema(['json', 'form', 'text'] as const))
    .min(1)
    .optional(),
  onEvent: z.custom<SecurityEventHandler>((v) => typeof v === 'function').optional(),
})

/** Options after validation and defaults. */
export interface ResolvedOptions {
  readonly walk: WalkRules
  readonly policy: PollutionPolicy
  readonly arrays: ReadonlySet<string>
  readonly maxParameters: number
  readonly body: boolean
  readonly query: boolean
  readonly params: boolean
  /** Lower-cased header names. */
  readonly headers: readonly string[]
  readonly schema: SchemaOptions
  /** Rich-text fields and the tags they keep, when any are declared. */
  readonly richText:
    | { readonly paths: readonly FieldPath[]; readonly allow: HtmlAllowList }
    | undefined
  /** Accepted body types, or `undefined` for any. */
  readonly bodyTypes: ReadonlySet<'json' | 'form' | 'text'> | undefined
}

/**
 * Validates `sanitize()` options and fills in the defaults.
 * @throws RampartConfigError (code {@link SANITIZER_CONFIG_CODE}) listing every invalid option.
 */
export function resolveOptions(input: unknown): ResolvedOptions {
  const o = parseOptions('@rampart/sanitizer', optionsSchema, input ?? {}, SANITIZER_CONFIG_CODE)
  const limits = o.limits ?? {}
  const mongo = o.mongo ?? true
  const schema: SchemaOptions = o.schema ?? {}
  if (o.bodyTypes !== undefined && schema.body === undefined && o.body === false) {
    throw new RampartConfigError(
      '@rampart/sanitizer',
      [{ path: 'bodyTypes', message: 'has no effect with body: false and no schema.body' }],
      SANITIZER_CONFIG_CODE,
    )
  }
  return {
    walk: {
      maxDepth: limits.maxDepth ?? 32,
      maxKeys: limits.maxKeys ?? 1_000,
      maxTotalKeys: limits.maxTotalKeys ?? 10_000,
      maxArrayLength: limits.maxArrayLength ?? 1_000,
      maxStringLength: limits.maxStringLength ?? 100_000,
      mongo: mongo !== false,
      mongoAllow: new Set(typeof mongo === 'object' ? (mongo.allow ?? []) : []),
      strings: {
        normalize: o.strings?.normalize ?? 'NFC',
        invisible: o.strings?.invisible ?? false,
        mixedScript: o.strings?.mixedScript ?? false,
      },
      strip: o.mode === 'strip',
    },
    policy: o.parameters?.policy ?? 'last',
    arrays: new Set(o.parameters?.arrays ?? []),
    maxParameters: limits.maxParameters ?? 1_000,
    body: o.body ?? true,
    query: o.query ?? true,
    params: o.params ?? true,
    headers: (o.headers ?? []).map((h) => h.toLowerCase()),
    schema,
    richText:
      o.richText === undefined
        ? undefined
        : {
            paths: o.richText.fields.map(fieldPath),
            allow: o.richText.allow ?? DEFAULT_HTML_ALLOW,
          },
    bodyTypes:
      o.bodyTypes !== undefined
        ? new Set(o.bodyTypes)
        : schema.body !== undefined
          ? new Set(['json'] as const)
          : undefined,
  }
}
