/**
 * The apps the HTTP harness loads: each framework in variants that differ only in the
 * middleware in front of one route returning a small JSON body: Rampart's adapter alone or with
 * a trivial guard (adapter overhead), `securityHeaders()` against each framework's usual
 * security-headers middleware (helmet, koa-helmet, Hono's `secureHeaders()`), and `rateLimit()`
 * against each framework's usual in-memory rate limiter (express-rate-limit, koa-ratelimit,
 * hono-rate-limiter).
 * @module
 */

import type { IncomingMessage, Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { defineGuard } from '@rampart/core'
import { securityHeaders } from '@rampart/headers'
import { rateLimit } from '@rampart/rate-limiter'

export const FRAMEWORKS = ['express', 'koa', 'hono'] as const
export type Framework = (typeof FRAMEWORKS)[number]

/** Every variant, in table order. */
export const VARIANTS = [
  'bare',
  'noop',
  'rampart()',
  'rampart(guard)',
  'rampart(securityHeaders())',
  'anchor',
  'rampart(rateLimit())',
  'rate-limit-anchor',
] as const
export type Variant = (typeof VARIANTS)[number]

/** The variants run unless `BENCH_VARIANTS` says otherwise (`noop` is a control, opt-in). */
export const DEFAULT_VARIANTS: readonly Variant[] = VARIANTS.filter((v) => v !== 'noop')

/** Short names accepted in `BENCH_VARIANTS` besides the variants themselves. */
export const VARIANT_ALIASES: Readonly<Record<string, Variant>> = {
  rampart: 'rampart()',
  guard: 'rampart(guard)',
  headers: 'rampart(securityHeaders())',
  'rate-limit': 'rampart(rateLimit())',
}

/** The variants of the adapter-overhead table (`bare` is the reference of both tables). */
export const ADAPTER_VARIANTS: readonly Variant[] = ['bare', 'noop', 'rampart()', 'rampart(guard)']

/** The variants of the `@rampart/headers` table: ours against the framework's usual middleware. */
export const HEADERS_VARIANTS: readonly Variant[] = ['bare', 'rampart(securityHeaders())', 'anchor']

/** The variants of the `@rampart/rate-limiter` table: ours against the framework's usual limiter. */
export const RATE_LIMIT_VARIANTS: readonly Variant[] = [
  'bare',
  'rampart(rateLimit())',
  'rate-limit-anchor',
]

/** A framework's usual middleware for a job, as the tables name it. */
export interface Anchor {
  readonly label: string
  /** The npm package, for its version. */
  readonly pkg: string
}

/** What the `anchor` variant runs in each framework, as the tables name it. */
export const ANCHORS: Readonly<Record<Framework, Anchor>> = {
  express: { label: 'helmet()', pkg: 'helmet' },
  koa: { label: 'koaHelmet()', pkg: 'koa-helmet' },
  hono: { label: 'secureHeaders()', pkg: 'hono' },
}

/** What the `rate-limit-anchor` variant runs in each framework. */
export const RATE_LIMIT_ANCHORS: Readonly<Record<Framework, Anchor>> = {
  express: { label: 'rateLimit()', pkg: 'express-rate-limit' },
  koa: { label: "ratelimit({ driver: 'memory' })", pkg: 'koa-ratelimit' },
  hono: { label: 'rateLimiter()', pkg: 'hono-rate-limiter' },
}

/** How a variant is shown in the tables: an anchor under its own name. */
export function variantLabel(framework: Framework, variant: Variant): string {
  if (variant === 'anchor') return ANCHORS[framework].label
  if (variant === 'rate-limit-anchor') return RATE_LIMIT_ANCHORS[framework].label
  return variant
}

/** What each variant means, for the README. */
export const VARIANT_NOTES: Readonly<Record<Variant, string>> = {
  bare: 'the framework alone: one route answering `{"hello":"world"}`',
  noop: 'the same app with an empty pass-through middleware: what any middleware costs in that framework',
  'rampart()': 'the same app with `app.use(rampart())`: the adapter with no guard',
  'rampart(guard)':
    'the same app with `app.use(rampart(guard))`, a guard whose request phase stages one response header',
  'rampart(securityHeaders())':
    "the same app with `app.use(rampart(securityHeaders()))`: helmet's default header set",
  anchor:
    "the same app with the framework's usual security-headers middleware sending the same headers: `helmet()` (Express), `koaHelmet()` from koa-helmet (Koa), `secureHeaders()` from `hono/secure-headers` configured to helmet's values (Hono)",
  'rampart(rateLimit())':
    "the same app with `app.use(rampart(rateLimit({ limit: 1_000_000_000, window: '1m' })))`: our defaults (sliding window, memory store, keyed by client IP, `RateLimit` headers), a limit no run reaches",
  'rate-limit-anchor':
    "the same app with the framework's usual in-memory rate limiter, same limit and window, keyed by client IP: express-rate-limit `rateLimit()` (Express), koa-ratelimit `ratelimit({ driver: 'memory' })` (Koa), hono-rate-limiter `rateLimiter()` (Hono)",
}

/** The rate-limit variants' policy: a minute, and a limit no run reaches (nothing is refused). */
export const RATE_LIMIT = { limit: 1_000_000_000, window: '1m', windowMs: 60_000 } as const

/** The anchors' client key: the socket's address, as ours keys by default (no proxy here). */
const socketAddress = (address: string | undefined) => address ?? 'unknown'

/** Header the trivial guard stages; the harness checks it arrives. */
export const GUARD_HEADER = 'x-bench'

/** The smallest useful guard: a synchronous request phase that stages one header. */
export const trivialGuard = defineGuard({
  name: 'bench-header',
  request(ctx) {
    ctx.response.headers.set(GUARD_HEADER, '1')
  },
})

export const BODY = { hello: 'world' } as const

/**
 * helmet's default policy as Hono `secureHeaders()` options: Hono's defaults are helmet's
 * except that it sends no CSP and a shorter HSTS max-age, so both are spelt out. (Hono joins
 * CSP directives with `; ` where helmet uses `;`: the same policy.)
 */
const HONO_HELMET_DEFAULTS = {
  strictTransportSecurity: 'max-age=31536000; includeSubDomains',
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    fontSrc: ["'self'", 'https:', 'data:'],
    formAction: ["'self'"],
    frameAncestors: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    objectSrc: ["'none'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'", 'https:', "'unsafe-inline'"],
    upgradeInsecureRequests: [],
  },
}

