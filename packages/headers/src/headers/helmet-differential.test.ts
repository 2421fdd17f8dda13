/**
 * Differential tests: for each helmet option, helmet 8.3's own middleware and our compiler get
 * the same value, and must produce the same header names and bytes (or, for values helmet
 * throws on, we must report an issue).
 */
import type { ConfigIssue } from '@rampart/core'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { isSafeHeaderValue } from '../header-plan.js'
import { HELMET_HEADERS, type HelmetHeaderEntry, type HelmetOption } from './helmet-headers.js'

// biome-ignore lint/suspicious/noExplicitAny: helmet's typings import node:http, and this package is built without Node types; the tests also pass it values its types forbid
const helmet = (await import('helmet')).default as any

type Middleware = (req: unknown, res: unknown, next: (err?: unknown) => void) => void

interface Outcome {
  readonly set: readonly (readonly [string, string])[]
  readonly removed: readonly string[]
}

/** Runs one helmet middleware against a mock response: helmet only calls these two methods. */
function runHelmet(middleware: Middleware): Outcome {
  const set: [string, string][] = []
  const removed: string[] = []
  const res = {
    setHeader(name: string, value: unknown) {
      set.push([name, String(value)])
    },
    removeHeader(name: string) {
      removed.push(name)
    },
  }
  let error: unknown
  middleware({}, res, (err) => {
    error = err
  })
  expect(error).toBeUndefined()
  return { set, removed }
}

/** Our side of the same option, in the same shape. */
function runOurs(entry: HelmetHeaderEntry, value: unknown): Outcome & { issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = []
  if (entry.kind === 'remove') {
    return { set: [], removed: entry.compile(value, entry.option, issues), issues }
  }
  const headers = entry.compile(value, entry.option, issues)
  return { set: headers.map((h) => [h.name, h.value] as const), removed: [], issues }
}

/** helmet() with every other header turned off, so only `option` speaks. */
function helmetOnly(option: string, value: unknown): Middleware {
  const options: Record<string, unknown> = { contentSecurityPolicy: false }
  for (const entry of HELMET_HEADERS) options[entry.option] = false
  delete options[option]
  if (value !== undefined) options[option] = value
  return helmet(options)
}

function entryFor(option: HelmetOption): HelmetHeaderEntry {
  const entry = HELMET_HEADERS.find((e) => e.option === option)
  if (!entry) throw new Error(`no entry ${option}`)
  return entry
}

const COMMON = [undefined, true, false, {}]
const REFERRER_TOKENS = [
  'no-referrer',
  'no-referrer-when-downgrade',
  'same-origin',
  'origin',
  'strict-origin',
  'origin-when-cross-origin',
  'strict-origin-when-cross-origin',
  'unsafe-url',
  '',
]

/** Values helmet accepts, per option. Each one is run through helmet and through us. */
const VALID: Record<HelmetOption, readonly unknown[]> = {
  crossOriginEmbedderPolicy: [
    ...COMMON,
    { policy: undefined },
    ...['require-corp', 'credentialless', 'unsafe-none'].map((policy) => ({ policy })),
  ],
  crossOriginOpenerPolicy: [
    ...COMMON,
    ...['same-origin', 'same-origin-allow-popups', 'noopener-allow-popups', 'unsafe-none'].map(
      (policy) => ({ policy }),
    ),
  ],
  crossOriginResourcePolicy: [
    ...COMMON,
    ...['same-origin', 'same-site', 'cross-origin'].map((policy) => ({ policy })),
  ],
  originAgentCluster: COMMON,
  referrerPolicy: [
    ...COMMON,
    ...REFERRER_TOKENS.map((policy) => ({ policy })),
    ...REFERRER_TOKENS.map((policy) => ({ policy: [policy] })),
    { policy: ['origin', 'unsafe-url'] },
    { policy: ['', 'no-referrer'] },
    { policy: ['no-referrer', 'strict-origin-when-cross-origin'] },
    { policy: REFERRER_TOKENS },
    { policy: [...REFERRER_TOKENS].reverse() },
  ],
  strictTransportSecurity: [
    ...COMMON,
    ...[0, -0, 1, 1.9, 59.999, 86400, 123456789, 31536000, 63072000, 2 ** 31, 2 ** 40]
      .concat([Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, 0.5])
      .map((maxAge) => ({ maxAge })),
    { maxAge: undefined },
    { includeSubDomains: false },
    { includeSubDomains: true },
    { includeSubDomains: undefined },
    { preload: true },
    { preload: false },
    { includeSubDomains: false, preload: true },
    { maxAge: 0, includeSubDomains: false, preload: false },
    { maxAge: 63072000, includeSubDomains: true, preload: true },
  ],
  xContentTypeOptions: COMMON,
  xDnsPrefetchControl: [...COMMON, { allow: true }, { allow: false }, { allow: undefined }],
  xDownloadOptions: COMMON,
  xFrameOptions: [
    ...COMMON,
    ...['deny', 'DENY', 'Deny', 'sameorigin', 'SAMEORIGIN', 'SameOrigin', 'same-origin']
      .concat(['SAME-ORIGIN', 'Same-Origin', '\u017fameorigin'])
      .map((action) => ({ action })),
    { action: undefined },
  ],
  xPermittedCrossDomainPolicies: [
    ...COMMON,
    ...['none', 'master-only', 'by-content-type', 'all'].map((permittedPolicies) => ({
      permittedPolicies,
    })),
  ],
  xPoweredBy: COMMON,
  xXssProtection: COMMON,
}

