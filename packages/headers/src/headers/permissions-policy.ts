/**
 * `Permissions-Policy`: which powerful browser features (camera, geolocation, payment, ...)
 * this page and the frames it embeds may use. Written as a structured-fields dictionary:
 * `camera=(), geolocation=(self "https://maps.example"), fullscreen=*`.
 * @module
 */
import type { HeaderCompiler, IssueSink, PlannedHeader } from '../header-plan.js'
import { describeValue, didYouMean, isPlainObject, readOptions, withHint } from './option-checks.js'

/**
 * Every policy-controlled feature Rampart knows, from the W3C list
 * (github.com/w3c/webappsec-permissions-policy `features.md`, June 2026): standardized,
 * proposed and experimental features, plus `interest-cohort` (FLoC opt-out, still widely
 * sent) and `publickey-credentials-create` (WebAuthn Level 3). Retired and abandoned names are
 * left out so a stale one is reported rather than silently ignored by browsers.
 */
export const PERMISSIONS_FEATURES = [
  'accelerometer',
  'all-screens-capture',
  'ambient-light-sensor',
  'attribution-reporting',
  'autofill',
  'autoplay',
  'battery',
  'bluetooth',
  'browsing-topics',
  'camera',
  'captured-surface-control',
  'ch-ua',
  'ch-ua-arch',
  'ch-ua-bitness',
  'ch-ua-form-factors',
  'ch-ua-full-version',
  'ch-ua-full-version-list',
  'ch-ua-high-entropy-values',
  'ch-ua-mobile',
  'ch-ua-model',
  'ch-ua-platform',
  'ch-ua-platform-version',
  'ch-ua-wow64',
  'clipboard-read',
  'clipboard-write',
  'compute-pressure',
  'cross-origin-isolated',
  'deferred-fetch',
  'digital-credentials-create',
  'digital-credentials-get',
  'direct-sockets',
  'display-capture',
  'encrypted-media',
  'execution-while-not-rendered',
  'execution-while-out-of-viewport',
  'focus-without-user-activation',
  'fullscreen',
  'gamepad',
  'geolocation',
  'gyroscope',
  'hid',
  'identity-credentials-get',
  'idle-detection',
  'interest-cohort',
  'join-ad-interest-group',
  'keyboard-map',
  'language-detector',
  'language-model',
  'local-fonts',
  'magnetometer',
  'manual-text',
  'mediasession',
  'microphone',
  'midi',
  'monetization',
  'navigation-override',
  'otp-credentials',
  'payment',
  'picture-in-picture',
  'publickey-credentials-create',
  'publickey-credentials-get',
  'rewriter',
  'run-ad-auction',
  'screen-wake-lock',
  'serial',
  'smart-card',
  'speaker-selection',
  'storage-access',
  'summarizer',
  'sync-script',
  'sync-xhr',
  'tools',
  'translator',
  'unload',
  'usb',
  'vertical-scroll',
  'web-share',
  'window-management',
  'writer',
  'xr-spatial-tracking',
] as const

/** A policy-controlled feature name, as sent in the header. */
export type PermissionsFeature = (typeof PERMISSIONS_FEATURES)[number]

/** `'sync-xhr'` → `'syncXhr'`, at the type level. */
type KebabToCamel<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<KebabToCamel<Tail>>}`
  : S

/** A feature name in camelCase, as accepted in options (`syncXhr`, `chUaFullVersionList`). */
export type PermissionsFeatureCamel = KebabToCamel<PermissionsFeature>

/**
 * One allowlist entry: `'self'` (this origin), `'src'` (the iframe's `src` origin, for the
 * `allow` attribute's default), `'*'` (every origin; must be alone), or an origin such as
 * `'https://maps.example'` (a subdomain wildcard `'https://*.example.com'` is accepted too).
 * An empty allowlist disables the feature everywhere.
 */
export type AllowlistItem = 'self' | 'src' | '*' | `https://${string}` | `http://${string}`

/** Options for `permissionsPolicy`. */
export interface PermissionsPolicyOptions {
  /**
   * Feature → allowlist, kebab-case or camelCase keys, sent in the order given:
   * `{ camera: [], geolocation: ['self', 'https://maps.example'], fullscreen: ['*'] }`.
   */
  readonly features: Partial<
    Record<PermissionsFeature | PermissionsFeatureCamel, readonly AllowlistItem[]>
  >
}

/**
 * What `permissionsPolicy: true` sends: the OWASP Secure Headers Project's proposed value
 * (`ci/headers_add.json`, 2026-07-19), in its order. Every listed feature is disabled except
 * `sync-xhr`, kept for this origin. Features not listed keep their browser defaults.
 */
