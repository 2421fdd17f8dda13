/**
 * What every adapter's `rampart(...)` shares: splitting `(options?, ...guards)`, validating the
 * common options, and the per-request state registry behind `getState`.
 * @module
 */

import { DEFAULT_BODY_LIMIT, parseByteSize } from '../body.js'
import { parseOptions, RampartConfigError, z } from '../config.js'
import { Engine, type EngineOptions } from '../engine.js'
import { type Guard, isGuard } from '../guard.js'

/** Options common to every adapter. */
export interface AdapterOptions<N> extends EngineOptions<N> {
  /**
   * Largest body the adapter reads itself when a guard asks for it and no parser ran
   * (bytes, or `'100kb'`, `'1mb'`). Default `'1mb'`.
   */
  readonly bodyLimit?: number | string
}

const fn = (what: string) => z.custom<never>((v) => typeof v === 'function', `expected ${what}`)

/** zod shape of {@link AdapterOptions}; adapters extend it with their own keys. */
export const adapterOptionsShape = {
  onEvent: fn('a function (event) => void').optional(),
  principal: fn('a function (request) => principal | undefined').optional(),
  requestIdHeader: z
    .union([z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'expected a header name'), z.literal(false)])
    .optional(),
  generateRequestId: fn('a function () => string').optional(),
  clock: fn('a function () => milliseconds').optional(),
  disableWarnings: z.union([z.boolean(), z.array(z.string())]).optional(),
  redactEvent: fn('a function (event) => event').optional(),
  bodyLimit: z
    .union([z.number(), z.string()])
    .refine(
      (v) => parseByteSize(v) !== undefined,
      "expected bytes or a size such as '100kb' or '1mb'",
    )
    .optional(),
}

/** Splits `rampart(options?, ...guards)` arguments, validating that every guard is a guard. */
export function splitAdapterArgs<O extends object>(
  scope: string,
  args: readonly unknown[],
): { options: O | undefined; guards: Guard[] } {
  const [first, ...rest] = args
  const hasOptions =
    first !== undefined && !isGuard(first) && typeof first === 'object' && first !== null
  const guards = hasOptions ? rest : args
  const issues = guards.flatMap((g, i) =>
    isGuard(g)
      ? []
      : [
          {
            path: `guards[${i}]`,
            message:
              'expected a guard (an object with a name and a request or response phase). ' +
              'Did you pass the factory instead of calling it, e.g. ipFilter instead of ipFilter({...})?',
          },
        ],
  )
  if (issues.length > 0) throw new RampartConfigError(scope, issues, 'ERR_RAMPART_ADAPTER_CONFIG')
  return { options: hasOptions ? (first as O) : undefined, guards: guards as Guard[] }
}

/** Validates adapter options against the common shape plus the adapter's own keys. */
export function parseAdapterOptions<O extends object>(
  scope: string,
  options: O | undefined,
  extraShape: z.ZodRawShape = {},
): O & { bodyLimitBytes: number } {
  const schema = z.strictObject({ ...adapterOptionsShape, ...extraShape })
  parseOptions(scope, schema, options ?? {}, 'ERR_RAMPART_ADAPTER_CONFIG')
  const limit = (options as AdapterOptions<unknown> | undefined)?.bodyLimit
  return {
    ...(options as O),
    bodyLimitBytes: limit === undefined ? DEFAULT_BODY_LIMIT : (parseByteSize(limit) as number),
  }
}

/**
 * Everything an adapter's `rampart(...args)` does before returning its middleware: split the
 * arguments, validate the options (common shape plus the adapter's own keys), build the engine.
 */
export function createAdapterEngine<N, O extends AdapterOptions<N>>(
  scope: string,
  args: readonly unknown[],
  extraShape: z.ZodRawShape = {},
): { engine: Engine<N>; options: O & { bodyLimitBytes: number } } {
  const split = splitAdapterArgs<O>(scope, args)
  const options = parseAdapterOptions(scope, split.options, extraShape)
  return { engine: new Engine<N>(split.guards, options), options }
}
