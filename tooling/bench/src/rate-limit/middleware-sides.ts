/**
 * What the per-request rate-limit suites share: the exchanges (one client address each) and our
 * side, `rateLimit()` run through core's request context as the Express and Koa adapters run it.
 * @module
 */
import { Engine } from '@rampart/core'
import { rateLimit } from '@rampart/rate-limiter'
import {
  type BenchResponse,
  type Exchange,
  exchange,
  type MockRequest,
  throughEngine,
} from '../micro/node-exchange.js'
import { type MicroCase, microCase } from '../micro.js'
import { ipv4Keys } from './keys.js'

/** An hour: no window turns over during a run. */
export const WINDOW_MS = 3_600_000
/** A limit no run reaches: every timed request is admitted. */
export const UNREACHED = 1_000_000_000

/** `count` exchanges, one client address each, the response holding Express's `X-Powered-By`. */
export function clients(count: number): Exchange[] {
  return ipv4Keys(count).map((ip) =>
    exchange('https', 'api.example.com', '/items', [['X-Powered-By', 'Express']], ip),
  )
}

/**
 * Ours: a fixed-window `rateLimit()` in core's `Engine`, its (synchronous) request phase, then the
 * staged `RateLimit` / `RateLimit-Policy` headers merged into the response as at `writeHead`.
 */
export function oursPerRequest(): (ex: Exchange) => BenchResponse {
  const engine = new Engine<MockRequest>([
    rateLimit({ limit: UNREACHED, window: WINDOW_MS, algorithm: 'fixed-window' }),
  ])
  return (ex) => throughEngine(engine, ex)
}

/** Both sides must leave a `RateLimit` header with the client's remaining quota on the response. */
export function rateLimitHeader(result: unknown): boolean {
  return typeof (result as BenchResponse).getHeader('ratelimit') === 'string'
}

/** The cases both per-request suites run: 1,000 and 10,000 clients, ours against `anchor()`. */
export function perRequestCases(
  anchor: () => (ex: Exchange) => Promise<BenchResponse>,
): MicroCase<never>[] {
  return [1_000, 10_000].map((count) =>
    microCase({
      name: `${count.toLocaleString('en-US')} clients`,
      inputs: clients(count),
      ours: oursPerRequest(),
      anchor: anchor(),
      promises: true,
      compare: rateLimitHeader,
    }),
  )
}
