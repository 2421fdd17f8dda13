import type { ConfigIssue, SecurityContext } from '@rampart/core'
import { contentSecurityPolicy as helmetCsp } from 'helmet'
import { describe, expect, it } from 'vitest'
import { compileCsp, dangerouslyDisableDefaultSrc, HELMET_DEFAULT_DIRECTIVES } from './index.js'

/** helmet's own escape-hatch symbol: ours accepts it, so the same options go to both. */
const helmetDisable = helmetCsp.dangerouslyDisableDefaultSrc
const ctx = {} as SecurityContext
const settings = { nonce: false, upgradeInsecureRequests: 'always' } as const

/** Node's header-value rule (`validateHeaderValue`), which helmet relies on for CR and LF. */
function nodeRejects(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c !== 0x09 && (c < 0x20 || c === 0x7f || c > 0xff)) return true
  }
  return false
}

type HelmetResult = { ok: true; name: string; value: string } | { ok: false; error: unknown }

/**
 * Runs helmet's middleware against a minimal `res` (helmet only calls `setHeader`; it never
 * reads `res.locals` itself: that is the app's nonce pattern). A throw at construction, a
 * throw or `next(err)` per request, or a value Node would refuse all count as rejections.
 */
function runHelmet(options: unknown): HelmetResult {
  const set: Array<[string, string]> = []
  const res = {
    locals: {},
    setHeader(name: string, value: string) {
      if (nodeRejects(value)) throw new TypeError(`Invalid character in header content ["${name}"]`)
      set.push([name, value])
    },
    removeHeader() {},
  }
  try {
    // biome-ignore lint/suspicious/noExplicitAny: helmet's types want Node's req/res; the mock is enough
    const middleware = helmetCsp(options as any)
    let failure: unknown
    // biome-ignore lint/suspicious/noExplicitAny: as above
    middleware({} as any, res as any, (error?: unknown) => {
      failure = error
    })
    if (failure !== undefined) return { ok: false, error: failure }
  } catch (error) {
    return { ok: false, error }
  }
  expect(set).toHaveLength(1)
  const [name, value] = set[0] as [string, string]
  return { ok: true, name, value }
}

/** Our compile + render for an HTTPS request without nonce; `error` when render throws. */
function runOurs(options: unknown) {
  const issues: ConfigIssue[] = []
  const plan = compileCsp(options, 'contentSecurityPolicy', settings, issues)
  if (plan === undefined) return { issues, plan }
  try {
    return { issues, plan, value: plan.render({ nonce: undefined, https: true, ctx }) }
  } catch (error) {
    return { issues, plan, error }
  }
}

const SHA256 = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
const SHA384 = "'sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb'"
const SHA512 =
  "'sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=='"

