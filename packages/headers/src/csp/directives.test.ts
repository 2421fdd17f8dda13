import type { ConfigIssue, SecurityContext } from '@rampart/core'
import { describe, expect, it } from 'vitest'
import { isSafeHeaderValue } from '../header-plan.js'
import { type CspSettings, compileCsp, dangerouslyDisableDefaultSrc } from './index.js'

const ctx = {} as SecurityContext
const helmetLike: CspSettings = { nonce: false, upgradeInsecureRequests: 'always' }

/** Compiles `options` and renders it for an HTTPS request without nonce. */
function render(options: unknown, settings: CspSettings = helmetLike, https = true): string {
  const issues: ConfigIssue[] = []
  const plan = compileCsp(options, 'contentSecurityPolicy', settings, issues)
  expect(issues).toEqual([])
  if (plan === undefined) throw new Error('no plan')
  const value = plan.render({ nonce: undefined, https, ctx })
  expect(isSafeHeaderValue(value)).toBe(true)
  return value
}

/** One directive on top of `default-src 'self'`, without helmet's defaults. */
const only = (directives: Record<string, unknown>) => ({
  useDefaults: false,
  directives: { defaultSrc: ["'self'"], ...directives },
})

const HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
const HASH_URL = "'sha256-47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU'"

describe('every directive kind compiles', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['keyword self', { scriptSrc: ["'self'"] }, "script-src 'self'"],
    ['keyword none', { objectSrc: ["'none'"] }, "object-src 'none'"],
    [
      'unsafe-inline / unsafe-eval',
      { scriptSrc: ["'unsafe-inline'", "'unsafe-eval'"] },
      "script-src 'unsafe-inline' 'unsafe-eval'",
    ],
    [
      'strict-dynamic with a hash',
      { scriptSrc: ["'strict-dynamic'", HASH] },
      `script-src 'strict-dynamic' ${HASH}`,
    ],
    [
      'report-sample',
      { scriptSrc: ["'self'", "'report-sample'"] },
      "script-src 'self' 'report-sample'",
    ],
    ['wasm-unsafe-eval', { scriptSrc: ["'wasm-unsafe-eval'"] }, "script-src 'wasm-unsafe-eval'"],
    [
      'unsafe-hashes with a hash',
      { styleSrcAttr: ["'unsafe-hashes'", HASH] },
      `style-src-attr 'unsafe-hashes' ${HASH}`,
    ],
    [
      'inline-speculation-rules',
      { scriptSrc: ["'inline-speculation-rules'"] },
      "script-src 'inline-speculation-rules'",
    ],
    [
      'unsafe-allow-redirects',
      { navigateTo: ["'self'", "'unsafe-allow-redirects'"] },
      "navigate-to 'self' 'unsafe-allow-redirects'",
    ],
    ['sha256 (base64)', { scriptSrc: [HASH] }, `script-src ${HASH}`],
    ['sha256 (base64url, unpadded)', { scriptSrc: [HASH_URL] }, `script-src ${HASH_URL}`],
    [
      'sha384',
      { scriptSrc: ["'sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb'"] },
      "script-src 'sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb'",
    ],
    [
      'sha512',
      {
        scriptSrc: [
          "'sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=='",
        ],
      },
      "script-src 'sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=='",
    ],
    [
      'scheme sources',
      { imgSrc: ['https:', 'data:', 'blob:', 'web+app:'] },
      'img-src https: data: blob: web+app:',
    ],
    ['wildcard', { imgSrc: ['*'] }, 'img-src *'],
    [
      'host sources',
      {
        connectSrc: [
          'example.com',
          '*.example.com',
          'https://api.example.com',
          'wss://ws.example.com:8443',
          'http://localhost:*',
          '127.0.0.1:3000',
        ],
      },
      'connect-src example.com *.example.com https://api.example.com wss://ws.example.com:8443 http://localhost:* 127.0.0.1:3000',
    ],
    [
      'host source with a path',
      { scriptSrc: ['https://cdn.example.com/lib/v1/app.js', 'https://cdn.example.com/a%20b/'] },
      'script-src https://cdn.example.com/lib/v1/app.js https://cdn.example.com/a%20b/',
    ],
    ['punycode host', { imgSrc: ['https://xn--r8jz45g.jp'] }, 'img-src https://xn--r8jz45g.jp'],
    [
      'every fetch directive',
      {
        childSrc: ["'self'"],
        fontSrc: ["'self'"],
        frameSrc: ["'self'"],
        manifestSrc: ["'self'"],
        mediaSrc: ["'self'"],
        workerSrc: ["'self'"],
        fencedFrameSrc: ['https:'],
        prefetchSrc: ["'self'"],
      },
      "child-src 'self';font-src 'self';frame-src 'self';manifest-src 'self';media-src 'self';worker-src 'self';fenced-frame-src https:;prefetch-src 'self'",
    ],
    [
      '-elem and -attr variants',
      {
        scriptSrcElem: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrcElem: ["'self'"],
        styleSrcAttr: ["'unsafe-inline'"],
      },
      "script-src-elem 'self';script-src-attr 'none';style-src-elem 'self';style-src-attr 'unsafe-inline'",
    ],
    [
      'base-uri and form-action',
      { baseUri: ["'none'"], formAction: ["'self'", 'https://pay.example.com'] },
      "base-uri 'none';form-action 'self' https://pay.example.com",
    ],
    [
      'frame-ancestors',
      { frameAncestors: ["'self'", 'https://partner.example.com'] },
      "frame-ancestors 'self' https://partner.example.com",
    ],
    [
      'report-uri, absolute and relative',
      { reportUri: ['https://report.example.com/csp', '/csp-reports'] },
      'report-uri https://report.example.com/csp /csp-reports',
    ],
    ['report-uri as a string', { reportUri: '/csp' }, 'report-uri /csp'],
    [
      'report-to a Reporting-Endpoints group',
      { reportTo: 'csp-endpoint' },
      'report-to csp-endpoint',
    ],
    [
      'report-uri and report-to together',
      { reportUri: '/csp', reportTo: ['default'] },
      'report-uri /csp;report-to default',
    ],
    ['sandbox, valueless', { sandbox: [] }, 'sandbox'],
    [
      'sandbox with flags',
      { sandbox: ['allow-scripts', 'allow-forms', 'allow-popups-to-escape-sandbox'] },
      'sandbox allow-scripts allow-forms allow-popups-to-escape-sandbox',
    ],
    [
      "require-trusted-types-for 'script'",
      { requireTrustedTypesFor: ["'script'"] },
      "require-trusted-types-for 'script'",
    ],
    [
      'trusted-types with policies',
      { trustedTypes: ['default', 'dompurify', 'my-policy#1', "'allow-duplicates'"] },
      "trusted-types default dompurify my-policy#1 'allow-duplicates'",
    ],
    ["trusted-types 'none'", { trustedTypes: ["'none'"] }, "trusted-types 'none'"],
    ['trusted-types *', { trustedTypes: ['*'] }, 'trusted-types *'],
    ['upgrade-insecure-requests', { upgradeInsecureRequests: [] }, 'upgrade-insecure-requests'],
    ['block-all-mixed-content', { blockAllMixedContent: [] }, 'block-all-mixed-content'],
    ['webrtc', { webrtc: ["'block'"] }, "webrtc 'block'"],
    [
      'plugin-types (obsolete)',
      { pluginTypes: ['application/pdf'] },
      'plugin-types application/pdf',
    ],
    ['an empty source list', { scriptSrc: [] }, 'script-src'],
  ])('%s', (_label, directives, expected) => {
    expect(render(only(directives))).toBe(`default-src 'self';${expected}`)
  })
})

