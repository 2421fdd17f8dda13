/**
 * The public shapes of the `contentSecurityPolicy` option: helmet 8's, with Rampart's
 * per-request functions and two extensions (`nonce`, `upgradeInsecureRequests`).
 * @module
 */
import type { SecurityContext } from '@rampart/core'
import type { dangerouslyDisableDefaultSrc } from './defaults.js'

/**
 * A source computed per request. Unlike helmet's `(req, res) => string`, it receives the
 * framework-neutral {@link SecurityContext}. The result is checked on every request: a value
 * that could break the header (`;`, `,`, CR, LF, other control or non-ASCII characters) or
 * an unquoted keyword makes the guard fail the request with a 500 rather than send it.
 * For nonces, prefer the `nonce` option to a function. Keep it pure: with `nonce` on, a
 * function in `default-src` is copied into the `script-src`/`style-src` it creates, so it may
 * be called more than once per request.
 */
export type CspDirectiveFunction = (ctx: SecurityContext) => string

/**
 * One directive's value: a list (any iterable) of sources and functions, a single string,
 * `null` to remove a default directive, or {@link dangerouslyDisableDefaultSrc} for
 * `default-src` only.
 */
export type CspDirectiveValue =
  | Iterable<string | CspDirectiveFunction>
  | string
  | null
  | typeof dangerouslyDisableDefaultSrc

/** The object form of the `contentSecurityPolicy` option. */
export interface CspOptions {
  /** Start from helmet's default directives (see `HELMET_DEFAULT_DIRECTIVES`). Default `true`. */
  readonly useDefaults?: boolean
  /** Directives by name, camelCase (`scriptSrc`) or kebab-case (`script-src`), not both. */
  readonly directives?: Readonly<Record<string, CspDirectiveValue>>
  /** Send `Content-Security-Policy-Report-Only` instead of `Content-Security-Policy`. */
  readonly reportOnly?: boolean
  /**
   * Rampart extension: splice a fresh `'nonce-…'` into `script-src` and `style-src` (and
   * their `-elem` variants when set) on every request, creating `script-src`/`style-src`
   * from `default-src`'s sources when absent. Overrides the guard-wide setting.
   */
  readonly nonce?: boolean
  /**
   * Rampart extension: `'https-only'` sends the `upgrade-insecure-requests` directive only on
   * HTTPS requests (so a plain-HTTP dev server keeps loading its own assets); `'always'` is
   * helmet's behaviour. Overrides the guard-wide setting. The directive itself is still set
   * or removed under `directives`.
   */
  readonly upgradeInsecureRequests?: 'always' | 'https-only'
}

/** Guard-wide CSP settings; an options object's `nonce`/`upgradeInsecureRequests` win. */
export interface CspSettings {
  /**
   * Splice a per-request `'nonce-…'` into `script-src` and `style-src` (creating them from
   * `default-src`'s sources when absent, so nothing that was allowed becomes blocked).
   */
  readonly nonce: boolean
  /**
   * `'https-only'`: emit `upgrade-insecure-requests` only when `request.https` (helmet's
   * most-reported pain on plain-HTTP dev servers); `'always'`: helmet's behaviour.
   */
  readonly upgradeInsecureRequests: 'always' | 'https-only'
}
