/**
 * `sanitize()`: the guard. In the request phase it checks the body, the query, the route params
 * and selected headers (limits, pollution and injection rules, strings), replaces each with its
 * cleaned form where the handler reads it, then validates against the given schemas.
 * @module
 */
import {
  defineGuard,
  type Guard,
  type SecurityContext,
  type StateKey,
  stateKey,
} from '@rampart/core'
import {
  type ResolvedOptions,
  resolveOptions,
  type SanitizeOptions,
  type SchemaOptions,
} from './options.js'
import { type PollutedParameters, resolveParameters } from './parameters.js'
import {
  inputRejected,
  unsupportedMediaType,
  type ValidationError,
  validationFailed,
} from './problems.js'
import { sanitizeRichText } from './rich-text.js'
import type { StandardSchemaV1 } from './standard-schema.js'
import { checkString } from './strings.js'
import type { InputLocation } from './violations.js'
import { pathSegment } from './violations.js'
import { walk } from './walk.js'

/** What a schema (or its absence) leaves for the handler. */
type Out<S> = S extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<S> : unknown

/** The validated inputs, typed from the schemas. */
export interface ValidatedInput<S extends SchemaOptions = SchemaOptions> {
  readonly body: Out<S['body']>
  readonly query: Out<S['query']>
  readonly params: Out<S['params']>
}

/** The guard, with the state key its validated inputs are kept under. */
export interface Sanitizer<S extends SchemaOptions = SchemaOptions> extends Guard {
  readonly name: 'sanitize'
  /** Read the validated, typed inputs with the adapter's `getState(…, guard.validated)`. */
  readonly validated: StateKey<ValidatedInput<S>>
}

/** The repeated parameters a policy resolved, as they arrived (by path, e.g. `query.role`). */
export const pollutedParameters = stateKey<PollutedParameters>('pollutedParameters')

type BodyType = 'json' | 'form' | 'text' | 'other'

/** Content types seen, classified (bounded: a client can send any string). */
const bodyTypes = new Map<string, BodyType>()

function bodyTypeOf(contentType: string | null): BodyType | undefined {
  if (contentType === null) return undefined
  let known = bodyTypes.get(contentType)
  if (known === undefined) {
    known = classify(contentType)
    if (bodyTypes.size < 64) bodyTypes.set(contentType, known)
  }
  return known
}

function classify(contentType: string): BodyType {
  const type = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? ''
  if (type === 'application/json' || type.endsWith('+json')) return 'json'
  if (type === 'application/x-www-form-urlencoded') return 'form'
  if (type.startsWith('text/')) return 'text'
  return 'other'
}

/** Whether the request carries a body at all (without reading it). */
function hasBody(ctx: SecurityContext): boolean {
  const length = ctx.headers.get('content-length')
  return (length !== null && length !== '0') || ctx.headers.has('transfer-encoding')
}

function issuePath(location: InputLocation, issue: StandardSchemaV1.Issue): string {
  let path: string = location
  for (const part of issue.path ?? []) {
    const key = typeof part === 'object' && part !== null ? part.key : part
    path += pathSegment(typeof key === 'number' ? key : String(key))
  }
  return path
}

async function validate(
  schema: StandardSchemaV1 | undefined,
  value: unknown,
  location: InputLocation,
  errors: ValidationError[],
): Promise<unknown> {
  if (schema === undefined) return value
  const result = await schema['~standard'].validate(value)
  if (result.issues === undefined) return result.value
  for (const issue of result.issues) {
    const code = (issue as { code?: unknown }).code
    errors.push({
      path: issuePath(location, issue),
      code: typeof code === 'string' ? code : 'invalid',
      message: issue.message,
    })
  }
  return value
}

/**
 * Stops hostile input at the door: structural limits (iterative, so deep or huge inputs are
 * refused fast), prototype-pollution keys, NoSQL operators, parameter pollution, Unicode
 * normalisation before every rule, NUL bytes and control characters; then Standard Schema
 * validation. `'reject'` mode answers a 400 problem naming the rule and the path; `'strip'`
 * cleans instead.
 * @throws RampartConfigError (code `ERR_RAMPART_SANITIZER_CONFIG`) when an option is invalid.
 * @example
 * const guard = sanitize({ schema: { body: z.object({ name: z.string() }) } })
 * app.post('/partners', rampart(guard), (req, res) => res.json(getState(req, guard.validated)?.body))
 */
