/**
 * The anchor middlewares of the HTTP harness, built one way for every variant that uses them: the
 * single-guard variants (`anchor`, `rate-limit-anchor`) and the whole-stack anchor
 * (`stack-anchor`) mount the same helmet / koa-helmet / `secureHeaders()` and the same
 * express-rate-limit / koa-ratelimit / hono-rate-limiter, configured alike. Each builder imports
 * its library on call, so an app only loads what it mounts.
 * @module
 */
import type { IncomingMessage } from 'node:http'
import type { RequestHandler } from 'express'
import type { MiddlewareHandler } from 'hono'
import type { Middleware } from 'koa'

/** The rate-limit variants' policy: a minute, and a limit no run reaches (nothing is refused). */
export const RATE_LIMIT = { limit: 1_000_000_000, window: '1m', windowMs: 60_000 } as const

/** The anchors' client key: the socket's address, as ours keys by default (no proxy here). */
export const socketAddress = (address: string | undefined): string => address ?? 'unknown'

/** The socket address `@hono/node-server` passes in `c.env`, the one our Hono adapter keys by. */
export const honoSocketAddress = (env: unknown): string =>
  socketAddress((env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.remoteAddress)

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

/** Express: `helmet()` with its defaults. */
export async function expressHeadersAnchor(): Promise<RequestHandler> {
  const { default: helmet } = await import('helmet')
  return helmet()
}

/** Express: express-rate-limit's memory store, the draft's `RateLimit` headers only. */
export async function expressRateLimitAnchor(): Promise<RequestHandler> {
  const { rateLimit } = await import('express-rate-limit')
  return rateLimit({
    windowMs: RATE_LIMIT.windowMs,
    limit: RATE_LIMIT.limit,
    // The IETF draft's `RateLimit` + `RateLimit-Policy`, as ours sends (default: draft-6 and the
    // legacy X-RateLimit-* headers too).
    standardHeaders: 'draft-8',
    legacyHeaders: false,
  })
}

/** Koa: koa-helmet (helmet run on `ctx.req`/`ctx.res`) with its defaults. */
export async function koaHeadersAnchor(): Promise<Middleware> {
  const { default: koaHelmet } = await import('koa-helmet')
  return koaHelmet()
}

/** Koa: koa-ratelimit's memory driver (its default is Redis); it sends `X-RateLimit-*` headers. */
export async function koaRateLimitAnchor(): Promise<Middleware> {
  const { default: ratelimit } = await import('koa-ratelimit')
  return ratelimit({
    driver: 'memory',
    db: new Map(),
    duration: RATE_LIMIT.windowMs,
    max: RATE_LIMIT.limit,
    id: (ctx) => socketAddress(ctx.req.socket.remoteAddress),
  })
}

/** Hono: `secureHeaders()` from `hono/secure-headers`, given helmet's CSP and HSTS values. */
export async function honoHeadersAnchor(): Promise<MiddlewareHandler> {
  const { secureHeaders } = await import('hono/secure-headers')
  return secureHeaders(HONO_HELMET_DEFAULTS)
}

/** Hono: hono-rate-limiter's memory store, keyed by the socket address. */
export async function honoRateLimitAnchor(): Promise<MiddlewareHandler> {
  const { rateLimiter } = await import('hono-rate-limiter')
  return rateLimiter({
    windowMs: RATE_LIMIT.windowMs,
    limit: RATE_LIMIT.limit,
    // `RateLimit` + `RateLimit-Policy`, the closest it has to ours (default: draft-6).
    standardHeaders: 'draft-7',
    // It has no default key; this is the address @hono/node-server passes in `c.env`, the one
    // our adapter keys by.
    keyGenerator: (c) => honoSocketAddress(c.env),
  })
}
