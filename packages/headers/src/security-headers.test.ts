/**
 * The guard as a whole: helmet parity for complete option sets (the drop-in promise), presets,
 * aliases, per-route overrides, nonces and construction errors.
 */
import { Engine, type Guard, RampartConfigError, type RequestSource } from '@rampart/core'
import { applyToNodeResponse } from '@rampart/core/adapter'
import { describe, expect, it } from 'vitest'
import { clearSiteData } from './clear-site-data.js'
import { OWASP_REMOVE_HEADERS } from './headers/index.js'
import { securityHeaders } from './security-headers.js'
import { cspNonce } from './state.js'
import { HELMET_DEFAULT_HEADERS } from './testing/helmet-defaults.js'

// biome-ignore lint/suspicious/noExplicitAny: helmet's typings need node:http, which this Web-only package is built without
const helmet = (await import('helmet')).default as any

/** A Node-like response backed by a Map, as both helmet and our adapters see it. */
class MockResponse {
  readonly headers = new Map<string, string>([['x-powered-by', 'Express']])
  statusCode = 200
  headersSent = false
  writableFinished = false
  locals: Record<string, unknown> = {}
  setHeader(name: string, value: unknown) {
    this.headers.set(name.toLowerCase(), String(value))
  }
  removeHeader(name: string) {
    this.headers.delete(name.toLowerCase())
  }
  getHeaderNames() {
    return [...this.headers.keys()]
  }
  writeHead() {}
  once() {}
  result(): Record<string, string> {
    return Object.fromEntries([...this.headers].sort(([a], [b]) => a.localeCompare(b)))
  }
}

function source(url = 'https://app.example/page'): RequestSource<object> {
  return {
    native: {},
    method: 'GET',
    header: () => null,
    url: () => url,
    path: () => new URL(url).pathname,
    clientAddress: () => '127.0.0.1',
    trustsProxy: false,
    readBody: async () => undefined,
    readRawBody: async () => undefined,
    setBody: () => {},
  }
}

/** Runs guards like an adapter does and returns the final response headers. */
async function respond(guards: Guard[], url?: string, handler?: (res: MockResponse) => void) {
  const run = new Engine(guards).start(source(url))
  expect(await run.runRequest()).toBeUndefined()
  const res = new MockResponse()
  handler?.(res)
  applyToNodeResponse(res, run.staged())
  return { headers: res.result(), state: run.state }
}

function viaHelmet(options?: unknown): Record<string, string> {
  const res = new MockResponse()
  let failed: unknown
  helmet(options)({}, res, (error: unknown) => {
    failed = error
  })
  expect(failed).toBeUndefined()
  return res.result()
}

describe('securityHeaders(): a helmet drop-in', () => {
  it("with no options sends exactly helmet's defaults and removes X-Powered-By", async () => {
    const { headers } = await respond([securityHeaders()])
    expect(headers).toEqual(viaHelmet())
    expect(headers).toEqual(HELMET_DEFAULT_HEADERS)
  })

  const optionSets: [string, Record<string, unknown>][] = [
    [
      'frame and referrer',
      { xFrameOptions: { action: 'deny' }, referrerPolicy: { policy: ['origin', 'unsafe-url'] } },
    ],
    ['hsts', { strictTransportSecurity: { maxAge: 123_456, preload: true } }],
    [
      'legacy aliases',
      {
        hsts: { maxAge: 60, includeSubDomains: false },
        frameguard: { action: 'sameorigin' },
        noSniff: false,
        hidePoweredBy: false,
      },
    ],
    [
      'everything off',
      Object.fromEntries(
        [
          'contentSecurityPolicy',
          'crossOriginOpenerPolicy',
          'crossOriginResourcePolicy',
          'originAgentCluster',
          'referrerPolicy',
          'strictTransportSecurity',
          'xContentTypeOptions',
          'xDnsPrefetchControl',
          'xDownloadOptions',
          'xFrameOptions',
          'xPermittedCrossDomainPolicies',
          'xPoweredBy',
          'xXssProtection',
        ].map((k) => [k, false]),
      ),
    ],
    [
      'coep and cross-origin policies',
      {
        crossOriginEmbedderPolicy: true,
        crossOriginOpenerPolicy: { policy: 'same-origin-allow-popups' },
        crossOriginResourcePolicy: { policy: 'cross-origin' },
      },
    ],
    [
      'custom CSP',
      {
        contentSecurityPolicy: {
          directives: {
            scriptSrc: ["'self'", 'https://cdn.example'],
            'img-src': ['*'],
            upgradeInsecureRequests: null,
          },
        },
      },
    ],
    [
      'CSP without defaults, report-only',
      {
        contentSecurityPolicy: {
          useDefaults: false,
          reportOnly: true,
          directives: { defaultSrc: ["'none'"], reportUri: ['/csp'] },
        },
      },
    ],
    [
      'dns prefetch on, cross-domain',
      {
        xDnsPrefetchControl: { allow: true },
        xPermittedCrossDomainPolicies: { permittedPolicies: 'by-content-type' },
      },
    ],
  ]
  for (const [name, options] of optionSets) {
    it(`keeps helmet's headers for the same options: ${name}`, async () => {
      const { headers } = await respond([securityHeaders(options as never)])
      expect(headers).toEqual(viaHelmet(options))
    })
  }

  it('lets a header the handler set win', async () => {
    const { headers } = await respond([securityHeaders()], undefined, (res) =>
      res.setHeader('X-Frame-Options', 'DENY'),
    )
    expect(headers['x-frame-options']).toBe('DENY')
  })
})

