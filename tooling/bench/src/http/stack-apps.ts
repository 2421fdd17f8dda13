/**
 * The whole-stack variants of the HTTP harness: what an API puts in front of its routes, once
 * with Rampart and once with each framework's usual libraries.
 *
 * - `stack`: one app-wide `rampart(...)` of the framework's adapter holding, in order,
 *   `accessLog()` (`@rampart/redactor`), `securityHeaders()`, `rateLimit()`, `sanitize()` and
 *   `policy.require('partner:read')` (`@rampart/rbac`), the caller taken from a header through
 *   the adapter's `principal` option.
 * - `stack-anchor`: the same jobs with the anchors: an access-log line and a role check written
 *   by hand (no library does either the same way in all three frameworks), then Express: helmet,
 *   express-rate-limit, `express.json()`, express-mongo-sanitize, hpp; Koa: koa-helmet,
 *   koa-ratelimit; Hono: `secureHeaders()`, hono-rate-limiter. The headers and rate-limit
 *   middlewares are the single-guard anchor variants' own (`./anchors.ts`).
 *
 * Both sides write their log lines as JSON to `/dev/null` with a synchronous write, as pino's
 * default destination does (pino is not a dependency of this package).
 * @module
 */
import { randomUUID } from 'node:crypto'
import { openSync, writeSync } from 'node:fs'
import type { Guard } from '@rampart/core'
import { securityHeaders } from '@rampart/headers'
import { rateLimit } from '@rampart/rate-limiter'
import { definePolicy, type RbacPrincipal } from '@rampart/rbac'
import {
  accessLog,
  createRedactor,
  DEFAULT_LOGGED_HEADERS,
  DEFAULT_SECRET_KEYS,
} from '@rampart/redactor'
import { sanitize } from '@rampart/sanitizer'
import type { Express, Request } from 'express'
import type { Hono } from 'hono'
import type Koa from 'koa'
import type { ParameterizedContext } from 'koa'
import {
  expressHeadersAnchor,
  expressRateLimitAnchor,
  honoHeadersAnchor,
  honoRateLimitAnchor,
  honoSocketAddress,
  koaHeadersAnchor,
  koaRateLimitAnchor,
  RATE_LIMIT,
} from './anchors.js'
import { USER, USER_HEADER } from './stack-workload.js'

/** The permission both stacks check on every request. */
export const STACK_PERMISSION = 'partner:read'

/** A small policy: viewers read partners, editors also create them. */
const policy = definePolicy({
  resources: { partner: { actions: ['read', 'create'] } },
  roles: {
    viewer: { grants: ['partner:read'] },
    editor: { inherits: ['viewer'], grants: ['partner:create'] },
  },
})

/**
 * The same roles for the hand-written check of the anchor stacks, flattened by hand (what a team
 * writes without a policy library: a map from role to its permissions, parents included).
 */
const ROLE_PERMISSIONS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['viewer', new Set(['partner:read'])],
  ['editor', new Set(['partner:read', 'partner:create'])],
])

/** Stands in for authentication on both sides: the user the `x-user` header names, if known. */
const USERS: ReadonlyMap<string, RbacPrincipal> = new Map([[USER, { id: USER, roles: ['viewer'] }]])

/** The signed-in user a header value names, or `undefined` (nobody). */
export function principalOf(
  header: string | string[] | null | undefined,
): RbacPrincipal | undefined {
  return typeof header === 'string' ? USERS.get(header) : undefined
}

/** The anchors' role check: 401 without a user, 403 when no role grants the permission. */
function roleStatus(user: RbacPrincipal | undefined): 200 | 401 | 403 {
  if (user === undefined) return 401
  const roles = user.roles ?? []
  return roles.some((r) => ROLE_PERMISSIONS.get(r)?.has(STACK_PERMISSION)) ? 200 : 403
}

const ROLE_PROBLEMS = {
  401: { title: 'Unauthorized', status: 401 },
  403: { title: 'Forbidden', status: 403 },
} as const

let devNull: number | undefined

/** Writes one log line to `/dev/null`, synchronously (pino's default destination is a sync write). */
function writeLine(entry: unknown): void {
  devNull ??= openSync('/dev/null', 'w')
  writeSync(devNull, `${JSON.stringify(entry)}\n`)
}

/** Secret key names, as `@rampart/redactor`'s default key rules compare them. */
const SECRET_KEYS = new Set(DEFAULT_SECRET_KEYS)
const keyForm = (key: string) => key.toLowerCase().replace(/[-_]/g, '')

/**
 * The anchors' redaction: the same default key list as ours, one level deep (the parsed query of
 * the default parsers, and header values, are one level).
 */
function censorKeys(values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(values)) {
    out[key] = SECRET_KEYS.has(keyForm(key)) ? '[REDACTED]' : values[key]
  }
  return out
}

/** The chosen request headers (ours' default list), censored. */
function loggedHeaders(get: (name: string) => string | undefined): Record<string, unknown> {
  const headers: Record<string, unknown> = {}
  for (const name of DEFAULT_LOGGED_HEADERS) {
    const value = get(name)
    if (value !== undefined) headers[name] = value
  }
  return censorKeys(headers)
}

/** One access-log line in the shape `accessLog()` writes. */
interface LogLine {
  requestId: string
  method: string
  path: string
  status: number
  durationMs: number
  aborted: boolean
  ip: string | undefined
  headers: Record<string, unknown>
  query: Record<string, unknown>
}

/** The request id the anchors log: the client's `x-request-id`, else a fresh UUID (as ours). */
const requestIdOf = (header: string | undefined) => header ?? randomUUID()

/**
 * The guards of the `stack` variant, in the order the access-log guard asks for (it first), the
 * others as an API would order them: headers on every answer, refuse floods before reading
 * bodies, sanitise, then authorise.
 */
