/**
 * The whole per-request job of a rate limit on the memory store, ours against express-rate-limit's
 * middleware, on the same request and the same Node `ServerResponse` (see `node-exchange.ts`):
 *
 * - ours: `rateLimit({ limit, window, algorithm: 'fixed-window' })` in core's `Engine` (the
 *   request context every adapter builds), its request phase — synchronous on the memory store —
 *   then the staged `RateLimit` / `RateLimit-Policy` headers merged into the response as the
 *   Express and Koa adapters do at `writeHead`;
 * - express-rate-limit: its middleware, `await rateLimit({ windowMs, limit, standardHeaders:
 *   'draft-7', legacyHeaders: false, validate: false })(req, res, next)`: key from `req.ip`,
 *   `await store.increment(key)`, the same two header fields set on the response, `next()`.
 *   `draft-7` is its closest header format without a partition key (its `draft-8` hashes the
 *   key with SHA-256 on every request, which ours does not do unless asked).
 *
 * The micro suites that compare stores (`rate-limit-erl`, `rate-limit-rlf`) measure a check
 * through each library's store API; this one measures what a request pays. Both sides are
 * awaited per call (the case's `promises` flag): express-rate-limit's middleware is async; ours
 * answers synchronously, and the await of its plain value costs the same one tick.
 * @module
 */
import { rateLimit as expressRateLimit } from 'express-rate-limit'
import { anchorName, defineSuite } from '../micro.js'
import { perRequestCases, UNREACHED, WINDOW_MS } from '../rate-limit/middleware-sides.js'
import { type BenchResponse, type Exchange, next } from './node-exchange.js'

type Middleware = (req: unknown, res: unknown, next: (error?: unknown) => void) => Promise<void>

function anchor(): (ex: Exchange) => Promise<BenchResponse> {
  const middleware = expressRateLimit({
    windowMs: WINDOW_MS,
    limit: UNREACHED,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    validate: false,
  }) as unknown as Middleware
  return async ({ req, res }) => {
    res.reset()
    // It writes `req.rateLimit` on the request object, as it does on Express's.
    await middleware(req, res, next)
    return res
  }
}

export default defineSuite({
  name: 'rate-limit-middleware',
  title: '@rampart/rate-limiter vs express-rate-limit (per request, memory)',
  ours: '@rampart/rate-limiter',
  anchor: anchorName('express-rate-limit'),
  description:
    "What one request pays for a rate limit on the memory store: ours through core's request context, the guard's (synchronous) request phase and the staged headers merged into a real Node `ServerResponse`; express-rate-limit's middleware on the same request and response (`standardHeaders: 'draft-7'`, its closest format without a per-request SHA-256). Every request admitted; both sides awaited per call.",
  readmes: ['packages/rate-limiter/README.md'],
  cases: perRequestCases(anchor),
})
