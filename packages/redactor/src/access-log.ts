/**
 * `accessLog()`: a guard that writes one line per request in the response phase — method, path,
 * status, duration, client IP, request id, and chosen headers and the query, all through the
 * redactor — to a logger the app passes in.
 * @module
 */
import {
  defineGuard,
  type Guard,
  type ResponseInfo,
  type SecurityContext,
  stateKey,
} from '@rampart/core'
import { createRedactor, type Redactor } from './redactor.js'

/** One access-log line, before the logger formats it. */
export interface AccessLogEntry {
  readonly requestId: string
  readonly method: string
  readonly path: string
  readonly status: number
  /** From the request phase to the end of the response, in ms. */
  readonly durationMs: number
  /** True when the client went away before the response finished. */
  readonly aborted: boolean
  readonly ip: string | undefined
  /** The chosen request headers (lower-case names), redacted. */
  readonly headers: Readonly<Record<string, unknown>>
  /** The parsed query, redacted. */
  readonly query: unknown
}

/** Where lines go: a function, or any logger with an `info` method (pino, winston, console). */
export type AccessLogger =
  | ((entry: AccessLogEntry) => void)
  | { info(entry: AccessLogEntry, message?: string): void }

/** Options of {@link accessLog}. */
export interface AccessLogOptions {
  readonly logger: AccessLogger
  /** The redactor the headers and the query go through. Default: `createRedactor()` (default keys). */
  readonly redactor?: Redactor
  /**
   * Request headers logged (their values redacted: the default key list censors `authorization`
   * and `cookie`). Default: `user-agent`, `referer`, `content-type`, `content-length`,
   * `authorization`, `cookie`, `x-forwarded-for`.
   */
  readonly headers?: readonly string[]
  /** Requests not logged (e.g. health checks). */
  readonly skip?: (ctx: SecurityContext) => boolean
}

/** The default headers logged. */
export const DEFAULT_LOGGED_HEADERS: readonly string[] = [
  'user-agent',
  'referer',
  'content-type',
  'content-length',
  'authorization',
  'cookie',
  'x-forwarded-for',
]

const startedAt = stateKey<number>('accessLogStart')

/**
 * An access-log guard. Mount it first in `rampart(...)` so its clock starts before the others;
 * a logger that throws never affects the response (the line is lost, reported as `guard.failed`).
 * @example rampart(accessLog({ logger: pinoLogger }), securityHeaders())
 */
export function accessLog(options: AccessLogOptions): Guard {
  if (typeof options?.logger !== 'function' && typeof options?.logger?.info !== 'function') {
    throw new TypeError(
      '@rampart/redactor accessLog: logger must be a function or have an info() method',
    )
  }
  const redact = options.redactor ?? createRedactor()
  const names = (options.headers ?? DEFAULT_LOGGED_HEADERS).map((h) => h.toLowerCase())
  const { logger, skip } = options
  const write =
    typeof logger === 'function'
      ? logger
      : (entry: AccessLogEntry) =>
          logger.info(entry, `${entry.method} ${entry.path} ${entry.status}`)
  return defineGuard({
    name: 'access-log',
    request(ctx) {
      if (skip?.(ctx) === true) return
      ctx.state.set(startedAt, ctx.now())
    },
    response(ctx: SecurityContext, res: ResponseInfo) {
      const started = ctx.state.get(startedAt)
      if (started === undefined) return
      const headers: Record<string, unknown> = {}
      for (const name of names) {
        const value = ctx.headers.get(name)
        if (value !== null) headers[name] = value
      }
      write({
        requestId: ctx.id,
        method: ctx.method,
        path: redactPath(redact, ctx.path),
        status: res.status,
        durationMs: Math.max(0, ctx.now() - started),
        aborted: res.aborted,
        ip: ctx.ip,
        headers: redact(headers) as Record<string, unknown>,
        query: redact(ctx.query()),
      })
    },
  })
}

/** The path as text, through the redactor's detectors (a token in a path segment). */
function redactPath(redact: Redactor, path: string): string {
  const out = redact(path)
  return typeof out === 'string' ? out : path
}
