/**
 * `safeErrors()`: the error reporter behind each adapter's `rampartErrors()`. The log gets the
 * whole error (name, message, stack, cause, fields), redacted, with the request's id; the client
 * gets an RFC 9457 problem with that id and nothing from the error, unless the error says it is
 * meant for clients.
 * @module
 */
import {
  type ErrorReporter,
  type FailedRequest,
  isProblemError,
  type Problem,
  problem,
  problems,
} from '@rampart/core'
import { createRedactor, type Redactor } from './redactor.js'

/** What the log gets for one failed request. */
export interface ErrorLogEntry extends FailedRequest {
  /** The error, redacted (a plain object: name, message, stack, cause and fields). */
  readonly error: unknown
  /** The status the client was answered with. */
  readonly status: number
}

/** Where error lines go: a function, or any logger with an `error` method (pino, winston, console). */
export type ErrorLogger =
  | ((entry: ErrorLogEntry) => void)
  | { error(entry: ErrorLogEntry, message?: string): void }

/** Options of {@link safeErrors}. */
export interface SafeErrorsOptions {
  readonly logger: ErrorLogger
  /** The redactor errors go through. Default: `createRedactor()` (default keys). */
  readonly redactor?: Redactor
  /**
   * Maps an error to the problem the client gets, for errors your app means clients to see;
   * `undefined` falls through to the defaults below.
   */
  readonly problemFor?: (error: unknown) => Problem | undefined
}

/** Standard titles of the 4xx statuses an exposed HTTP error may carry. */
const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
}

/**
 * The status an http-errors style error (Express's `createError`, Koa's `ctx.throw`, Hono's
 * `HTTPException`) carries, when it is a 4xx its creator marked safe to show.
 */
function exposedStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const e = error as { status?: unknown; statusCode?: unknown; expose?: unknown; name?: unknown }
  const status = typeof e.status === 'number' ? e.status : e.statusCode
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined
  // http-errors sets expose for 4xx; Hono's HTTPException has no flag but is always deliberate.
  return e.expose === true || e.name === 'HTTPException' ? status : undefined
}

/**
 * An error reporter for `rampartErrors()` in every adapter.
 * - a `ProblemError` answers its own problem (it was written for the client);
 * - `problemFor(error)` answers when it returns a problem;
 * - an exposed 4xx HTTP error answers its status with its message;
 * - anything else answers 500 `internal-error` with only the request id to quote.
 * A logger that throws loses that line, never the answer.
 * @example app.use(rampartErrors(safeErrors({ logger: pinoLogger })))
 */
export function safeErrors(options: SafeErrorsOptions): ErrorReporter {
  const { logger, problemFor } = options
  if (typeof logger !== 'function' && typeof logger?.error !== 'function') {
    throw new TypeError(
      '@rampart/redactor safeErrors: logger must be a function or have an error() method',
    )
  }
  const redact = options.redactor ?? createRedactor()
  const write =
    typeof logger === 'function'
      ? logger
      : (entry: ErrorLogEntry) => logger.error(entry, `${entry.method} ${entry.path} failed`)
  return {
    report(error, request) {
      let answer: Problem | undefined
      if (isProblemError(error)) answer = error.problem
      if (answer === undefined && problemFor !== undefined) {
        try {
          answer = problemFor(error)
        } catch {
          answer = undefined
        }
      }
      if (answer === undefined) {
        const status = exposedStatus(error)
        if (status !== undefined) {
          const message = redact((error as { message?: unknown }).message)
          answer = problem(status, 'http-error', TITLES[status] ?? 'Client Error', {
            ...(typeof message === 'string' && message !== '' ? { detail: message } : {}),
          })
        }
      }
      answer ??= problems.internal()
      try {
        write({ ...request, status: answer.status, error: redact(error) })
      } catch {
        // The line is lost; the client's answer is not.
      }
      return answer
    },
  }
}
