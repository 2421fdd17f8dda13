/**
 * The answers the guard gives. Each names the rule and where it broke, never the offending value.
 * @module
 */
import { type JsonValue, type Problem, problem } from '@rampart/core'
import type { InputLocation, Violation } from './violations.js'

/** 400: an input broke a rule (a limit, a forbidden key, a NUL byte …). */
export function inputRejected(location: InputLocation, violation: Violation): Problem {
  return problem(400, 'input-rejected', 'Bad Request', {
    detail: `The request's ${location} breaks the rule '${violation.code}' at ${violation.path}.`,
    extensions: { code: violation.code, path: violation.path },
  })
}

/** One schema issue as the client sees it: where, and what kind (never the value). */
export interface ValidationError {
  /** `body.email`, `query.page`, `params.id`. */
  readonly path: string
  /** The validator's issue code when it gives one (zod does), else `invalid`. */
  readonly code: string
  /** The validator's message. */
  readonly message: string
}

/** 400: the input does not match its schema. */
export function validationFailed(errors: readonly ValidationError[]): Problem {
  return problem(400, 'validation-failed', 'Bad Request', {
    detail: `The request does not match its schema (${errors.length} ${errors.length === 1 ? 'error' : 'errors'}).`,
    extensions: { errors: errors as unknown as JsonValue },
  })
}

/** 415: the body's type is not one the route accepts. */
export function unsupportedMediaType(accepted: readonly string[]): Problem {
  return problem(415, 'unsupported-media-type', 'Unsupported Media Type', {
    detail: `This route accepts ${accepted.join(' or ')} bodies.`,
    extensions: { accepted: accepted as unknown as JsonValue },
  })
}
