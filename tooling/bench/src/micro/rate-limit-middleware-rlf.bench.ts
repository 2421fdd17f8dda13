/**
 * The whole per-request job of a rate limit on the memory store, ours against the Express
 * middleware rate-limiter-flexible's README gives (it ships no middleware of its own), on the same
 * request and the same Node `ServerResponse` (see `node-exchange.ts`):
 *
 * - ours: as in `rate-limit-middleware` (`rate-limit/middleware-sides.ts`);
 * - rate-limiter-flexible: `await limiter.consume(req.ip)` on a `RateLimiterMemory`, then the
 *   same two header fields ours sends (`RateLimit`, `RateLimit-Policy`) built from its
 *   `RateLimiterRes`, then `next()`; a refusal would answer 429 with `Retry-After`.
 *
 * Both sides are awaited per call (the case's `promises` flag).
 * @module
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible'
import { anchorName, defineSuite } from '../micro.js'
import { perRequestCases, UNREACHED, WINDOW_MS } from '../rate-limit/middleware-sides.js'
import { type BenchResponse, type Exchange, next } from './node-exchange.js'

const WINDOW_S = WINDOW_MS / 1000
const POLICY = `"default";q=${UNREACHED};w=${WINDOW_S}`

function anchor(): (ex: Exchange) => Promise<BenchResponse> {
  const limiter = new RateLimiterMemory({ points: UNREACHED, duration: WINDOW_S })
  return async ({ req, res }) => {
    res.reset()
    try {
      const result = await limiter.consume(req.ip)
      res.setHeader(
        'RateLimit',
        `"default";r=${result.remainingPoints};t=${Math.ceil(result.msBeforeNext / 1000)}`,
      )
      res.setHeader('RateLimit-Policy', POLICY)
      next()
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error
      res.statusCode = 429
      res.setHeader('Retry-After', String(Math.ceil(error.msBeforeNext / 1000)))
    }
    return res
  }
}

export default defineSuite({
  name: 'rate-limit-middleware-rlf',
  title: '@rampart/rate-limiter vs rate-limiter-flexible (per request, memory)',
  ours: '@rampart/rate-limiter',
  anchor: anchorName('rate-limiter-flexible'),
  description:
    "What one request pays for a rate limit on the memory store: ours through core's request context, the guard's (synchronous) request phase and the staged headers merged into a real Node `ServerResponse`; rate-limiter-flexible through the Express middleware its README gives (`await limiter.consume(req.ip)` on a `RateLimiterMemory`), setting the same two `RateLimit` fields on the same request and response. Every request admitted; both sides awaited per call.",
  readmes: ['packages/rate-limiter/README.md'],
  cases: perRequestCases(anchor),
})
