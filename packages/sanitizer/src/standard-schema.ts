/**
 * The Standard Schema interface (https://standardschema.dev, v1), which zod (3.24+ and 4),
 * valibot, arktype and others implement. Declared here, as the specification asks of libraries
 * that accept schemas, so no validator is a dependency.
 * @module
 */

/** A schema any Standard Schema validator produces. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1
    readonly vendor: string
    readonly validate: (
      value: unknown,
    ) => StandardSchemaV1.Result<Output> | Promise<StandardSchemaV1.Result<Output>>
    readonly types?: { readonly input: Input; readonly output: Output } | undefined
  }
}

export declare namespace StandardSchemaV1 {
  /** A validation's result. */
  type Result<Output> = SuccessResult<Output> | FailureResult
  interface SuccessResult<Output> {
    readonly value: Output
    readonly issues?: undefined
  }
  interface FailureResult {
    readonly issues: readonly Issue[]
  }
  /** One problem with the input. Validators may add fields (zod adds `code`). */
  interface Issue {
    readonly message: string
    readonly path?: readonly (PropertyKey | PathSegment)[] | undefined
  }
  interface PathSegment {
    readonly key: PropertyKey
  }
  /** What a schema produces. */
  type InferOutput<S extends StandardSchemaV1> = NonNullable<S['~standard']['types']>['output']
}

/** Whether `value` is a Standard Schema (checked once, at construction). */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  const standard = (value as { '~standard'?: { version?: unknown; validate?: unknown } } | null)?.[
    '~standard'
  ]
  return (
    typeof standard === 'object' &&
    standard !== null &&
    standard.version === 1 &&
    typeof standard.validate === 'function'
  )
}