export function rampartStackGuards(): Guard[] {
  return [
    accessLog({ logger: writeLine, redactor: createRedactor() }),
    securityHeaders(),
    rateLimit({ limit: RATE_LIMIT.limit, window: RATE_LIMIT.window }),
    sanitize(),
    // `body: false`: both routes only read (the default would also check a POST body against
    // the permission's field mask, which the anchors' hand-written check has no equivalent of).
    policy.require(STACK_PERMISSION, { body: false }),
  ]
}

const header = (value: string | string[] | undefined) =>
  typeof value === 'string' ? value : undefined

/** Express, `stack`: one app-wide `rampart(...)`. */
export async function mountExpressStack(app: Express): Promise<void> {
  const { rampart } = await import('@rampart/express')
  app.use(
    rampart({ principal: (req) => principalOf(req.headers[USER_HEADER]) }, ...rampartStackGuards()),
  )
}

/**
 * Express 5 defines `req.query` as a getter that parses the URL on every read, so
 * express-mongo-sanitize (which assigns `req.query`) throws on every request and hpp's in-place
 * changes are lost. The usual fix, mounted before both: make `req.query` a data property.
 */
function writableQuery(req: Request, _res: unknown, next: () => void): void {
  Object.defineProperty(req, 'query', {
    value: req.query,
    writable: true,
    configurable: true,
    enumerable: true,
  })
  next()
}

/** Express, `stack-anchor`: log, helmet, express-rate-limit, json, mongo-sanitize, hpp, roles. */
export async function mountExpressStackAnchor(app: Express): Promise<void> {
  const { default: express } = await import('express')
  const { default: mongoSanitize } = await import('express-mongo-sanitize')
  const { default: hpp } = await import('hpp')
  app.use((req, res, next) => {
    const started = performance.now()
    const requestId = requestIdOf(header(req.headers['x-request-id']))
    res.once('close', () => {
      writeLine({
        requestId,
        method: req.method,
        path: req.path,
        status: res.statusCode,
        durationMs: performance.now() - started,
        aborted: !res.writableFinished,
        ip: req.ip,
        headers: loggedHeaders((name) => header(req.headers[name])),
        query: censorKeys(req.query as Record<string, unknown>),
      } satisfies LogLine)
    })
    next()
  })
  app.use(await expressHeadersAnchor())
  app.use(await expressRateLimitAnchor())
  app.use(express.json())
  app.use(writableQuery)
  app.use(mongoSanitize())
  app.use(hpp())
  app.use((req, res, next) => {
    const status = roleStatus(principalOf(req.headers[USER_HEADER]))
    if (status === 200) next()
    else res.status(status).json(ROLE_PROBLEMS[status])
  })
}

/** Koa, `stack`: one app-wide `rampart(...)`. */
export async function mountKoaStack(app: Koa): Promise<void> {
  const { rampart } = await import('@rampart/koa')
  app.use(
    rampart({ principal: (ctx) => principalOf(ctx.get(USER_HEADER)) }, ...rampartStackGuards()),
  )
}

/** Koa, `stack-anchor`: log, koa-helmet, koa-ratelimit, roles. */
export async function mountKoaStackAnchor(app: Koa): Promise<void> {
  app.use(async (ctx: ParameterizedContext, next) => {
    const started = performance.now()
    const requestId = requestIdOf(ctx.get('x-request-id') || undefined)
    ctx.res.once('close', () => {
      writeLine({
        requestId,
        method: ctx.method,
        path: ctx.path,
        status: ctx.status,
        durationMs: performance.now() - started,
        aborted: !ctx.res.writableFinished,
        ip: ctx.ip,
        headers: loggedHeaders((name) => ctx.get(name) || undefined),
        query: censorKeys(ctx.query),
      } satisfies LogLine)
    })
    await next()
  })
  app.use(await koaHeadersAnchor())
  app.use(await koaRateLimitAnchor())
  app.use(async (ctx, next) => {
    const status = roleStatus(principalOf(ctx.get(USER_HEADER)))
    if (status !== 200) {
      ctx.status = status
      ctx.body = ROLE_PROBLEMS[status]
      return
    }
    await next()
  })
}

/** Hono, `stack`: one app-wide `rampart(...)`. */
export async function mountHonoStack(app: Hono): Promise<void> {
  const { rampart } = await import('@rampart/hono')
  app.use(
    rampart({ principal: (c) => principalOf(c.req.header(USER_HEADER)) }, ...rampartStackGuards()),
  )
}

/** The query as `rampart()`'s Hono adapter reads it: repeated keys as arrays, single as strings. */
function honoQuery(queries: Record<string, string[]>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(queries)) {
    const values = queries[key] as string[]
    out[key] = values.length === 1 ? values[0] : values
  }
  return out
}

/** Hono, `stack-anchor`: log, `secureHeaders()`, hono-rate-limiter, roles. */
export async function mountHonoStackAnchor(app: Hono): Promise<void> {
  app.use(async (c, next) => {
    const started = performance.now()
    const requestId = requestIdOf(c.req.header('x-request-id'))
    // Hono's own logger writes after `next()` too: the response is built, not yet sent.
    await next()
    writeLine({
      requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: performance.now() - started,
      aborted: false,
      ip: honoSocketAddress(c.env),
      headers: loggedHeaders((name) => c.req.header(name)),
      query: censorKeys(honoQuery(c.req.queries())),
    } satisfies LogLine)
  })
  app.use(await honoHeadersAnchor())
  app.use(await honoRateLimitAnchor())
  app.use(async (c, next) => {
    const status = roleStatus(principalOf(c.req.header(USER_HEADER)))
    if (status !== 200) return c.json(ROLE_PROBLEMS[status], status)
    await next()
  })
}