export const OWASP_PERMISSIONS_POLICY: PermissionsPolicyOptions['features'] = Object.freeze({
  accelerometer: [],
  autoplay: [],
  camera: [],
  'cross-origin-isolated': [],
  'display-capture': [],
  'encrypted-media': [],
  fullscreen: [],
  geolocation: [],
  gyroscope: [],
  'keyboard-map': [],
  magnetometer: [],
  microphone: [],
  midi: [],
  payment: [],
  'picture-in-picture': [],
  'publickey-credentials-get': [],
  'screen-wake-lock': [],
  'sync-xhr': ['self'],
  usb: [],
  'web-share': [],
  'xr-spatial-tracking': [],
  'clipboard-read': [],
  'clipboard-write': [],
  gamepad: [],
  hid: [],
  'idle-detection': [],
  'interest-cohort': [],
  serial: [],
  unload: [],
})

/** Old names browsers no longer read, with the replacement when there is one. */
const RETIRED: Readonly<Record<string, string>> = {
  'document-domain':
    'retired: browsers removed the document-domain feature (document.domain is gone); drop it',
  'window-placement': "renamed: use 'window-management' (Chrome 111 renamed it)",
  vr: "renamed: use 'xr-spatial-tracking'",
  speaker: "renamed: use 'speaker-selection'",
  'conversion-measurement': "renamed: use 'attribution-reporting'",
  'trust-token-redemption': 'retired: the Trust Token origin trial ended; drop it',
}

/** camelCase → kebab-case for every known feature, built once. */
const BY_CAMEL: ReadonlyMap<string, PermissionsFeature> = new Map(
  PERMISSIONS_FEATURES.map((feature) => [
    feature.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase()),
    feature,
  ]),
)
const KNOWN: ReadonlySet<string> = new Set(PERMISSIONS_FEATURES)
const CANDIDATES: readonly string[] = [...PERMISSIONS_FEATURES, ...BY_CAMEL.keys()]

/** `permissionsPolicy: { camera: [] }`: the feature map belongs under `features`. */
const FEATURE_AS_OPTION: Readonly<Record<string, string>> = Object.fromEntries(
  CANDIDATES.map((name) => [
    name,
    `unknown option: features go under \`features\`, as in { features: { '${name}': [...] } }`,
  ]),
)

/**
 * Compiles `permissionsPolicy`: `undefined`/`false` → no header (it is not a helmet header;
 * presets turn it on), `true` → {@link OWASP_PERMISSIONS_POLICY}, `{ features }` → that
 * policy. Unknown features, malformed origins, duplicates and `'*'` mixed with other entries
 * are issues.
 */
export const compilePermissionsPolicy: HeaderCompiler = function compilePermissionsPolicy(
  value,
  path,
  issues,
): readonly PlannedHeader[] {
  if (value === true) return compileFeatures(OWASP_PERMISSIONS_POLICY, `${path}.features`, issues)
  // Count from here: the sink may already hold other options' issues.
  const start = issues.length
  const options = readOptions(value, path, issues, {
    header: 'Permissions-Policy',
    defaultOn: false,
    keys: ['features'],
    known: FEATURE_AS_OPTION,
  })
  if (options === undefined) return []
  // A missing `features` is worth its own issue only when nothing else explains it (such as
  // features written straight into the options object).
  if (options.features === undefined && issues.length === start) {
    issues.push({
      path: `${path}.features`,
      message:
        "is required: map each feature to its allowlist, e.g. { camera: [], geolocation: ['self'] }; or use true for OWASP's proposed policy",
    })
    return []
  }
  if (options.features === undefined) return []
  const headers = compileFeatures(options.features, `${path}.features`, issues)
  return issues.length > start ? [] : headers
}

function compileFeatures(
  features: unknown,
  path: string,
  issues: IssueSink,
): readonly PlannedHeader[] {
  if (!isPlainObject(features)) {
    issues.push({
      path,
      message: `must be an object of feature → allowlist, e.g. { camera: [], fullscreen: ['self'] }, received ${describeValue(features)}`,
    })
    return []
  }
  const before = issues.length
  const members: string[] = []
  const seen = new Map<string, string>()
  for (const key of Object.keys(features)) {
    const featurePath = `${path}.${key}`
    const feature = KNOWN.has(key) ? key : BY_CAMEL.get(key)
    if (feature === undefined) {
      const retired = Object.hasOwn(RETIRED, key) ? RETIRED[key] : undefined
      issues.push({
        path: featurePath,
        message:
          retired !== undefined
            ? `unknown feature: ${retired}`
            : withHint(
                'unknown Permissions-Policy feature (see PERMISSIONS_FEATURES for the known ones)',
                didYouMean(key, CANDIDATES),
              ),
      })
      continue
    }
    const earlier = seen.get(feature)
    if (earlier !== undefined) {
      issues.push({
        path: featurePath,
        message: `duplicate feature: '${key}' and '${earlier}' both name ${feature}; keep one`,
      })
      continue
    }
    seen.set(feature, key)
    const allowlist = compileAllowlist(features[key], featurePath, issues)
    if (allowlist !== undefined) members.push(`${feature}=${allowlist}`)
  }
  if (issues.length > before) return []
  if (members.length === 0) {
    issues.push({
      path,
      message: 'lists no features: add at least one, or set permissionsPolicy: false',
    })
    return []
  }
  return [{ name: 'Permissions-Policy', value: members.join(', ') }]
}

