/**
 * The Content-Security-Policy compiler: helmet 8's `contentSecurityPolicy` options (same
 * defaults, validation and byte-for-byte output) compiled once into a plan whose `render` is
 * string concatenation, with per-request nonces and HTTPS-only `upgrade-insecure-requests`.
 * @module
 */
export { compileCsp } from './compile.js'
export {
  dangerouslyDisableDefaultSrc,
  HELMET_DEFAULT_DIRECTIVES,
  type HelmetDefaultDirectiveName,
} from './defaults.js'
export type {
  CspDirectiveFunction,
  CspDirectiveValue,
  CspOptions,
  CspSettings,
} from './types.js'
