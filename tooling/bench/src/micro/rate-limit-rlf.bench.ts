/**
 * `@rampart/rate-limiter` on the memory store against rate-limiter-flexible's
 * `RateLimiterMemory`, per check: ours `consume(key)`, theirs `consume(key)` (which rejects when
 * the points are spent; the harness catches every rejection). Same keys on both sides, same
 * decisions (checked before timing), each check awaited (see `src/rate-limit/micro-cases.ts`).
 * @module
 */
import { anchorName, defineSuite } from '../micro.js'
import { rateLimiterFlexible } from '../rate-limit/memory-sides.js'
import { rateLimitCases } from '../rate-limit/micro-cases.js'

export default defineSuite({
  name: 'rate-limit-rlf',
  title: '@rampart/rate-limiter vs rate-limiter-flexible (memory)',
  ours: '@rampart/rate-limiter',
  anchor: anchorName('rate-limiter-flexible'),
  description:
    "Checks per second in memory: our `rateLimit({ algorithm: 'fixed-window', store: memoryStore() }).consume(key)` against rate-limiter-flexible's `RateLimiterMemory({ points, duration }).consume(key)` (a rejected promise when refused), both fixed windows of one hour. Each check is awaited, as a middleware awaits it. Same keys, same allowed/refused decisions (checked before timing). Target: at least 2× in checks/s.",
  readmes: ['packages/rate-limiter/README.md'],
  cases: await rateLimitCases(rateLimiterFlexible),
})