describe('policy assembly', () => {
  it('keeps an overridden default in place and appends new directives in order', () => {
    expect(render({ directives: { connectSrc: ["'self'"], imgSrc: ['*'], reportTo: 'g' } })).toBe(
      "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src *;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests;connect-src 'self';report-to g",
    )
  })

  it('removes defaults set to null', () => {
    expect(
      render({
        directives: {
          baseUri: null,
          'font-src': null,
          formAction: null,
          frameAncestors: null,
          imgSrc: null,
          objectSrc: null,
          scriptSrcAttr: null,
          styleSrc: null,
          upgradeInsecureRequests: null,
        },
      }),
    ).toBe("default-src 'self';script-src 'self'")
  })

  it('sends no default-src with dangerouslyDisableDefaultSrc', () => {
    expect(
      render({
        useDefaults: false,
        directives: { defaultSrc: dangerouslyDisableDefaultSrc, frameAncestors: ["'none'"] },
      }),
    ).toBe("frame-ancestors 'none'")
  })

  it('accepts any iterable and reads it once', () => {
    function* sources() {
      yield "'self'"
      yield 'https://cdn.example.com'
    }
    expect(render(only({ scriptSrc: sources() }))).toBe(
      "default-src 'self';script-src 'self' https://cdn.example.com",
    )
  })

  it('names the header after reportOnly, or the forced report-only flag', () => {
    const name = (option: unknown, forced?: boolean) =>
      compileCsp(option, 'csp', helmetLike, [], forced)?.name
    expect(name(undefined)).toBe('Content-Security-Policy')
    expect(name({ reportOnly: true })).toBe('Content-Security-Policy-Report-Only')
    expect(name(true, true)).toBe('Content-Security-Policy-Report-Only')
    expect(name({ reportOnly: false }, true)).toBe('Content-Security-Policy-Report-Only')
  })

  it('returns no plan and no issue for false', () => {
    const issues: ConfigIssue[] = []
    expect(compileCsp(false, 'csp', helmetLike, issues)).toBeUndefined()
    expect(compileCsp(false, 'csp', helmetLike, issues, true)).toBeUndefined()
    expect(issues).toEqual([])
  })

  it('does not touch the caller’s objects', () => {
    const scriptSrc = Object.freeze(["'self'"])
    const directives = Object.freeze({ scriptSrc })
    const options = Object.freeze({ directives, nonce: true })
    const plan = compileCsp(options, 'csp', helmetLike, [])
    expect(plan?.render({ nonce: 'n', https: true, ctx })).toContain("script-src 'self' 'nonce-n'")
    expect(scriptSrc).toEqual(["'self'"])
  })
})

