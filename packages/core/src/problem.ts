/**
 * RFC 9457 problem details: the one shape every Rampart denial takes.
 * @module
 */

/** JSON-serialisable value allowed in a problem's extension members. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue }

/**
 * A problem a guard answers with (RFC 9457). `headers` are sent with the response
 * (`Retry-After`, `RateLimit`, ...) and are not part of the JSON body.
 */
export interface Problem {
  /** Stable URI naming the kind of problem, e.g. `urn:rampart:problem:ip-denied`. */
  readonly type: string
  /** Short, human-readable summary of the kind of problem; the same for every occurrence. */
  readonly title: string
  /** HTTP status code (400..599). */
  readonly status: number
  /** Explanation specific to this occurrence. Never a secret, a stack or which credential half was wrong. */
  readonly detail?: string
  /** URI reference identifying this occurrence. */
  readonly instance?: string
  /** Extra members merged into the JSON body (e.g. `{ limit: 100 }`). */
  readonly extensions?: Readonly<Record<string, JsonValue>>
  /** Response headers that belong to this problem (e.g. `Retry-After`). */
  readonly headers?: Readonly<Record<string, string>>
}

/** Media type of an RFC 9457 JSON problem. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

/** Prefix of every problem `type` Rampart defines. Slugs after it are stable across versions. */
export const PROBLEM_TYPE_PREFIX = 'urn:rampart:problem:'

/** Builds the stable `type` URI for a slug, e.g. `problemType('ip-denied')`. */
export function problemType(slug: string): string {
  return PROBLEM_TYPE_PREFIX + slug
}

/** Optional parts of a problem, for {@link problem}. */
export interface ProblemInit {
  readonly detail?: string
  readonly instance?: string
  readonly extensions?: Readonly<Record<string, JsonValue>>
  readonly headers?: Readonly<Record<string, string>>
}

/**
 * Creates a problem with a stable Rampart type.
 * @example problem(429, 'rate-limited', 'Too Many Requests', { headers: { 'Retry-After': '30' } })
 */
export function problem(status: number, slug: string, title: string, init?: ProblemInit): Problem {
  return { type: problemType(slug), title, status, ...init }
}

/** Ready-made problems that core and the adapters use. */
export const problems = {
  /** A guard or the adapter failed unexpectedly; nothing about the failure is disclosed. */
  internal: (): Problem =>
    problem(500, 'internal-error', 'Internal Server Error', {
      detail: 'The request could not be processed.',
    }),
  /** The body could not be parsed as its declared media type. */
  malformedBody: (detail: string): Problem =>
    problem(400, 'malformed-body', 'Malformed Request Body', { detail }),
  /** The body is larger than the configured limit. */
  bodyTooLarge: (limit: number): Problem =>
    problem(413, 'body-too-large', 'Content Too Large', {
      detail: `The request body exceeds ${limit} bytes.`,
      extensions: { limit },
    }),
  /** The client address is not allowed. */
  ipDenied: (): Problem =>
    problem(403, 'ip-denied', 'Forbidden', {
      detail: 'Requests from this address are not allowed.',
    }),
} as const

/**
 * An error carrying a problem. Throw it from a guard (or from `ctx.body()`) to deny with that
 * problem instead of a 500.
 */
export class ProblemError extends Error {
  /** The problem the request is denied with. */
  readonly problem: Problem
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title)
    this.name = 'ProblemError'
    this.problem = problem
  }
}

/** Serialises a problem's JSON body: RFC members first, then extensions, then `requestId`. */
export function problemBody(p: Problem, requestId?: string): string {
  const body: Record<string, unknown> = { type: p.type, title: p.title, status: p.status }
  if (p.detail !== undefined) body.detail = p.detail
  if (p.instance !== undefined) body.instance = p.instance
  if (p.extensions) {
    for (const key of Object.keys(p.extensions)) {
      if (!(key in body)) body[key] = p.extensions[key]
    }
  }
  if (requestId !== undefined) body.requestId = requestId
  return JSON.stringify(body)
}
