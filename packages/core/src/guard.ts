/**
 * The unit every feature package exports.
 * @module
 */
import type { SecurityContext } from './context.js'

/** What the response phase observes. */
export interface ResponseInfo {
  /** The final status sent to the client (including a 500 from a thrown handler error). */
  readonly status: number
  /** True when the client went away before the response finished. */
  readonly aborted: boolean
}

/**
 * A security guard. The request phase may deny (with an RFC 9457 problem), stage response
 * headers or attach typed state; the response phase observes the final status and cannot
 * change the response.
 */
export interface Guard {
  /** Stable name, used in events and error reports (e.g. `'rate-limit'`). */
  readonly name: string
  /** Runs before the handler. Deny with `ctx.deny(problem)` or by throwing a `ProblemError`. */
  request?(ctx: SecurityContext): void | Promise<void>
  /** Runs after the response is sent; errors here are reported as events and never reach the client. */
  response?(ctx: SecurityContext, res: ResponseInfo): void | Promise<void>
}

/** True for a value that has the shape of a {@link Guard}. */
export function isGuard(value: unknown): value is Guard {
  if (typeof value !== 'object' || value === null) return false
  const g = value as Partial<Guard>
  return (
    typeof g.name === 'string' &&
    (typeof g.request === 'function' || typeof g.response === 'function')
  )
}

/**
 * Identity helper that gives a guard literal its type and names its phases for stack traces.
 * @example export const noop = defineGuard({ name: 'noop', request() {} })
 */
export function defineGuard<G extends Guard>(guard: G): G {
  return guard
}

/**
 * Whether a value is a promise or any other thenable: how the engine (and guards with optional
 * async hooks) tell a synchronous answer from one to await without awaiting both.
 */
export function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}