describe("upgradeInsecureRequests: 'https-only'", () => {
  const httpsOnly: CspSettings = { nonce: false, upgradeInsecureRequests: 'https-only' }

  it('drops the directive on plain HTTP only', () => {
    expect(render(undefined, httpsOnly, true)).toMatch(/;upgrade-insecure-requests$/)
    expect(render(undefined, httpsOnly, false)).toBe(
      "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline'",
    )
  })

  it('drops it from the middle of a policy too', () => {
    const options = only({ upgradeInsecureRequests: [], imgSrc: ['data:'] })
    expect(render(options, httpsOnly, false)).toBe("default-src 'self';img-src data:")
    expect(render(options, httpsOnly, true)).toBe(
      "default-src 'self';upgrade-insecure-requests;img-src data:",
    )
  })

  it("is 'always' by default, and the option object overrides the setting both ways", () => {
    expect(render(undefined, helmetLike, false)).toMatch(/upgrade-insecure-requests$/)
    expect(render({ upgradeInsecureRequests: 'https-only' }, helmetLike, false)).not.toMatch(
      /upgrade-insecure-requests/,
    )
    expect(render({ upgradeInsecureRequests: 'always' }, httpsOnly, false)).toMatch(
      /upgrade-insecure-requests$/,
    )
  })

  it('changes nothing when the policy has no upgrade-insecure-requests', () => {
    const options = { directives: { upgradeInsecureRequests: null } }
    expect(render(options, httpsOnly, false)).toBe(render(options, httpsOnly, true))
  })

  it('is static (no nonce, no function) but depends on the scheme', () => {
    const plan = compileCsp(undefined, 'csp', httpsOnly, [])
    expect(plan?.dynamic).toBe(false)
    expect(plan?.usesNonce).toBe(false)
  })
})
