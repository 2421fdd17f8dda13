/**
 * Presets: complete option sets a user starts from and overrides option by option.
 * @module
 */

/** Preset names. */
export type PresetName = 'helmet' | 'strict' | 'api'

/**
 * The OWASP Secure Headers Project's recommended response headers (its `headers_add.json`
 * "best practices" set), minus `Clear-Site-Data`, which belongs on logout routes only
 * (use `clearSiteData()` there).
 */
const strict = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      formAction: ["'self'"],
      baseUri: ["'self'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      upgradeInsecureRequests: [],
    },
  },
  crossOriginEmbedderPolicy: { policy: 'require-corp' },
  crossOriginOpenerPolicy: { policy: 'same-origin' },
  crossOriginResourcePolicy: { policy: 'same-origin' },
  originAgentCluster: false,
  referrerPolicy: { policy: 'no-referrer' },
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
  xContentTypeOptions: true,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xFrameOptions: { action: 'deny' },
  xPermittedCrossDomainPolicies: { permittedPolicies: 'none' },
  xXssProtection: false,
  cacheControl: 'no-store, max-age=0',
  // true: the OWASP proposed value (see OWASP_PERMISSIONS_POLICY).
  permissionsPolicy: true,
  removeHeaders: true,
} as const

/**
 * For JSON APIs: nothing to render, so the CSP forbids everything and framing; responses are
 * not cached. The other headers are helmet's defaults.
 */
const api = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
  xFrameOptions: { action: 'deny' },
  cacheControl: 'no-store',
} as const

/** Options each preset stands for; user options are applied on top, option by option. */
export const PRESETS: Readonly<Record<PresetName, Readonly<Record<string, unknown>>>> =
  Object.freeze({
    helmet: Object.freeze({}),
    strict,
    api,
  })