/** Listens on 127.0.0.1 with an OS-chosen port and resolves once listening. */
function listen(server: Server): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}

/** Starts one app on 127.0.0.1 and returns its server (the port is in `server.address()`). */
export async function startApp(framework: Framework, variant: Variant): Promise<Server> {
  switch (framework) {
    case 'express': {
      const { default: express } = await import('express')
      const { rampart } = await import('@rampart/express')
      const app = express()
      if (variant === 'noop') app.use((_req, _res, next) => next())
      if (variant === 'rampart()') app.use(rampart())
      if (variant === 'rampart(guard)') app.use(rampart(trivialGuard))
      if (variant === 'rampart(securityHeaders())') app.use(rampart(securityHeaders()))
      if (variant === 'anchor') {
        const { default: helmet } = await import('helmet')
        app.use(helmet())
      }
      if (variant === 'rampart(rateLimit())') {
        app.use(rampart(rateLimit({ limit: RATE_LIMIT.limit, window: RATE_LIMIT.window })))
      }
      if (variant === 'rate-limit-anchor') {
        const { rateLimit: expressRateLimit } = await import('express-rate-limit')
        app.use(
          expressRateLimit({
            windowMs: RATE_LIMIT.windowMs,
            limit: RATE_LIMIT.limit,
            // The IETF draft's `RateLimit` + `RateLimit-Policy`, as ours sends (default: draft-6
            // and the legacy X-RateLimit-* headers too).
            standardHeaders: 'draft-8',
            legacyHeaders: false,
          }),
        )
      }
      app.get('/', (_req, res) => {
        res.json(BODY)
      })
      const { createServer } = await import('node:http')
      return listen(createServer(app))
    }
    case 'koa': {
      const { default: Koa } = await import('koa')
      const { rampart } = await import('@rampart/koa')
      const app = new Koa()
      if (variant === 'noop') app.use((_ctx, next) => next())
      if (variant === 'rampart()') app.use(rampart())
      if (variant === 'rampart(guard)') app.use(rampart(trivialGuard))
      if (variant === 'rampart(securityHeaders())') app.use(rampart(securityHeaders()))
      if (variant === 'anchor') {
        const { default: koaHelmet } = await import('koa-helmet')
        app.use(koaHelmet())
      }
      if (variant === 'rampart(rateLimit())') {
        app.use(rampart(rateLimit({ limit: RATE_LIMIT.limit, window: RATE_LIMIT.window })))
      }
      if (variant === 'rate-limit-anchor') {
        // koa-ratelimit's memory driver (its default is Redis); it sends X-RateLimit-* headers.
        const { default: ratelimit } = await import('koa-ratelimit')
        app.use(
          ratelimit({
            driver: 'memory',
            db: new Map(),
            duration: RATE_LIMIT.windowMs,
            max: RATE_LIMIT.limit,
            id: (ctx) => socketAddress(ctx.req.socket.remoteAddress),
          }),
        )
      }
      app.use((ctx) => {
        ctx.body = BODY
      })
      const { createServer } = await import('node:http')
      return listen(createServer(app.callback()))
    }
    case 'hono': {
      const { Hono } = await import('hono')
      const { createAdaptorServer } = await import('@hono/node-server')
      const { rampart } = await import('@rampart/hono')
      const app = new Hono()
      if (variant === 'noop') app.use((_c, next) => next())
      if (variant === 'rampart()') app.use(rampart())
      if (variant === 'rampart(guard)') app.use(rampart(trivialGuard))
      if (variant === 'rampart(securityHeaders())') app.use(rampart(securityHeaders()))
      if (variant === 'anchor') {
        const { secureHeaders } = await import('hono/secure-headers')
        app.use(secureHeaders(HONO_HELMET_DEFAULTS))
      }
      if (variant === 'rampart(rateLimit())') {
        app.use(rampart(rateLimit({ limit: RATE_LIMIT.limit, window: RATE_LIMIT.window })))
      }
      if (variant === 'rate-limit-anchor') {
        const { rateLimiter } = await import('hono-rate-limiter')
        app.use(
          rateLimiter({
            windowMs: RATE_LIMIT.windowMs,
            limit: RATE_LIMIT.limit,
            // `RateLimit` + `RateLimit-Policy`, the closest it has to ours (default: draft-6).
            standardHeaders: 'draft-7',
            // It has no default key; this is the address @hono/node-server passes in `c.env`,
            // the one our adapter keys by.
            keyGenerator: (c) =>
              socketAddress(
                (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket
                  .remoteAddress,
              ),
          }),
        )
      }
      app.get('/', (c) => c.json(BODY))
      return listen(createAdaptorServer({ fetch: app.fetch }) as Server)
    }
  }
}

/** The port a started app listens on. */
export function portOf(server: Server): number {
  return (server.address() as AddressInfo).port
}