/** Values helmet throws on (checked below); each must be an issue for us too. */
const HELMET_THROWS: Partial<Record<HelmetOption, readonly unknown[]>> = {
  crossOriginEmbedderPolicy: [
    null,
    { policy: 'foo' },
    { policy: 'REQUIRE-CORP' },
    { policy: 'require-corp ' },
    { policy: 123 },
    { policy: null },
    { policy: ['require-corp'] },
  ],
  crossOriginOpenerPolicy: [
    null,
    { policy: 'same-site' },
    { policy: 'Same-Origin' },
    { policy: null },
    { policy: '' },
  ],
  crossOriginResourcePolicy: [
    null,
    { policy: 'same-origin-allow-popups' },
    { policy: '' },
    { policy: false },
  ],
  referrerPolicy: [
    null,
    { policy: [] },
    { policy: 'foo' },
    { policy: 'NO-REFERRER' },
    { policy: 'no-referrer ' },
    { policy: ['origin', 'origin'] },
    { policy: ['', ''] },
    { policy: ['origin', 'nope'] },
    { policy: 5 },
    { policy: null },
    { policy: [null] },
    { policy: new Set(['origin']) },
    { policy: 'origin,unsafe-url' },
  ],
  strictTransportSecurity: [
    null,
    'yes',
    { maxAge: -1 },
    { maxAge: -0.5 },
    { maxAge: Number.NaN },
    { maxAge: Number.POSITIVE_INFINITY },
    { maxAge: Number.NEGATIVE_INFINITY },
    { maxAge: '100' },
    { maxAge: null },
    { maxAge: 10n },
    { maxAge: [5] },
    { maxage: 5 },
    { includeSubdomains: true },
    { includeSubdomains: false, maxAge: 5 },
  ],
  xDnsPrefetchControl: [null],
  xFrameOptions: [
    null,
    { action: 'allow-from' },
    { action: 'ALLOW-FROM https://example.com' },
    { action: 'foo' },
    { action: 'same_origin' },
    { action: '' },
    { action: 5 },
    { action: null },
    { action: ['deny'] },
  ],
  xPermittedCrossDomainPolicies: [
    null,
    { permittedPolicies: 'foo' },
    { permittedPolicies: 'NONE' },
    { permittedPolicies: null },
    { permittedPolicies: true },
  ],
}

/**
 * Values helmet accepts (silently, or with a console warning) that Rampart reports, on
 * purpose: each is almost certainly a mistake that helmet papers over.
 */
const STRICTER: Partial<Record<HelmetOption, readonly unknown[]>> = {
  // helmet destructures `{ policy }` from the string, gets undefined, sends the default.
  crossOriginOpenerPolicy: ['unsafe-none', 1],
  crossOriginResourcePolicy: ['cross-origin'],
  // helmet warns "does not take options" and sends the header.
  originAgentCluster: [{ foo: 1 }, 'yes', null],
  xContentTypeOptions: [{ nosniff: true }],
  // helmet reads `allow` by truthiness: 'false' turns prefetching ON.
  xDnsPrefetchControl: [{ allow: 'false' }, { allow: 1 }, 'on', { alow: true }],
  strictTransportSecurity: [
    { includeSubDomains: 'false' },
    { preload: 1 },
    // helmet would send `max-age=1e+21`, which is not a number of seconds.
    { maxAge: 1e21 },
    { maxAge: 2 ** 53 },
    // helmet 4 dropped setIf; helmet 8 ignores it silently.
    { setIf: () => true },
    { maxAges: 5 },
  ],
  // helmet skips holes in a sparse array and sends ",no-referrer".
  // biome-ignore lint/suspicious/noSparseArray: the hole is the point of the case
  referrerPolicy: [{ policy: [, 'no-referrer'] }, { policy: 'origin', extra: true }],
  xFrameOptions: [{ action: 'deny', domain: 'https://example.com' }],
  xPoweredBy: [{ setTo: 'PHP 4.2.0' }],
  xXssProtection: [{ mode: 'block' }],
}

