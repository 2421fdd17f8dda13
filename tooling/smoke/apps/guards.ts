// Copied beside app.ts into each fresh app: the guards every framework's app uses, written once
// because they do not know which framework runs them.
import { defineGuard, stateKey } from '@rampart/core'
import { lockout } from '@rampart/lockout'
import { rateLimit } from '@rampart/rate-limiter'
import { definePolicy } from '@rampart/rbac'
import { accessLog, safeErrors } from '@rampart/redactor'
import { redisStore } from '@rampart/redis'
import { sanitize } from '@rampart/sanitizer'
import { verifySignature } from '@rampart/signer'
import { Redis } from 'ioredis'

/** What the stamp guard leaves for the handler. */
export const seen = stateKey<string>('smoke.seen')

// Two requests a minute per client, counted in Redis through the packed @rampart/redis.
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  maxRetriesPerRequest: 0,
})

/** The limiter of GET /limited. */
export const limiter = rateLimit({
  limit: 2,
  window: '1m',
  store: redisStore({ client: redis }),
  prefix: `smoke:${process.pid}:${Date.now()}:`,
})

/** Stages a header and leaves state: proves both reach the response and the handler. */
export const stamp = defineGuard({
  name: 'smoke-stamp',
  request(ctx) {
    ctx.state.set(seen, `ip=${ctx.ip}`)
    ctx.response.headers.set('x-rampart-smoke', 'staged')
  },
})

/** The one password GET /login accepts. */
const PASSWORD = 'smoke-password'

/** GET /login's own check: the status a plain login handler answers. */
export function loginStatus(query: URLSearchParams): 200 | 401 {
  return query.get('password') === PASSWORD ? 200 : 401
}

/** The lockout of GET /login, on Redis: two failures lock the (user, IP) pair. */
export const login = lockout({
  identify: (ctx) => ctx.url.searchParams.get('user'),
  secret: 'smoke-test-secret-of-32-chars!!!',
  store: redisStore({ client: redis }),
  prefix: `smoke-lockout:${process.pid}:${Date.now()}:`,
  pair: { failures: 2 },
})

/** The sanitizer of GET /search: repeated parameters resolved (last wins), NUL bytes refused. */
export const clean = sanitize()

/** Log lines as JSON on stdout, where the smoke runner reads them. */
const jsonLine = (kind: string) => (entry: unknown) => console.log(JSON.stringify({ kind, entry }))

/** The error reporter of every app's `rampartErrors()`: redacted error lines, bare 500 problems. */
export const errors = safeErrors({ logger: jsonLine('error') })

/** The access log of GET /boom: headers and query redacted. */
export const access = accessLog({ logger: jsonLine('access') })

/** What GET /boom's handler throws: an error carrying the secret the request sent. */
export function boom(secret: string | undefined): Error {
  return Object.assign(new Error('db connect failed'), { password: secret })
}

/** The signature check of POST /orders: one HMAC key whose principal reaches the handler. */
export const signed = verifySignature({
  keys: [
    {
      id: 'smoke-partner',
      alg: 'hmac-sha256',
      key: new TextEncoder().encode('smoke-signing-secret-of-32-bytes'),
      principal: { id: 'smoke-partner', roles: ['partner'] },
    },
    {
      id: 'smoke-reader',
      alg: 'hmac-sha256',
      key: new TextEncoder().encode('smoke-reader-secret-of-32-bytes!'),
      principal: { id: 'smoke-reader', roles: ['reader'] },
    },
  ],
})

/** Who may do what with orders: the verified key's roles decide (POST /orders). */
export const orderPolicy = definePolicy({
  resources: { order: { actions: ['read', 'create'] } },
  roles: {
    reader: { grants: ['order:read'] },
    partner: { inherits: ['reader'], grants: ['order:create'] },
  },
})

/** POST /orders' permission check, after the signature check set the principal. */
export const createOrder = orderPolicy.require('order:create')
