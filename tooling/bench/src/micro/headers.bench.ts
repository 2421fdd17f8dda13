/**
 * `@rampart/headers` `securityHeaders()` against helmet 8's middleware, on the same request and
 * the same Node `ServerResponse`.
 *
 * Each side does the whole job one request pays for:
 * - ours: the guard's request phase, run by core's `Engine`/`RequestRun` (the security context
 *   every adapter builds) over a minimal request source, then the staged headers merged into the
 *   response with `applyToNodeResponse`, the function the Express and Koa adapters call at
 *   `writeHead`;
 * - helmet: `helmet(options)(req, res, next)`, which sets and removes headers on `res` directly.
 *
 * Both write to a real `ServerResponse` (Node's header validation and storage included), reset
 * before every call to hold only the `X-Powered-By` header Express sets. (An earlier version used a
 * `Map`-backed mock without Node's per-header validation.) The check before timing compares the
 * final header maps (nonce values blanked).
 * @module
 */
import { randomBytes } from 'node:crypto'
import { Engine } from '@rampart/core'
import { OWASP_REMOVE_HEADERS, PRESETS, securityHeaders } from '@rampart/headers'
import helmet, { type HelmetOptions } from 'helmet'
import { formatNumber } from '../markdown.js'
import { anchorName, type CaseResult, defineSuite, microCase } from '../micro.js'
import {
  type BenchResponse,
  type Exchange,
  exchange,
  type MockRequest,
  next,
  throughEngine,
} from './node-exchange.js'

const POWERED_BY = [['X-Powered-By', 'Express']] as const

/** Eight distinct requests (paths, hosts, schemes, a handler-set header or two). */
const REQUESTS: readonly Exchange[] = [
  exchange('https', 'example.com', '/', POWERED_BY),
  exchange('https', 'app.example.com', '/dashboard?tab=1', POWERED_BY),
  exchange('http', 'localhost:3000', '/login', POWERED_BY),
  exchange('https', 'shop.example.org', '/cart/42', [...POWERED_BY, ['Content-Type', 'text/html']]),
  exchange('https', 'example.com', '/static/app.js', [...POWERED_BY, ['ETag', 'W/"1a-xyz"']]),
  exchange('http', '127.0.0.1:8080', '/api/items?page=2', POWERED_BY),
  exchange('https', 'docs.example.net', '/guide/intro', [
    ['Content-Type', 'text/html; charset=utf-8'],
  ]),
  exchange('https', 'example.com', '/search?q=rampart', POWERED_BY),
]

/**
 * One request through our guard: a `RequestRun` (the context adapters build), its request phase
 * (synchronous for this guard: `runRequest()` returns no promise), then the staged headers merged
 * into the response as the Express/Koa adapters do at `writeHead`.
 */
function ours(options?: Parameters<typeof securityHeaders>[0]): (ex: Exchange) => BenchResponse {
  const engine = new Engine<MockRequest>([securityHeaders(options)])
  return (ex) => throughEngine(engine, ex)
}

// --- the anchor side, written the way its users write it -------------------------------------

type Middleware = (req: MockRequest, res: BenchResponse, next: (error?: unknown) => void) => void

/** Express-style middleware run in order on the response, as a router would. */
function anchor(...stack: Middleware[]): (ex: Exchange) => BenchResponse {
  return ({ req, res }) => {
    res.reset()
    for (let i = 0; i < stack.length; i++) (stack[i] as Middleware)(req, res, next)
    return res
  }
}

const asMiddleware = (options?: HelmetOptions) => helmet(options) as unknown as Middleware

/** helmet's nonce recipe: a middleware puts a fresh nonce in `res.locals` ... */
const nonceMiddleware: Middleware = (_req, res, done) => {
  res.locals.cspNonce = randomBytes(16).toString('base64')
  done()
}
/** ... and a CSP function directive reads it back. */
const nonceSource = (_req: unknown, res: unknown) =>
  `'nonce-${(res as BenchResponse).locals.cspNonce}'`

/**
 * The `strict` preset's helmet-compatible options, taken from the preset itself (its other keys —
 * Permissions-Policy, Cache-Control, removals — are Rampart's own and go in STRICT_EXTRAS).
 */
const HELMET_STRICT: HelmetOptions = (() => {
  const {
    permissionsPolicy: _pp,
    cacheControl: _cc,
    removeHeaders: _rh,
    ...helmetKeys
  } = PRESETS.strict as Record<string, unknown>
  return helmetKeys as HelmetOptions
})()

/** What `strict` sends beyond helmet's options; a helmet user adds a middleware like this one. */
const STRICT_EXTRAS = (() => {
  const fixed = securityHeaders({ preset: 'strict' }).fixedHeaders
  const fixedValue = (name: string) => {
    const header = fixed.find((h) => h.name === name)
    if (header === undefined) throw new Error(`strict preset sends no ${name}`)
    return header.value
  }
  return {
    permissionsPolicy: fixedValue('Permissions-Policy'),
    cacheControl: fixedValue('Cache-Control'),
    remove: OWASP_REMOVE_HEADERS.filter((name) => name.toLowerCase() !== 'x-powered-by'),
  }
})()