describe('presets', () => {
  it('strict: the OWASP recommended set, and the OWASP removal list', async () => {
    const { headers } = await respond([securityHeaders({ preset: 'strict' })], undefined, (res) => {
      res.setHeader('Server', 'nginx')
      res.setHeader('X-AspNet-Version', '4.0')
    })
    expect(headers).toMatchObject({
      'cache-control': 'no-store, max-age=0',
      'content-security-policy':
        "default-src 'self';form-action 'self';base-uri 'self';object-src 'none';frame-ancestors 'none';upgrade-insecure-requests",
      'cross-origin-embedder-policy': 'require-corp',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'referrer-policy': 'no-referrer',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'x-permitted-cross-domain-policies': 'none',
    })
    expect(headers['permissions-policy']).toMatch(
      /^accelerometer=\(\), autoplay=\(\), camera=\(\),.* sync-xhr=\(self\),/,
    )
    for (const gone of [
      'server',
      'x-aspnet-version',
      'x-powered-by',
      'x-xss-protection',
      'origin-agent-cluster',
    ]) {
      expect(headers[gone], gone).toBeUndefined()
    }
    expect(OWASP_REMOVE_HEADERS).toContain('Server')
  })

  it('stages each header once, even when two options remove the same one', () => {
    const staged = securityHeaders({ preset: 'strict' }).fixedHeaders
    const keys = staged.map((h) => h.key)
    expect(new Set(keys).size).toBe(keys.length)
    expect(keys.filter((k) => k === 'x-powered-by')).toHaveLength(1)
    expect(OWASP_REMOVE_HEADERS.map((n) => n.toLowerCase())).toContain('x-powered-by')
  })

  it('api: nothing may load or frame, nothing is cached', async () => {
    const { headers } = await respond([securityHeaders({ preset: 'api' })])
    expect(headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'")
    expect(headers['cache-control']).toBe('no-store')
    expect(headers['x-frame-options']).toBe('DENY')
    expect(headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains')
  })

  it('user options apply on top of a preset, CSP directive by directive', async () => {
    const { headers } = await respond([
      securityHeaders({
        preset: 'api',
        cacheControl: 'no-cache',
        contentSecurityPolicy: { directives: { imgSrc: ["'self'"] } },
      }),
    ])
    expect(headers['cache-control']).toBe('no-cache')
    expect(headers['content-security-policy']).toBe(
      "default-src 'none';frame-ancestors 'none';img-src 'self'",
    )
  })
})

describe('nonces', () => {
  it('puts one fresh nonce per request in script-src and style-src and in state', async () => {
    const guard = securityHeaders({ nonce: true })
    const a = await respond([guard])
    const b = await respond([guard])
    const nonceA = a.state.get(cspNonce)
    expect(nonceA).toMatch(/^[A-Za-z0-9+/]{24}$/)
    expect(b.state.get(cspNonce)).not.toBe(nonceA)
    const csp = a.headers['content-security-policy'] ?? ''
    expect(csp).toContain(`script-src 'self' 'nonce-${nonceA}'`)
    expect(csp).toContain(`style-src 'self' https: 'unsafe-inline' 'nonce-${nonceA}'`)
  })

  it('shares the nonce between the enforced and report-only policies, and with a per-route guard', async () => {
    const global = securityHeaders({
      nonce: true,
      contentSecurityPolicyReportOnly: {
        useDefaults: false,
        directives: { defaultSrc: ["'none'"], scriptSrc: ["'strict-dynamic'"] },
      },
    })
    const { headers, state } = await respond([global, global.with({ xFrameOptions: false })])
    const nonce = state.get(cspNonce)
    expect(headers['content-security-policy']).toContain(`'nonce-${nonce}'`)
    expect(headers['content-security-policy-report-only']).toContain(
      `script-src 'strict-dynamic' 'nonce-${nonce}'`,
    )
    expect(headers['x-frame-options']).toBeUndefined()
  })
})

describe('per-route overrides and https-only upgrades', () => {
  it('.with() keeps everything it does not override', async () => {
    const global = securityHeaders({ referrerPolicy: { policy: 'same-origin' } })
    const embed = global.with({
      contentSecurityPolicy: { directives: { frameAncestors: ['https://partner.example'] } },
    })
    const { headers } = await respond([global, embed])
    expect(headers['referrer-policy']).toBe('same-origin')
    expect(headers['content-security-policy']).toContain('frame-ancestors https://partner.example;')
    expect(headers['content-security-policy']).toContain("object-src 'none'")
  })

  it('.with() refuses a preset and validates its overrides', () => {
    const global = securityHeaders()
    expect(() => global.with({ preset: 'strict' })).toThrow(/choose the preset on the parent/)
    expect(() => global.with({ xFrameOptions: { action: 'allow-from' as never } })).toThrow(
      RampartConfigError,
    )
  })

  it("'https-only' drops upgrade-insecure-requests on plain HTTP only", async () => {
    const guard = securityHeaders({ upgradeInsecureRequests: 'https-only' })
    expect(
      (await respond([guard], 'http://localhost:3000/')).headers['content-security-policy'],
    ).not.toContain('upgrade-insecure-requests')
    expect(
      (await respond([guard], 'https://app.example/')).headers['content-security-policy'],
    ).toContain('upgrade-insecure-requests')
  })
})

describe('construction errors', () => {
  function issues(options: unknown): string[] {
    try {
      securityHeaders(options as never)
    } catch (error) {
      expect(error).toBeInstanceOf(RampartConfigError)
      expect((error as RampartConfigError).code).toBe('ERR_RAMPART_HEADERS_CONFIG')
      return (error as RampartConfigError).issues.map((i) => `${i.path}: ${i.message}`)
    }
    throw new Error('expected a RampartConfigError')
  }

  it('names unknown options with a suggestion', () => {
    expect(issues({ xFrameOption: { action: 'deny' } })).toEqual([
      expect.stringMatching(/^xFrameOption: unknown option. Did you mean 'xFrameOptions'\?/),
    ])
  })

  it('refuses an option and its legacy alias together, as helmet does', () => {
    expect(issues({ hsts: true, strictTransportSecurity: true })).toEqual([
      expect.stringMatching(
        /^hsts: strictTransportSecurity and its legacy alias hsts are both set/,
      ),
    ])
  })

  it('reports two spellings of one directive, also over a preset', () => {
    const both = { directives: { scriptSrc: ["'self'"], 'script-src': ["'none'"] } }
    expect(issues({ preset: 'strict', contentSecurityPolicy: both })).toEqual([
      expect.stringMatching(/^contentSecurityPolicy.directives.script-src: duplicates scriptSrc/),
    ])
    expect(issues({ contentSecurityPolicy: both }).length).toBeGreaterThan(0)
  })

  it('collects every problem at once', () => {
    const found = issues({
      preset: 'paranoid',
      strictTransportSecurity: { maxAge: -1 },
      contentSecurityPolicy: { directives: { scriptSrc: ['self'] } },
      permissionsPolicy: { features: { camra: [] } },
      cacheControl: 'no-store\r\nSet-Cookie: a=b',
    })
    const paths = found.map((line) => line.slice(0, line.indexOf(':')))
    expect(paths).toEqual(
      expect.arrayContaining([
        'preset',
        'strictTransportSecurity.maxAge',
        'permissionsPolicy.features.camra',
        'cacheControl',
      ]),
    )
    expect(
      found.some((line) => line.startsWith('contentSecurityPolicy.directives.scriptSrc')),
    ).toBe(true)
  })

  it('clearSiteData() validates its types', async () => {
    expect(() => clearSiteData({ types: ['cookies', 'cookies'] as never })).toThrow(
      RampartConfigError,
    )
    const { headers } = await respond([clearSiteData({ types: ['cookies'] })])
    expect(headers['clear-site-data']).toBe('"cookies"')
  })
})