export function sanitize<const S extends SchemaOptions = SchemaOptions>(
  options: SanitizeOptions<S> = {},
): Sanitizer<S> {
  const o: ResolvedOptions = resolveOptions(options)
  const validated = stateKey<ValidatedInput<S>>('validatedInput')
  const accepted = o.bodyTypes === undefined ? [] : [...o.bodyTypes]
  const { schema } = o
  const parameterRules = { policy: o.policy, arrays: o.arrays, maxParameters: o.maxParameters }

  /** Sanitises one input; answers the value to keep, or `false` after denying. */
  function clean(ctx: SecurityContext, value: unknown, location: InputLocation, form: boolean) {
    let polluted: PollutedParameters | undefined
    let changed = false
    if (form) {
      const resolved = resolveParameters(value, location, parameterRules)
      if (!resolved.ok) {
        ctx.deny(inputRejected(location, resolved.violation))
        return { denied: true as const }
      }
      polluted = resolved.polluted
      changed = resolved.changed
    }
    const result = walk(value, location, o.walk)
    if (!result.ok) {
      ctx.deny(inputRejected(location, result.violation))
      return { denied: true as const }
    }
    if (polluted !== undefined) {
      // The originals get the string rules too (cleaned, never refused): a handler may log them.
      const originals: Record<string, readonly unknown[]> = {}
      for (const [path, values] of Object.entries(polluted)) {
        originals[path] = values.map((v) => {
          if (typeof v !== 'string') return v
          const cleaned = checkString(v.slice(0, o.walk.maxStringLength), o.walk.strings, true)
          return typeof cleaned === 'string' ? cleaned : ''
        })
      }
      ctx.state.set(pollutedParameters, { ...ctx.state.get(pollutedParameters), ...originals })
    }
    return { denied: false as const, value: result.value, changed: changed || result.changed }
  }

  const guard = defineGuard({
    name: 'sanitize' as const,
    async request(ctx: SecurityContext): Promise<void> {
      let body: unknown
      let query: unknown
      let params: unknown
      if (o.body || schema.body !== undefined) {
        const type = bodyTypeOf(ctx.headers.get('content-type'))
        if (
          o.bodyTypes !== undefined &&
          hasBody(ctx) &&
          (type === undefined || !o.bodyTypes.has(type as 'json'))
        ) {
          ctx.deny(unsupportedMediaType(accepted))
          return
        }
        // Only bodies the rules can read: a multipart upload or a binary body is left to its
        // own parser (reading it here would buffer the whole upload for nothing).
        const raw = type === 'other' ? undefined : await ctx.body()
        if (raw !== undefined && o.body) {
          const cleaned = clean(ctx, raw, 'body', type === 'form')
          if (cleaned.denied) return
          body = cleaned.value
          const rich =
            o.richText !== undefined && sanitizeRichText(body, o.richText.paths, o.richText.allow)
          // Handed back when anything changed, even in place: some frameworks (Hono) re-parse
          // the body for the handler from what the adapter caches.
          if (cleaned.changed || rich) ctx.setBody(body)
        } else {
          body = raw
        }
      }
      if (o.query || schema.query !== undefined) {
        query = ctx.query()
        if (o.query) {
          const cleaned = clean(ctx, query, 'query', true)
          if (cleaned.denied) return
          query = cleaned.value
          // Always handed back: Express 5 re-parses req.query on every read otherwise.
          ctx.setQuery(query as Record<string, unknown>)
        }
      }
      if (o.params || schema.params !== undefined) {
        params = ctx.params()
        if (params !== undefined && o.params) {
          const cleaned = clean(ctx, params, 'params', false)
          if (cleaned.denied) return
          params = cleaned.value
          if (cleaned.changed) ctx.setParams(params as Record<string, string>)
        }
      }
      for (const name of o.headers) {
        const value = ctx.headers.get(name)
        if (value === null) continue
        const checked =
          value.length > o.walk.maxStringLength
            ? { code: 'max-string-length' as const }
            : checkString(value, o.walk.strings, false)
        if (typeof checked !== 'string') {
          ctx.deny(inputRejected('headers', { code: checked.code, path: `headers.${name}` }))
          return
        }
      }
      if (schema.body === undefined && schema.query === undefined && schema.params === undefined) {
        ctx.state.set(validated, { body, query, params } as ValidatedInput<S>)
        return
      }
      const errors: ValidationError[] = []
      const [vBody, vQuery, vParams] = await Promise.all([
        validate(schema.body, body, 'body', errors),
        validate(schema.query, query, 'query', errors),
        validate(schema.params, params, 'params', errors),
      ])
      if (errors.length > 0) {
        ctx.deny(validationFailed(errors))
        return
      }
      // The handler reads the validated (coerced, defaulted) values in its usual places too.
      if (schema.body !== undefined) ctx.setBody(vBody)
      if (schema.query !== undefined) ctx.setQuery(vQuery as Record<string, unknown>)
      if (schema.params !== undefined) ctx.setParams(vParams as Record<string, string>)
      ctx.state.set(validated, { body: vBody, query: vQuery, params: vParams } as ValidatedInput<S>)
    },
  })
  return Object.assign(guard, { validated })
}
