/**
 * The options of `securityHeaders()`: helmet 8's, under the same names and aliases, plus
 * Rampart's own.
 * @module
 */
import type { CspOptions } from './csp/types.js'
import type {
  ClearSiteDataOptions,
  CrossOriginEmbedderPolicyOptions,
  CrossOriginOpenerPolicyOptions,
  CrossOriginResourcePolicyOptions,
  PermissionsPolicyOptions,
  ReferrerPolicyOptions,
  ReportingEndpointsOptions,
  StrictTransportSecurityOptions,
  XDnsPrefetchControlOptions,
  XFrameOptionsOptions,
  XPermittedCrossDomainPoliciesOptions,
} from './headers/index.js'
import type { PresetName } from './presets.js'

/** helmet 8's options, same names and value shapes (`false` turns a header off). */
export interface HelmetCompatibleOptions {
  readonly contentSecurityPolicy?: CspOptions | boolean
  readonly crossOriginEmbedderPolicy?: CrossOriginEmbedderPolicyOptions | boolean
  readonly crossOriginOpenerPolicy?: CrossOriginOpenerPolicyOptions | boolean
  readonly crossOriginResourcePolicy?: CrossOriginResourcePolicyOptions | boolean
  readonly originAgentCluster?: boolean
  readonly referrerPolicy?: ReferrerPolicyOptions | boolean
  readonly strictTransportSecurity?: StrictTransportSecurityOptions | boolean
  readonly xContentTypeOptions?: boolean
  readonly xDnsPrefetchControl?: XDnsPrefetchControlOptions | boolean
  readonly xDownloadOptions?: boolean
  readonly xFrameOptions?: XFrameOptionsOptions | boolean
  readonly xPermittedCrossDomainPolicies?: XPermittedCrossDomainPoliciesOptions | boolean
  readonly xPoweredBy?: boolean
  readonly xXssProtection?: boolean
  /** @deprecated helmet's legacy name for `strictTransportSecurity`. */
  readonly hsts?: StrictTransportSecurityOptions | boolean
  /** @deprecated helmet's legacy name for `xContentTypeOptions`. */
  readonly noSniff?: boolean
  /** @deprecated helmet's legacy name for `xDnsPrefetchControl`. */
  readonly dnsPrefetchControl?: XDnsPrefetchControlOptions | boolean
  /** @deprecated helmet's legacy name for `xDownloadOptions`. */
  readonly ieNoOpen?: boolean
  /** @deprecated helmet's legacy name for `xFrameOptions`. */
  readonly frameguard?: XFrameOptionsOptions | boolean
  /** @deprecated helmet's legacy name for `xPermittedCrossDomainPolicies`. */
  readonly permittedCrossDomainPolicies?: XPermittedCrossDomainPoliciesOptions | boolean
  /** @deprecated helmet's legacy name for `xPoweredBy`. */
  readonly hidePoweredBy?: boolean
  /** @deprecated helmet's legacy name for `xXssProtection`. */
  readonly xssFilter?: boolean
}

/** Everything `securityHeaders()` accepts. */
export interface SecurityHeadersOptions extends HelmetCompatibleOptions {
  /** Start from a preset, then apply the other options on top. Default `'helmet'`. */
  readonly preset?: PresetName
  /**
   * A fresh CSP nonce per request in `script-src` and `style-src`, exposed to the handler as
   * the `cspNonce` state. Default `false`.
   */
  readonly nonce?: boolean
  /**
   * `'https-only'` sends CSP's `upgrade-insecure-requests` only on HTTPS requests (so a
   * plain-HTTP dev server still loads its own assets). Default `'always'` (helmet).
   */
  readonly upgradeInsecureRequests?: 'always' | 'https-only'
  /** A second, report-only policy sent beside the enforced one (e.g. to trial a stricter one). */
  readonly contentSecurityPolicyReportOnly?: CspOptions | false
  /** `Permissions-Policy`: `true` for the OWASP value, or `{ features }`. Default off. */
  readonly permissionsPolicy?: PermissionsPolicyOptions | boolean
  /** `Reporting-Endpoints` groups for CSP `report-to`. Default none. */
  readonly reportingEndpoints?: ReportingEndpointsOptions | false
  /** `Cache-Control` value, e.g. `'no-store'`. Default none (the `api` and `strict` presets set it). */
  readonly cacheControl?: string | false
  /**
   * Disclosure headers to strip: `true` for the OWASP removal list (`Server`, `X-AspNet-Version`,
   * …), or a list of names. `X-Powered-By` is governed by `xPoweredBy`. Default `false`.
   */
  readonly removeHeaders?: boolean | readonly string[]
}

/** Options for `clearSiteData()`. */
export type { ClearSiteDataOptions }
