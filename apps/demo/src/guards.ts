/**
 * The demo's guard stack, shared by all three frameworks: the point of Rampart is that this
 * file does not know which framework runs it.
 * @module
 */
import { defineGuard, type Guard, ipFilter, stateKey } from '@rampart/core'
import { securityHeaders } from '@rampart/headers'
import { rateLimit } from '@rampart/rate-limiter'

/** The greeting the trivial guard leaves for the handler. */
export const greeting = stateKey<string>('greeting')

/** A trivial guard: tags the response with the request id and leaves state for the handler. */
export const helloGuard = defineGuard({
  name: 'demo-hello',
  request(ctx) {
    ctx.response.headers.set('X-Request-Id', ctx.id)
    ctx.state.set(greeting, `hello ${ctx.ip ?? 'stranger'}, from ${ctx.method} ${ctx.path}`)
  },
})

/** Loopback and private networks: where a newcomer's browser and curl come from. */
export const DEFAULT_ALLOW = [
  '127.0.0.0/8',
  '::1',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  'fc00::/7',
]

/** Options of {@link demoGuards}. */
export interface DemoGuardOptions {
  /** Client networks let in (`DEMO_ALLOW`, comma-separated CIDRs). */
  readonly allow?: readonly string[]
  /** Requests per minute per client: the source guides' 100 by default. */
  readonly perMinute?: number
}

/** The guards every framework runs. */
export function demoGuards(options: DemoGuardOptions = {}): Guard[] {
  const { allow = DEFAULT_ALLOW, perMinute = 100 } = options
  return [
    ipFilter({ allow: [...allow] }),
    // A refused request still gets the security headers: the 429 is a response like any other.
    securityHeaders({ preset: 'api' }),
    rateLimit({ limit: perMinute, window: '1m' }),
    helloGuard,
  ]
}