/** Option sets helmet accepts: our header must be identical, name and value, byte for byte. */
const ACCEPTED: Array<[string, unknown]> = [
  ['no options (the default policy)', undefined],
  ['empty object', {}],
  ['useDefaults: true', { useDefaults: true }],
  ['reportOnly', { reportOnly: true }],
  ['reportOnly: false', { reportOnly: false }],
  [
    'useDefaults: false, default-src only',
    { useDefaults: false, directives: { defaultSrc: ["'self'"] } },
  ],
  [
    'camelCase override keeps its place',
    { directives: { scriptSrc: ["'self'", 'https://cdn.example.com'] } },
  ],
  [
    'kebab-case override keeps its place',
    { directives: { 'script-src': ["'self'", 'https://cdn.example.com'] } },
  ],
  [
    'default-src override stays first',
    { directives: { defaultSrc: ["'self'", 'https://example.com'] } },
  ],
  [
    'null removes defaults',
    { directives: { upgradeInsecureRequests: null, objectSrc: null, 'frame-ancestors': null } },
  ],
  ['null removal plus override', { directives: { 'script-src': ["'self'"], styleSrc: null } }],
  [
    'camelCase and kebab-case mixed',
    {
      directives: {
        'default-src': ["'none'"],
        imgSrc: ['https:', 'data:'],
        'connect-src': ["'self'", 'wss://ws.example.com'],
      },
    },
  ],
  [
    'new directives are appended in the given order',
    { directives: { connectSrc: ["'self'"], reportUri: '/csp-report', reportTo: 'csp-endpoint' } },
  ],
  [
    'string values',
    { directives: { defaultSrc: "'self'", scriptSrc: "'self' https://cdn.example.com" } },
  ],
  ['Set values', { directives: { imgSrc: new Set(["'self'", 'data:', 'blob:']) } }],
  ['hash sources', { directives: { scriptSrc: ["'self'", SHA256, SHA384, SHA512] } }],
  [
    'strict-dynamic with a hash',
    { directives: { scriptSrc: ["'strict-dynamic'", SHA256, 'https:'] } },
  ],
  [
    'script keywords',
    {
      directives: {
        scriptSrc: [
          "'self'",
          "'wasm-unsafe-eval'",
          "'report-sample'",
          "'unsafe-hashes'",
          "'inline-speculation-rules'",
        ],
      },
    },
  ],
  ['upper-case quoted keyword', { directives: { scriptSrc: ["'SELF'", "'Unsafe-Eval'"] } }],
  [
    "helmet's dangerouslyDisableDefaultSrc",
    { directives: { defaultSrc: helmetDisable, scriptSrc: ["'self'"] } },
  ],
  [
    'dangerouslyDisableDefaultSrc without defaults',
    { useDefaults: false, directives: { defaultSrc: helmetDisable, scriptSrc: ["'self'"] } },
  ],
  [
    'every directive kind',
    {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrcElem: ["'self'", 'https://cdn.example.com/js/'],
        styleSrcAttr: ["'unsafe-hashes'", SHA256],
        workerSrc: ["'self'", 'blob:'],
        manifestSrc: ["'self'"],
        mediaSrc: ['https://media.example.com:8443'],
        fencedFrameSrc: ['https:'],
        frameSrc: ['https://*.example.com'],
        childSrc: ["'self'"],
        baseUri: ["'none'"],
        formAction: ["'self'", 'https://pay.example.com'],
        frameAncestors: ["'none'"],
        sandbox: ['allow-scripts', 'allow-same-origin'],
        requireTrustedTypesFor: ["'script'"],
        trustedTypes: ['default', 'dompurify', "'allow-duplicates'"],
        webrtc: ["'block'"],
        upgradeInsecureRequests: [],
        blockAllMixedContent: [],
        reportUri: ['https://report.example.com/csp', '/csp'],
        reportTo: ['csp-endpoint'],
      },
    },
  ],
  ['valueless sandbox', { directives: { sandbox: [] } }],
  ['empty source list', { directives: { scriptSrc: [] } }],
  ['empty-string entry', { directives: { scriptSrc: ["'self'", ''] } }],
  ['only an empty string', { directives: { imgSrc: [''] } }],
  ['spaces inside a string', { directives: { scriptSrc: ["'self'  https://a.example.com "] } }],
  [
    'reportOnly without defaults',
    { reportOnly: true, useDefaults: false, directives: { defaultSrc: ["'none'"] } },
  ],
  [
    'wildcards and ports',
    {
      directives: {
        connectSrc: ['*', 'http://localhost:*', 'ws://127.0.0.1:3000', '*.example.com'],
      },
    },
  ],
  ['function value', { directives: { scriptSrc: ["'self'", () => "'nonce-abc123'"] } }],
  ['function-only directive', { directives: { styleSrc: [() => "'self'"] } }],
  [
    'function values: empty-string directive formatting of the dynamic path',
    { directives: { imgSrc: [''], scriptSrc: [() => "'self'"] } },
  ],
  ['function returning an empty string', { directives: { scriptSrc: ["'self'", () => ''] } }],
]

describe('byte-for-byte parity with helmet 8 (accepted options)', () => {
  it.each(ACCEPTED)('%s', (_label, options) => {
    const theirs = runHelmet(options)
    if (!theirs.ok)
      throw new Error(`helmet rejected a case listed as accepted: ${String(theirs.error)}`)
    const ours = runOurs(options)
    expect(ours.issues).toEqual([])
    expect(ours.plan?.name).toBe(theirs.name)
    expect(ours.value).toBe(theirs.value)
  })

  it('renders helmet’s exact default policy', () => {
    expect(runOurs(undefined).value).toBe(
      "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests",
    )
    expect(runOurs(true).value).toBe(
      runHelmet(undefined).ok && (runHelmet(undefined) as { value: string }).value,
    )
  })
})