/** One allowlist → its structured-fields form: `*`, `()`, or `(self "https://a.example")`. */
function compileAllowlist(list: unknown, path: string, issues: IssueSink): string | undefined {
  if (!Array.isArray(list)) {
    const hint = typeof list === 'string' ? ` Wrap it in an array: [${describeValue(list)}]` : ''
    issues.push({
      path,
      message: withHint(
        `must be an array of allowlist entries ('self', 'src', '*' or origins; [] disables the feature), received ${describeValue(list)}`,
        hint,
      ),
    })
    return undefined
  }
  const before = issues.length
  const items: string[] = []
  const seen = new Set<string>()
  for (let i = 0; i < list.length; i++) {
    const item = compileAllowlistItem(list[i], `${path}[${i}]`, issues)
    if (item === undefined) continue
    if (seen.has(item)) {
      issues.push({ path: `${path}[${i}]`, message: `duplicate allowlist entry ${item}` })
      continue
    }
    seen.add(item)
    items.push(item)
  }
  if (issues.length > before) return undefined
  if (seen.has('*')) {
    if (items.length > 1) {
      issues.push({
        path,
        message: "'*' allows every origin, so the other entries are redundant: use ['*'] alone",
      })
      return undefined
    }
    return '*'
  }
  return `(${items.join(' ')})`
}

/** One entry → `self`, `src`, `*` or a quoted origin. */
function compileAllowlistItem(item: unknown, path: string, issues: IssueSink): string | undefined {
  if (item === 'self' || item === 'src' || item === '*') return item
  if (typeof item !== 'string') {
    issues.push({
      path,
      message: `must be 'self', 'src', '*' or an origin such as 'https://example.com', received ${describeValue(item)}`,
    })
    return undefined
  }
  // CSP habits: quoted keywords and 'none'.
  const unquoted =
    item.length >= 2 && item.startsWith("'") && item.endsWith("'") ? item.slice(1, -1) : item
  if (unquoted === 'self' || unquoted === 'src') {
    issues.push({
      path,
      message: `write ${unquoted} without the quotes: '${unquoted}', not "${item}"`,
    })
    return undefined
  }
  if (unquoted === 'none') {
    issues.push({
      path,
      message: "'none' is a CSP keyword: an empty allowlist [] disables the feature",
    })
    return undefined
  }
  const origin = parseOrigin(item)
  if (typeof origin === 'object') {
    issues.push({ path, message: `${origin.reason}, received ${describeValue(item)}` })
    return undefined
  }
  return `"${origin}"`
}

/**
 * Parses an http(s) origin, optionally with a leading `*.` subdomain wildcard, into its
 * serialisation (lower-case host, default port dropped, punycode). Paths, queries, fragments
 * and credentials are refused: the policy matches origins only.
 */
function parseOrigin(text: string): string | { reason: string } {
  // Schemes are case-insensitive; the serialisation below is lower-case.
  const head = text.slice(0, 8).toLowerCase()
  const scheme = head.startsWith('https://')
    ? 'https://'
    : head.startsWith('http://')
      ? 'http://'
      : undefined
  if (scheme === undefined) {
    return {
      reason: "must be 'self', 'src', '*' or an http(s) origin such as 'https://example.com'",
    }
  }
  // The URL parser would accept `*` anywhere in a host; only a whole first label is meaningful.
  const wildcard = text.startsWith('*.', scheme.length)
  const rest = wildcard ? text.slice(scheme.length + 2) : text.slice(scheme.length)
  if (rest.includes('*')) {
    return { reason: "may use '*' only as a whole first label, as in 'https://*.example.com'" }
  }
  let url: URL
  try {
    url = new URL(scheme + rest)
  } catch {
    return { reason: 'is not a valid origin' }
  }
  if (url.username !== '' || url.password !== '') {
    return { reason: 'must not contain credentials' }
  }
  // The URL parser lets some characters through in hosts (`"`, for one) that would break the
  // quoted structured-field string; real hosts never need them.
  if (!isPlainHost(url.host)) {
    return { reason: 'is not a valid origin: the host may hold letters, digits, - . _ and a port' }
  }
  const origin = wildcard ? `${scheme}*.${url.origin.slice(scheme.length)}` : url.origin
  if (
    url.pathname !== '/' ||
    url.search !== '' ||
    url.hash !== '' ||
    text.endsWith('?') ||
    text.endsWith('#')
  ) {
    return { reason: `must be an origin without path, query or fragment: use '${origin}'` }
  }
  return origin
}

/** Host (with port) characters after URL parsing: a-z 0-9 - . _ and, for IPv6, : [ ]. */
function isPlainHost(host: string): boolean {
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i)
    const ok =
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x2d ||
      c === 0x2e ||
      c === 0x5f ||
      c === 0x3a ||
      c === 0x5b ||
      c === 0x5d
    if (!ok) return false
  }
  return host.length > 0
}
