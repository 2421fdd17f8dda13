/**
 * The apps the HTTP harness loads: each framework in variants that differ only in the
 * middleware in front of one route returning a small JSON body: Rampart's adapter alone or with
 * a trivial guard (adapter overhead), `securityHeaders()` against each framework's usual
 * security-headers middleware (helmet, koa-helmet, Hono's `secureHeaders()`), and `rateLimit()`
 * against each framework's usual in-memory rate limiter (express-rate-limit, koa-ratelimit,
 * hono-rate-limiter), and the whole stack (`./stack-apps.ts`: Rampart's guards in one
 * `rampart()` against the anchors' middlewares) with a bare reference loaded the same way.
 * @module
 */

import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { defineGuard } from '@rampart/core'
import { securityHeaders } from '@rampart/headers'
import { rateLimit } from '@rampart/rate-limiter'
import {
  expressHeadersAnchor,
  expressRateLimitAnchor,
  honoHeadersAnchor,
  honoRateLimitAnchor,
  koaHeadersAnchor,
  koaRateLimitAnchor,
  RATE_LIMIT,
} from './anchors.js'

export { RATE_LIMIT }

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
  'stack-bare',
  'stack',
  'stack-anchor',
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

/**
 * The variants of the whole-stack table: the bare app, Rampart's stack and the anchors' stack,
 * all loaded with the stack's requests (`./stack-workload.ts`), so `stack-bare` is their
 * reference instead of `bare`.
 */
export const STACK_VARIANTS: readonly Variant[] = ['stack-bare', 'stack', 'stack-anchor']

/** The variant a variant's "vs bare" columns compare with: itself for the references. */
export function baseVariant(variant: Variant): Variant {
  return STACK_VARIANTS.includes(variant) ? 'stack-bare' : 'bare'
}

/** True for the variants loaded with the stack's requests (`GET` with a query, JSON `POST`). */
export function isStackVariant(variant: Variant): boolean {
  return STACK_VARIANTS.includes(variant)
}

/** A framework's usual middleware for a job, as the tables name it. */
export interface Anchor {
  readonly label: string
  /** The npm packages, for their versions. */
  readonly pkgs: readonly string[]
}

/** What the `anchor` variant runs in each framework, as the tables name it. */
export const ANCHORS: Readonly<Record<Framework, Anchor>> = {
  express: { label: 'helmet()', pkgs: ['helmet'] },
  koa: { label: 'koaHelmet()', pkgs: ['koa-helmet'] },
  hono: { label: 'secureHeaders()', pkgs: ['hono'] },
}

/** What the `rate-limit-anchor` variant runs in each framework. */
export const RATE_LIMIT_ANCHORS: Readonly<Record<Framework, Anchor>> = {
  express: { label: 'rateLimit()', pkgs: ['express-rate-limit'] },
  koa: { label: "ratelimit({ driver: 'memory' })", pkgs: ['koa-ratelimit'] },
  hono: { label: 'rateLimiter()', pkgs: ['hono-rate-limiter'] },
}

/** What the `stack-anchor` variant runs in each framework (besides the hand-written log and role check). */
export const STACK_ANCHORS: Readonly<Record<Framework, Anchor>> = {
  express: {
    label: 'helmet + express-rate-limit + mongo-sanitize + hpp',
    pkgs: ['helmet', 'express-rate-limit', 'express-mongo-sanitize', 'hpp'],
  },
  koa: { label: 'koa-helmet + koa-ratelimit', pkgs: ['koa-helmet', 'koa-ratelimit'] },
  hono: { label: 'secureHeaders + hono-rate-limiter', pkgs: ['hono', 'hono-rate-limiter'] },
}

/** How the `stack` variant is shown in the tables. */
export const STACK_LABEL = 'rampart(accessLog, headers, rateLimit, sanitize, rbac)'