describe('helmet differential: same bytes for every value helmet accepts', () => {
  let warn: ReturnType<typeof vi.spyOn>
  beforeEach(() => {
    // helmet warns about `{}` for headers without options; that is expected here.
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
  })
  afterEach(() => warn.mockRestore())

  const cases = Object.entries(VALID).flatMap(([option, values]) =>
    values.map((value) => [option as HelmetOption, value] as const),
  )
  it.each(cases)('%s: %o', (option, value) => {
    const entry = entryFor(option)
    const ours = runOurs(entry, value)
    expect(ours.issues).toEqual([])
    // Through helmet(): covers helmet's true/false/undefined switch and defaults.
    const viaHelmet = runHelmet(helmetOnly(option, value))
    expect(ours.set).toEqual(viaHelmet.set)
    expect(ours.removed).toEqual(viaHelmet.removed)
    // Through the header's own middleware, for object values (what the switch passes on).
    if (typeof value === 'object' && value !== null) {
      const direct = runHelmet(helmet[option](value))
      expect(ours.set).toEqual(direct.set)
      expect(ours.removed).toEqual(direct.removed)
    }
    // Every value we produce passes the shared header-value check.
    for (const [, headerValue] of ours.set) expect(isSafeHeaderValue(headerValue)).toBe(true)
  })

  it('sends every default header, in the same order, with the same bytes as helmet()', () => {
    const viaHelmet = runHelmet(helmet({ contentSecurityPolicy: false }))
    const set: (readonly [string, string])[] = []
    const removed: string[] = []
    for (const entry of HELMET_HEADERS) {
      const ours = runOurs(entry, undefined)
      expect(ours.issues).toEqual([])
      set.push(...ours.set)
      removed.push(...ours.removed)
      expect(ours.set.length + ours.removed.length > 0).toBe(entry.defaultOn)
    }
    expect(set).toEqual(viaHelmet.set)
    expect(removed).toEqual(viaHelmet.removed)
    expect(set.map(([name]) => name)).toEqual([
      'Cross-Origin-Opener-Policy',
      'Cross-Origin-Resource-Policy',
      'Origin-Agent-Cluster',
      'Referrer-Policy',
      'Strict-Transport-Security',
      'X-Content-Type-Options',
      'X-DNS-Prefetch-Control',
      'X-Download-Options',
      'X-Frame-Options',
      'X-Permitted-Cross-Domain-Policies',
      'X-XSS-Protection',
    ])
  })

  it('lists every helmet option except contentSecurityPolicy, with helmet’s aliases', () => {
    const helmetOptions = [
      'crossOriginEmbedderPolicy',
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
    ]
    expect(HELMET_HEADERS.map((e) => e.option)).toEqual(helmetOptions)
    // helmet exports each legacy alias as the very same function as its canonical option.
    const aliasesInHelmet = Object.keys(helmet).filter(
      (key) => key !== 'contentSecurityPolicy' && !helmetOptions.includes(key),
    )
    const ourAliases = HELMET_HEADERS.flatMap((e) => e.aliases)
    expect(ourAliases.slice().sort()).toEqual(aliasesInHelmet.slice().sort())
    for (const entry of HELMET_HEADERS) {
      for (const alias of entry.aliases) expect(helmet[alias]).toBe(helmet[entry.option])
    }
  })

  it('treats each legacy alias like its option inside helmet()', () => {
    for (const entry of HELMET_HEADERS) {
      for (const alias of entry.aliases) {
        for (const value of VALID[entry.option]) {
          const options: Record<string, unknown> = { contentSecurityPolicy: false }
          for (const other of HELMET_HEADERS) if (other !== entry) options[other.option] = false
          if (value !== undefined) options[alias] = value
          const viaAlias = runHelmet(helmet(options))
          const ours = runOurs(entry, value)
          expect(ours.set).toEqual(viaAlias.set)
          expect(ours.removed).toEqual(viaAlias.removed)
        }
      }
    }
  })
})

describe('helmet differential: values helmet throws on are issues for us', () => {
  const cases = Object.entries(HELMET_THROWS).flatMap(([option, values]) =>
    values.map((value) => [option as HelmetOption, value] as const),
  )
  it.each(cases)('%s: %o', (option, value) => {
    // The header's own middleware throws. (helmet() itself does not always: for aliased
    // options it reads `option ?? alias`, so a `null` there means "not given".)
    expect(() => helmet[option](value)).toThrow()
    const ours = runOurs(entryFor(option), value)
    expect(ours.issues.length).toBeGreaterThan(0)
    expect(ours.set).toEqual([])
    for (const issue of ours.issues) expect(issue.path.startsWith(option)).toBe(true)
  })
})

describe('helmet differential: stricter than helmet, on purpose', () => {
  let warn: ReturnType<typeof vi.spyOn>
  beforeEach(() => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
  })
  afterEach(() => warn.mockRestore())

  const cases = Object.entries(STRICTER).flatMap(([option, values]) =>
    values.map((value) => [option as HelmetOption, value] as const),
  )
  it.each(cases)('%s: %o', (option, value) => {
    expect(() => helmet({ contentSecurityPolicy: false, [option]: value })).not.toThrow()
    const ours = runOurs(entryFor(option), value)
    expect(ours.issues.length).toBeGreaterThan(0)
  })
})