const strictExtrasMiddleware: Middleware = (_req, res, done) => {
  res.setHeader('Permissions-Policy', STRICT_EXTRAS.permissionsPolicy)
  res.setHeader('Cache-Control', STRICT_EXTRAS.cacheControl)
  const remove = STRICT_EXTRAS.remove
  for (let i = 0; i < remove.length; i++) res.removeHeader(remove[i] as string)
  done()
}

// --- comparing results -------------------------------------------------------------------------

const NONCE = /'nonce-[A-Za-z0-9+/=_-]+'/g

/** The response's headers, sorted, with nonces blanked (each must still be there). */
function headerMap(result: unknown): Record<string, string> {
  const entries = Object.entries((result as BenchResponse).getHeaders()).sort(([a], [b]) =>
    a < b ? -1 : 1,
  )
  return Object.fromEntries(
    entries.map(([name, value]) => [name, String(value).replace(NONCE, "'nonce'")]),
  )
}

// --- the suite ---------------------------------------------------------------------------------

const DEFAULT = 'default options'
const NONCE_CASE = '`nonce: true`'

/** Our `nonce: true` against our static default: the target is at most 1 µs more per request. */
function nonceDelta(cases: readonly CaseResult[]): string | undefined {
  const base = cases.find((c) => c.name === DEFAULT)
  const nonce = cases.find((c) => c.name === NONCE_CASE)
  if (base === undefined || nonce === undefined) return undefined
  const delta = nonce.ours.avgNs - base.ours.avgNs
  const sign = delta >= 0 ? '+' : '−'
  return (
    `**${NONCE_CASE} over the static default, ours: ${sign}${formatNumber(Math.abs(delta), 0)} ns per request** ` +
    `(${formatNumber(base.ours.avgNs, 0)} → ${formatNumber(nonce.ours.avgNs, 0)} ns, ` +
    `${(base.ours.opsPerSec / nonce.ours.opsPerSec).toFixed(2)}× the time; target: at most +1,000 ns). ` +
    `helmet's recipe adds ${formatNumber(nonce.anchor.avgNs - base.anchor.avgNs, 0)} ns over its own default.`
  )
}

export default defineSuite({
  name: 'headers',
  title: '@rampart/headers vs helmet',
  ours: '@rampart/headers',
  anchor: anchorName('helmet'),
  description:
    "`securityHeaders()` against `helmet()` on the same request and the same Node `ServerResponse`. Ours is the whole per-request path: the adapters' request context (`RequestRun`), the guard's request phase, and the staged headers merged into the response (`applyToNodeResponse`, what the Express and Koa adapters run at `writeHead`); helmet's is its middleware setting headers on the response. Same resulting headers (checked before timing, nonces aside).",
  readmes: ['packages/headers/README.md'],
  summary: nonceDelta,
  cases: [
    microCase({
      name: DEFAULT,
      inputs: REQUESTS,
      ours: ours(),
      anchor: anchor(asMiddleware()),
      compare: headerMap,
    }),
    microCase({
      name: NONCE_CASE,
      inputs: REQUESTS,
      ours: ours({ nonce: true }),
      anchor: anchor(
        nonceMiddleware,
        asMiddleware({
          contentSecurityPolicy: {
            directives: {
              scriptSrc: ["'self'", nonceSource],
              styleSrc: ["'self'", 'https:', "'unsafe-inline'", nonceSource],
            },
          },
        }),
      ),
      compare: headerMap,
      note: "helmet's documented recipe: a middleware stores `crypto.randomBytes(16).toString('base64')` in `res.locals`, CSP function directives add it to `script-src` and `style-src` (where `nonce: true` puts ours).",
    }),
    microCase({
      name: "`preset: 'strict'`, helmet's headers only",
      inputs: REQUESTS,
      ours: ours({
        preset: 'strict',
        permissionsPolicy: false,
        cacheControl: false,
        removeHeaders: false,
      }),
      anchor: anchor(asMiddleware(HELMET_STRICT)),
      compare: headerMap,
      note: 'the strict preset without what helmet has no option for (`permissionsPolicy`, `cacheControl`, `removeHeaders` off); helmet configured to the same values.',
    }),
    microCase({
      name: "`preset: 'strict'`",
      inputs: REQUESTS,
      ours: ours({ preset: 'strict' }),
      anchor: anchor(asMiddleware(HELMET_STRICT), strictExtrasMiddleware),
      compare: headerMap,
      note: `helmet configured as above plus a middleware for the rest: \`Permissions-Policy\` and \`Cache-Control\` set, the ${STRICT_EXTRAS.remove.length} other OWASP disclosure headers removed.`,
    }),
  ],
})