/** How a variant is shown in the tables: an anchor under its own name. */
export function variantLabel(framework: Framework, variant: Variant): string {
  if (variant === 'anchor') return ANCHORS[framework].label
  if (variant === 'rate-limit-anchor') return RATE_LIMIT_ANCHORS[framework].label
  if (variant === 'stack-bare') return 'bare'
  if (variant === 'stack') return STACK_LABEL
  if (variant === 'stack-anchor') return STACK_ANCHORS[framework].label
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
  'stack-bare':
    'the framework alone, answering `GET /` and `POST /`, loaded with the stack requests (a `GET` with a query string and a JSON `POST`, in turn)',
  stack:
    "the same with one app-wide `rampart(accessLog(), securityHeaders(), rateLimit(), sanitize(), policy.require('partner:read'))`",
  'stack-anchor':
    'the same with a hand-written access log and role check around helmet + express-rate-limit + `express.json()` + express-mongo-sanitize + hpp (Express), koa-helmet + koa-ratelimit (Koa), `secureHeaders()` + hono-rate-limiter (Hono)',
}

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

/** Listens on 127.0.0.1 with an OS-chosen port and resolves once listening. */
function listen(server: Server): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}

/** Starts one app on 127.0.0.1 and returns its server (the port is in `server.address()`). */
export async function startApp(framework: Framework, variant: Variant): Promise<Server> {
  // Loaded only by the apps that mount it (and never by the load generator).
  const stack = isStackVariant(variant) ? await import('./stack-apps.js') : undefined
  switch (framework) {
    case 'express': {
      const { default: express } = await import('express')
      const { rampart } = await import('@rampart/express')
      const app = express()
      if (variant === 'noop') app.use((_req, _res, next) => next())
      if (variant === 'rampart()') app.use(rampart())
      if (variant === 'rampart(guard)') app.use(rampart(trivialGuard))
      if (variant === 'rampart(securityHeaders())') app.use(rampart(securityHeaders()))
      if (variant === 'anchor') app.use(await expressHeadersAnchor())
      if (variant === 'rampart(rateLimit())') {
        app.use(rampart(rateLimit({ limit: RATE_LIMIT.limit, window: RATE_LIMIT.window })))
      }
      if (variant === 'rate-limit-anchor') app.use(await expressRateLimitAnchor())
      if (variant === 'stack') await stack?.mountExpressStack(app)
      if (variant === 'stack-anchor') await stack?.mountExpressStackAnchor(app)
      app.get('/', (_req, res) => {
        res.json(BODY)
      })
      if (stack !== undefined) {
        app.post('/', (_req, res) => {
          res.json(BODY)
        })
      }
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
      if (variant === 'anchor') app.use(await koaHeadersAnchor())
      if (variant === 'rampart(rateLimit())') {
        app.use(rampart(rateLimit({ limit: RATE_LIMIT.limit, window: RATE_LIMIT.window })))
      }
      if (variant === 'rate-limit-anchor') app.use(await koaRateLimitAnchor())
      if (variant === 'stack') await stack?.mountKoaStack(app)
      if (variant === 'stack-anchor') await stack?.mountKoaStackAnchor(app)
      // Answers every method (the stack variants' `POST /` too).
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
      if (variant === 'anchor') app.use(await honoHeadersAnchor())
      if (variant === 'rampart(rateLimit())') {
        app.use(rampart(rateLimit({ limit: RATE_LIMIT.limit, window: RATE_LIMIT.window })))
      }
      if (variant === 'rate-limit-anchor') app.use(await honoRateLimitAnchor())
      if (variant === 'stack') await stack?.mountHonoStack(app)
      if (variant === 'stack-anchor') await stack?.mountHonoStackAnchor(app)
      app.get('/', (c) => c.json(BODY))
      if (stack !== undefined) app.post('/', (c) => c.json(BODY))
      return listen(createAdaptorServer({ fetch: app.fetch }) as Server)
    }
  }
}

/** The port a started app listens on. */
export function portOf(server: Server): number {
  return (server.address() as AddressInfo).port
}
