/**
 * What every header module compiles its option into, at construction. The guard only applies
 * these precomputed values per request.
 * @module
 */
import type { ConfigIssue, SecurityContext } from '@rampart/core'

/** A header with its final value, computed once. */
export interface PlannedHeader {
  /** Canonical spelling, e.g. `Strict-Transport-Security`. */
  readonly name: string
  /** The exact value sent. Validated: visible ASCII and spaces only (no CR, LF, NUL). */
  readonly value: string
}

/** Where a module reports problems in its option; the factory throws them all together. */
export type IssueSink = ConfigIssue[]

/**
 * Compiles one option (the user's value, `undefined` when not given) into headers. Returns `[]`
 * when the option disables the header (`false`). Reports every problem to `issues` (with `path`
 * prefixed, e.g. `strictTransportSecurity.maxAge`) instead of throwing.
 */
export type HeaderCompiler = (
  value: unknown,
  path: string,
  issues: IssueSink,
) => readonly PlannedHeader[]

/** What a CSP policy needs from the request it is rendered for. */
export interface CspRequest {
  /** The per-request nonce (base64), when nonces are on. */
  readonly nonce: string | undefined
  /** Whether the request arrived over HTTPS (`ctx.url.protocol`, trust proxy applied). */
  readonly https: boolean
  /** The request, for function directive values. */
  readonly ctx: SecurityContext
}

/** One compiled CSP header (enforced or report-only). */
export interface CspPlan {
  /** `Content-Security-Policy` or `Content-Security-Policy-Report-Only`. */
  readonly name: string
  /** True when `'nonce-…'` sources are spliced in per request. */
  readonly usesNonce: boolean
  /** True when some directive value is a function evaluated per request. */
  readonly dynamic: boolean
  /** The header value for one request. Pure string concatenation unless `dynamic`. */
  render(request: CspRequest): string
}

/** True when a value is safe to send as a header value: visible ASCII and space, nothing else. */
export function isSafeHeaderValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c < 0x20 || c > 0x7e) return false
  }
  return true
}
