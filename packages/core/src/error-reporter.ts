/**
 * What an app's error handler does with an error thrown by a route handler, defined once for
 * every adapter: an {@link ErrorReporter} (e.g. `safeErrors()` from `@rampart/redactor`) logs the
 * error and chooses the problem the client gets; each adapter's `rampartErrors(reporter)` plugs
 * it into its framework's error hook and writes the answer.
 * @module
 */

import { PROBLEM_CONTENT_TYPE, type Problem, problemBody, problems } from './problem.js'
import { generateRequestId } from './request-id.js'

/** Facts about the failed request a reporter may log (never the body). */
export interface FailedRequest {
  /** The request id `rampart()` gave the request, or a fresh one: the correlation id. */
  readonly requestId: string
  readonly method: string
  readonly path: string
  readonly ip: string | undefined
}

/** Logs a handler's error and answers the problem the client gets (no internals in it). */
export interface ErrorReporter {
  report(error: unknown, request: FailedRequest): Problem
}

/** An error answer, ready for an adapter to write. */
export interface ErrorAnswer {
  readonly status: number
  readonly headers: readonly (readonly [string, string])[]
  readonly body: string
}

/**
 * Asks the reporter and renders its problem with the request id. A reporter that throws (or
 * answers something that is not a problem) still gives the client a plain 500 problem.
 */
export function answerError(
  reporter: ErrorReporter,
  error: unknown,
  request: Omit<FailedRequest, 'requestId'> & { readonly requestId: string | undefined },
): ErrorAnswer {
  const requestId = request.requestId ?? generateRequestId()
  let problem: Problem
  try {
    problem = reporter.report(error, { ...request, requestId })
    if (typeof problem?.status !== 'number' || problem.status < 400 || problem.status > 599) {
      problem = problems.internal()
    }
  } catch {
    problem = problems.internal()
  }
  const headers: [string, string][] = [
    ['content-type', PROBLEM_CONTENT_TYPE],
    ['cache-control', 'no-store'],
    ['x-request-id', requestId],
  ]
  for (const [name, value] of Object.entries(problem.headers ?? {})) headers.push([name, value])
  return { status: problem.status, headers, body: problemBody(problem, requestId) }
}