/** Option sets helmet rejects (at construction, per request, or through Node's header check). */
const REJECTED: Array<[string, unknown]> = [
  ['options null', null],
  ['no directives at all', { useDefaults: false }],
  ['empty directives without defaults', { useDefaults: false, directives: {} }],
  [
    'only the disabled default-src',
    { useDefaults: false, directives: { defaultSrc: helmetDisable } },
  ],
  ['no default-src', { useDefaults: false, directives: { scriptSrc: ["'self'"] } }],
  ['default-src null', { directives: { defaultSrc: null } }],
  ['default-src null (kebab)', { directives: { 'default-src': null } }],
  ['disable symbol on another directive', { directives: { scriptSrc: helmetDisable } }],
  ['duplicate camel + kebab', { directives: { scriptSrc: ["'self'"], 'script-src': ["'self'"] } }],
  ['duplicate default-src', { directives: { 'default-src': ["'self'"], defaultSrc: ["'self'"] } }],
  ['name starting upper-case', { directives: { 'Script-src': ["'self'"] } }],
  ['name with underscore', { directives: { script_src: ["'self'"] } }],
  ['empty name', { directives: { '': ["'self'"] } }],
  ['name ending with a hyphen', { directives: { 'script-src-': ["'self'"] } }],
  ['name starting with a digit', { directives: { '1script': ["'self'"] } }],
  ['name with a space', { directives: { 'script src': ["'self'"] } }],
  ['directives as a string', { directives: 'default-src' }],
  ...[
    'self',
    'none',
    'unsafe-inline',
    'unsafe-eval',
    'strict-dynamic',
    'report-sample',
    'unsafe-hashes',
    'wasm-unsafe-eval',
    'inline-speculation-rules',
  ].map((keyword): [string, unknown] => [
    `unquoted ${keyword}`,
    { directives: { scriptSrc: [keyword] } },
  ]),
  ['unquoted nonce', { directives: { scriptSrc: ['nonce-abc'] } }],
  ['unquoted sha256', { directives: { scriptSrc: ['sha256-abc'] } }],
  ['unquoted sha384', { directives: { scriptSrc: ['sha384-abc'] } }],
  ['unquoted sha512', { directives: { scriptSrc: ['sha512-abc'] } }],
  ['unquoted keyword as a string value', { directives: { defaultSrc: 'self' } }],
  ['unquoted keyword in report-to', { directives: { reportTo: 'self' } }],
  ['semicolon', { directives: { scriptSrc: ["'self';"] } }],
  ['semicolon smuggling a directive', { directives: { scriptSrc: "'self'; object-src *" } }],
  ['comma', { directives: { imgSrc: ['a.example.com,b.example.com'] } }],
  ['CR LF (Node refuses the header)', { directives: { scriptSrc: ["'self'\r\nSet-Cookie: a=b"] } }],
  ['LF (Node refuses the header)', { directives: { scriptSrc: ["'self'\nx"] } }],
  ['NUL (Node refuses the header)', { directives: { scriptSrc: ["'self'\u0000"] } }],
  [
    'non-Latin-1 character (Node refuses the header)',
    { directives: { imgSrc: ['https://例え.jp'] } },
  ],
  ['value undefined', { directives: { scriptSrc: undefined } }],
  ['value false', { directives: { scriptSrc: false } }],
  ['value 0', { directives: { scriptSrc: 0 } }],
  ['value true', { directives: { scriptSrc: true } }],
  ['value a number', { directives: { scriptSrc: 42 } }],
  ['value a plain object', { directives: { scriptSrc: { self: true } } }],
  ['value a bare function', { directives: { scriptSrc: () => "'self'" } }],
  ['value another symbol', { directives: { scriptSrc: Symbol('other') } }],
  ['upgrade-insecure-requests true', { directives: { upgradeInsecureRequests: true } }],
  ['function returning an unquoted keyword', { directives: { scriptSrc: [() => 'self'] } }],
  ['function returning an unquoted nonce', { directives: { scriptSrc: [() => 'nonce-abc'] } }],
  ['function returning a semicolon', { directives: { scriptSrc: [() => "'self'; object-src *"] } }],
  ['function returning a comma', { directives: { scriptSrc: [() => 'a,b'] } }],
  ['function returning CR LF', { directives: { scriptSrc: [() => "'self'\r\nX-Evil: 1"] } }],
  [
    'function throwing',
    {
      directives: {
        scriptSrc: [
          () => {
            throw new Error('boom')
          },
        ],
      },
    },
  ],
  [
    'function returning a non-string',
    { directives: { scriptSrc: [() => undefined as unknown as string] } },
  ],
]

describe('differential: whatever helmet rejects, we reject too', () => {
  it.each(REJECTED)('%s', (_label, options) => {
    const theirs = runHelmet(options)
    expect(theirs.ok).toBe(false)
    const ours = runOurs(options)
    // Construction-time problems are issues; helmet's per-request failures are render errors.
    if (ours.plan === undefined) expect(ours.issues.length).toBeGreaterThan(0)
    else {
      expect(ours.issues).toEqual([])
      expect(ours.plan.dynamic).toBe(true)
      expect(ours.error).toBeInstanceOf(Error)
    }
  })
})

