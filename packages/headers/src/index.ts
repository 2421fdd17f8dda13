/**
 * `@rampart/headers`: security response headers for Express, Koa and Hono — a helmet 8
 * drop-in with presets, per-request CSP nonces, Permissions-Policy and Reporting-Endpoints.
 * @packageDocumentation
 */
export { clearSiteData } from './clear-site-data.js'
export { HEADERS_CONFIG_CODE } from './compile.js'
export { dangerouslyDisableDefaultSrc, HELMET_DEFAULT_DIRECTIVES } from './csp/defaults.js'
export type { CspDirectiveFunction, CspDirectiveValue, CspOptions } from './csp/types.js'
export {
  type AllowlistItem,
  type ClearSiteDataOptions,
  OWASP_PERMISSIONS_POLICY,
  OWASP_REMOVE_HEADERS,
  PERMISSIONS_FEATURES,
  type PermissionsFeature,
  type PermissionsPolicyOptions,
} from './headers/index.js'
export type { HelmetCompatibleOptions, SecurityHeadersOptions } from './options.js'
export { PRESETS, type PresetName } from './presets.js'
export { type SecurityHeadersGuard, securityHeaders } from './security-headers.js'
export { cspNonce } from './state.js'
