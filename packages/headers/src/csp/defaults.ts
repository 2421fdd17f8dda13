/**
 * helmet's default policy and its escape hatch for `default-src`, so helmet configurations
 * carry over unchanged.
 * @module
 */

/**
 * Set `directives.defaultSrc` (or `'default-src'`) to this to send a policy without
 * `default-src`, as with helmet's `contentSecurityPolicy.dangerouslyDisableDefaultSrc`.
 * Without `default-src`, every fetch directive you did not set allows everything.
 *
 * helmet's own symbol is accepted too (it is recognised by its description), so a config
 * written for helmet keeps working after switching the import.
 */
export const dangerouslyDisableDefaultSrc: unique symbol = Symbol('dangerouslyDisableDefaultSrc')

/** True for {@link dangerouslyDisableDefaultSrc} or helmet's symbol of the same name. */
export function isDisableDefaultSrc(value: unknown): value is symbol {
  return (
    value === dangerouslyDisableDefaultSrc ||
    (typeof value === 'symbol' && value.description === 'dangerouslyDisableDefaultSrc')
  )
}

/** The directive names of helmet's default policy. */
export type HelmetDefaultDirectiveName =
  | 'default-src'
  | 'base-uri'
  | 'font-src'
  | 'form-action'
  | 'frame-ancestors'
  | 'img-src'
  | 'object-src'
  | 'script-src'
  | 'script-src-attr'
  | 'style-src'
  | 'upgrade-insecure-requests'

/**
 * helmet 8's default directives, in helmet's order (the order they are sent in). Frozen:
 * spread it to build on it, e.g.
 * `directives: { ...HELMET_DEFAULT_DIRECTIVES, 'script-src': ["'self'", 'https://cdn.example'] }`
 * (with `useDefaults: false`, or simply set `scriptSrc` and keep `useDefaults`).
 */
export const HELMET_DEFAULT_DIRECTIVES: Readonly<
  Record<HelmetDefaultDirectiveName, readonly string[]>
> = Object.freeze({
  'default-src': Object.freeze(["'self'"]),
  'base-uri': Object.freeze(["'self'"]),
  'font-src': Object.freeze(["'self'", 'https:', 'data:']),
  'form-action': Object.freeze(["'self'"]),
  'frame-ancestors': Object.freeze(["'self'"]),
  'img-src': Object.freeze(["'self'", 'data:']),
  'object-src': Object.freeze(["'none'"]),
  'script-src': Object.freeze(["'self'"]),
  'script-src-attr': Object.freeze(["'none'"]),
  'style-src': Object.freeze(["'self'", 'https:', "'unsafe-inline'"]),
  'upgrade-insecure-requests': Object.freeze([]),
})