describe('defaults and the escape hatch', () => {
  it('HELMET_DEFAULT_DIRECTIVES is helmet’s getDefaultDirectives(), same order, frozen', () => {
    const theirs = helmetCsp.getDefaultDirectives()
    expect(Object.keys(HELMET_DEFAULT_DIRECTIVES)).toEqual(Object.keys(theirs))
    for (const [name, value] of Object.entries(theirs)) {
      expect(HELMET_DEFAULT_DIRECTIVES[name as keyof typeof HELMET_DEFAULT_DIRECTIVES]).toEqual([
        ...value,
      ])
    }
    expect(Object.isFrozen(HELMET_DEFAULT_DIRECTIVES)).toBe(true)
    expect(Object.values(HELMET_DEFAULT_DIRECTIVES).every(Object.isFrozen)).toBe(true)
  })

  it('spreading HELMET_DEFAULT_DIRECTIVES with useDefaults: false gives the default policy', () => {
    const options = { useDefaults: false, directives: { ...HELMET_DEFAULT_DIRECTIVES } }
    expect(runOurs(options).value).toBe((runHelmet(undefined) as { value: string }).value)
  })

  it('our dangerouslyDisableDefaultSrc does what helmet’s does', () => {
    const ours = runOurs({ directives: { defaultSrc: dangerouslyDisableDefaultSrc } })
    const theirs = runHelmet({ directives: { defaultSrc: helmetDisable } })
    expect(ours.value).toBe((theirs as { value: string }).value)
    expect(dangerouslyDisableDefaultSrc).not.toBe(helmetDisable)
  })
})

/**
 * Deliberate differences: helmet sends these, but each one is a policy that does not do what
 * it says (or something helmet only catches per request), so we report it at construction.
 */
const STRICTER: Array<[string, unknown]> = [
  ['unknown directive (a typo)', { directives: { scriptSource: ["'self'"] } }],
  [
    'capital after a hyphen (helmet sends script--src)',
    { directives: { 'script-Src': ["'self'"] } },
  ],
  [
    'unquoted keyword among others in one string',
    { directives: { scriptSrc: "'self' unsafe-inline" } },
  ],
  ['unquoted keyword in another case', { directives: { scriptSrc: ['SELF'] } }],
  ['misspelt quoted keyword', { directives: { scriptSrc: ["'unsafe_inline'"] } }],
  ['quoted scheme', { directives: { imgSrc: ["'data:'"] } }],
  ['bare scheme name', { directives: { imgSrc: ['data'] } }],
  [
    'hex hash',
    {
      directives: {
        scriptSrc: ["'sha256-e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'"],
      },
    },
  ],
  ['truncated hash', { directives: { scriptSrc: ["'sha256-abc'"] } }],
  ['fixed nonce', { directives: { scriptSrc: ["'nonce-abc'"] } }],
  ["'none' with other sources", { directives: { objectSrc: ["'none'", "'self'"] } }],
  [
    "'strict-dynamic' with no nonce or hash",
    { directives: { scriptSrc: ["'strict-dynamic'", 'https:'] } },
  ],
  ['query in a source', { directives: { scriptSrc: ['https://cdn.example.com/a.js?v=1'] } }],
  ['value for a valueless directive', { directives: { upgradeInsecureRequests: ['yes'] } }],
  ['report-to given a URL', { directives: { reportTo: 'https://example.com/r' } }],
  ['sandbox typo', { directives: { sandbox: ['allow-script'] } }],
  [
    'frame-ancestors with a keyword it ignores',
    { directives: { frameAncestors: ["'unsafe-inline'"] } },
  ],
  ['a tab (Node allows it)', { directives: { scriptSrc: ["'self'\thttps:"] } }],
  ['Latin-1 (Node allows it)', { directives: { imgSrc: ['https://bücher.example'] } }],
  ['a number entry (helmet sends "5")', { directives: { imgSrc: ["'self'", 5] } }],
  [
    'a (req, res) function',
    { directives: { scriptSrc: [(_req: unknown, _res: unknown) => "'self'"] } },
  ],
  ['a directive outside `directives` (helmet ignores it)', { scriptSrc: ["'self'"] }],
  ['a string option (helmet sends its defaults)', "default-src 'none'"],
  ['a non-boolean useDefaults', { useDefaults: 'no' }],
  ['directives: null', { directives: null }],
]

describe('deliberately stricter than helmet', () => {
  it.each(STRICTER)('%s', (_label, options) => {
    expect(runHelmet(options).ok).toBe(true)
    expect(runOurs(options).issues.length).toBeGreaterThan(0)
  })
})
