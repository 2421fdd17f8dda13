import type { ConfigIssue } from '@rampart/core'
import { describe, expect, it } from 'vitest'
import {
  compilePermissionsPolicy,
  OWASP_PERMISSIONS_POLICY,
  PERMISSIONS_FEATURES,
  type PermissionsPolicyOptions,
} from './permissions-policy.js'

function run(value: unknown) {
  const issues: ConfigIssue[] = []
  const headers = compilePermissionsPolicy(value, 'permissionsPolicy', issues)
  return { headers, issues }
}

const header = (value: string) => [{ name: 'Permissions-Policy', value }]

describe('compilePermissionsPolicy', () => {
  it.each<[string, unknown, string | undefined]>([
    ['undefined (not a helmet header: off)', undefined, undefined],
    ['false', false, undefined],
    [
      'the example',
      {
        features: { camera: [], geolocation: ['self', 'https://maps.example'], fullscreen: ['*'] },
      },
      'camera=(), geolocation=(self "https://maps.example"), fullscreen=*',
    ],
    ['src', { features: { autoplay: ['src'] } }, 'autoplay=(src)'],
    [
      'self and src',
      { features: { 'picture-in-picture': ['self', 'src'] } },
      'picture-in-picture=(self src)',
    ],
    [
      'camelCase keys',
      { features: { syncXhr: [], chUaFullVersionList: ['self'], xrSpatialTracking: [] } },
      'sync-xhr=(), ch-ua-full-version-list=(self), xr-spatial-tracking=()',
    ],
    [
      'origins are normalised',
      { features: { payment: ['HTTPS://Pay.Example:443/', 'http://localhost:3000'] } },
      'payment=("https://pay.example" "http://localhost:3000")',
    ],
    [
      'IDN origins become punycode',
      { features: { camera: ['https://bücher.example'] } },
      'camera=("https://xn--bcher-kva.example")',
    ],
    [
      'a subdomain wildcard',
      { features: { camera: ['https://*.example.com'] } },
      'camera=("https://*.example.com")',
    ],
    [
      'IPv6 origin',
      { features: { camera: ['https://[::1]:8443'] } },
      'camera=("https://[::1]:8443")',
    ],
  ])('%s', (_, value, expected) => {
    const { headers, issues } = run(value)
    expect(issues).toEqual([])
    expect(headers).toEqual(expected === undefined ? [] : header(expected))
  })

  it("true sends OWASP's proposed policy, byte for byte", () => {
    const { headers, issues } = run(true)
    expect(issues).toEqual([])
    // ci/headers_add.json of OWASP/www-project-secure-headers, 2026-07-19.
    expect(headers).toEqual(
      header(
        'accelerometer=(), autoplay=(), camera=(), cross-origin-isolated=(), display-capture=(), encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), keyboard-map=(), magnetometer=(), microphone=(), midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), sync-xhr=(self), usb=(), web-share=(), xr-spatial-tracking=(), clipboard-read=(), clipboard-write=(), gamepad=(), hid=(), idle-detection=(), interest-cohort=(), serial=(), unload=()',
      ),
    )
    expect(Object.isFrozen(OWASP_PERMISSIONS_POLICY)).toBe(true)
  })

  it('knows every feature the brief and the W3C list name, each once, kebab-case', () => {
    for (const feature of [
      'accelerometer',
      'ambient-light-sensor',
      'autoplay',
      'battery',
      'bluetooth',
      'camera',
      'ch-ua',
      'ch-ua-arch',
      'ch-ua-bitness',
      'ch-ua-full-version',
      'ch-ua-full-version-list',
      'ch-ua-mobile',
      'ch-ua-model',
      'ch-ua-platform',
      'ch-ua-platform-version',
      'ch-ua-wow64',
      'clipboard-read',
      'clipboard-write',
      'compute-pressure',
      'cross-origin-isolated',
      'display-capture',
      'encrypted-media',
      'execution-while-not-rendered',
      'execution-while-out-of-viewport',
      'fullscreen',
      'gamepad',
      'geolocation',
      'gyroscope',
      'hid',
      'identity-credentials-get',
      'idle-detection',
      'interest-cohort',
      'keyboard-map',
      'local-fonts',
      'magnetometer',
      'microphone',
      'midi',
      'otp-credentials',
      'payment',
      'picture-in-picture',
      'publickey-credentials-create',
      'publickey-credentials-get',
      'screen-wake-lock',
      'serial',
      'speaker-selection',
      'storage-access',
      'sync-xhr',
      'unload',
      'usb',
      'web-share',
      'window-management',
      'xr-spatial-tracking',
    ]) {
      expect(PERMISSIONS_FEATURES).toContain(feature)
    }
    expect(new Set(PERMISSIONS_FEATURES).size).toBe(PERMISSIONS_FEATURES.length)
    for (const feature of PERMISSIONS_FEATURES)
      expect(feature).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
  })

  it('accepts every known feature, in both spellings', () => {
    for (const feature of PERMISSIONS_FEATURES) {
      const camel = feature.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())
      expect(run({ features: { [feature]: [] } }).headers).toEqual(header(`${feature}=()`))
      expect(run({ features: { [camel]: ['self'] } }).headers).toEqual(header(`${feature}=(self)`))
    }
  })

  it.each<[string, unknown, readonly [string, string][]]>([
    [
      'null',
      null,
      [
        [
          'permissionsPolicy',
          'must be true, false or an options object { features }, received null',
        ],
      ],
    ],
    [
      'a bare features object',
      { camera: [] },
      [
        [
          'permissionsPolicy.camera',
          "features go under `features`, as in { features: { 'camera': [...] } }",
        ],
      ],
    ],
    [
      'an unknown option',
      { feature: {} },
      [['permissionsPolicy.feature', "Did you mean 'features'?"]],
    ],
    ['missing features', {}, [['permissionsPolicy.features', 'is required']]],
    [
      'features not an object',
      { features: ['camera'] },
      [['permissionsPolicy.features', 'must be an object of feature → allowlist']],
    ],
    ['no features', { features: {} }, [['permissionsPolicy.features', 'lists no features']]],
    [
      'an unknown feature',
      { features: { camra: [] } },
      [
        [
          'permissionsPolicy.features.camra',
          "unknown Permissions-Policy feature (see PERMISSIONS_FEATURES for the known ones). Did you mean 'camera'?",
        ],
      ],
    ],
    [
      'an unknown camelCase feature',
      { features: { syncXHR: [] } },
      [['permissionsPolicy.features.syncXHR', "Did you mean 'syncXhr'?"]],
    ],
    [
      'a renamed feature',
      { features: { 'window-placement': [] } },
      [['permissionsPolicy.features.window-placement', "use 'window-management'"]],
    ],
    [
      'a retired feature',
      { features: { 'document-domain': [] } },
      [['permissionsPolicy.features.document-domain', 'retired']],
    ],
    [
      'both spellings of one feature',
      { features: { 'sync-xhr': [], syncXhr: [] } },
      [
        [
          'permissionsPolicy.features.syncXhr',
          "duplicate feature: 'syncXhr' and 'sync-xhr' both name sync-xhr",
        ],
      ],
    ],
    [
      'a string allowlist',
      { features: { camera: 'self' } },
      [['permissionsPolicy.features.camera', "Wrap it in an array: ['self']"]],
    ],
    [
      'a boolean allowlist',
      { features: { camera: false } },
      [['permissionsPolicy.features.camera', 'received false']],
    ],
    [
      'a quoted keyword',
      { features: { camera: ["'self'"] } },
      [['permissionsPolicy.features.camera[0]', 'write self without the quotes']],
    ],
    [
      'none',
      { features: { camera: ["'none'"] } },
      [['permissionsPolicy.features.camera[0]', 'an empty allowlist [] disables the feature']],
    ],
    [
      'a bare host',
      { features: { camera: ['example.com'] } },
      [
        [
          'permissionsPolicy.features.camera[0]',
          "an http(s) origin such as 'https://example.com', received 'example.com'",
        ],
      ],
    ],
    [
      'a path',
      { features: { camera: ['https://example.com/app'] } },
      [
        [
          'permissionsPolicy.features.camera[0]',
          "without path, query or fragment: use 'https://example.com'",
        ],
      ],
    ],
    [
      'a wildcard with a path',
      { features: { camera: ['https://*.example.com/x'] } },
      [['permissionsPolicy.features.camera[0]', "use 'https://*.example.com'"]],
    ],
    [
      'a query',
      { features: { camera: ['https://example.com?x'] } },
      [['permissionsPolicy.features.camera[0]', 'without path, query or fragment']],
    ],
    [
      'an empty fragment',
      { features: { camera: ['https://example.com#'] } },
      [['permissionsPolicy.features.camera[0]', 'without path, query or fragment']],
    ],
    [
      'credentials',
      { features: { camera: ['https://u:p@example.com'] } },
      [['permissionsPolicy.features.camera[0]', 'must not contain credentials']],
    ],
    [
      'a broken URL',
      { features: { camera: ['https://exa mple.com'] } },
      [['permissionsPolicy.features.camera[0]', 'is not a valid origin']],
    ],
    [
      'another scheme',
      { features: { camera: ['wss://example.com'] } },
      [['permissionsPolicy.features.camera[0]', "received 'wss://example.com'"]],
    ],
    [
      'a misplaced wildcard',
      { features: { camera: ['https://a.*.example.com'] } },
      [['permissionsPolicy.features.camera[0]', 'only as a whole first label']],
    ],
    [
      'a quote in an origin',
      { features: { camera: ['https://exa"mple.com'] } },
      [['permissionsPolicy.features.camera[0]', 'is not a valid origin']],
    ],
    [
      'a number entry',
      { features: { camera: [1] } },
      [['permissionsPolicy.features.camera[0]', 'received 1']],
    ],
    [
      'a duplicate entry',
      { features: { camera: ['self', 'self'] } },
      [['permissionsPolicy.features.camera[1]', 'duplicate allowlist entry self']],
    ],
    [
      'duplicate origins after normalising',
      { features: { camera: ['https://a.example', 'HTTPS://A.EXAMPLE/'] } },
      [['permissionsPolicy.features.camera[1]', 'duplicate allowlist entry "https://a.example"']],
    ],
    [
      '* with others',
      { features: { camera: ['*', 'self'] } },
      [['permissionsPolicy.features.camera', "use ['*'] alone"]],
    ],
    [
      'several problems',
      { features: { camra: [], camera: ['nope'], 'sync-xhr': 'self' } },
      [
        ['permissionsPolicy.features.camra', 'unknown'],
        ['permissionsPolicy.features.camera[0]', "received 'nope'"],
        ['permissionsPolicy.features.sync-xhr', 'must be an array'],
      ],
    ],
  ])('reports %s', (_, value, expected) => {
    const { headers, issues } = run(value)
    expect(headers).toEqual([])
    expect(issues).toEqual(
      expected.map(([path, fragment]) => ({ path, message: expect.stringContaining(fragment) })),
    )
  })

  it('types features and allowlists', () => {
    const ok: PermissionsPolicyOptions = {
      features: { camera: [], syncXhr: ['self'], geolocation: ['https://maps.example', 'src'] },
    }
    // @ts-expect-error unknown feature
    const badFeature: PermissionsPolicyOptions = { features: { camra: [] } }
    // @ts-expect-error not an allowlist item
    const badItem: PermissionsPolicyOptions = { features: { camera: ['none'] } }
    expect([ok, badFeature, badItem]).toHaveLength(3)
  })
})
