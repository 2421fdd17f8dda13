/**
 * The answers `policy.require()` gives. A refusal says no more than the client needs: not which
 * rule refused nor whether the record exists when `hide` is on.
 * @module
 */
import { type Problem, problem } from '@rampart/core'

/** 401: no principal (the app's authentication found nobody). */
export const unauthenticated: Problem = Object.freeze(
  problem(401, 'unauthenticated', 'Unauthorized', {
    detail: 'This request needs an authenticated principal.',
  }),
)

/** 403: the principal may not do this. */
export const forbidden: Problem = Object.freeze(
  problem(403, 'forbidden', 'Forbidden', {
    detail: 'You are not allowed to perform this action.',
  }),
)

/** 404: no such record (or, with `hide`, one the principal may not know of). */
export const notFound: Problem = Object.freeze(
  problem(404, 'not-found', 'Not Found', { detail: 'The requested resource does not exist.' }),
)

/** 403: the body writes fields the principal may not write; `forbidden` lists their paths. */
export function forbiddenFields(paths: readonly string[]): Problem {
  return problem(403, 'forbidden-fields', 'Forbidden', {
    detail: 'The request writes fields you are not allowed to write.',
    extensions: { forbidden: [...paths] },
  })
}
