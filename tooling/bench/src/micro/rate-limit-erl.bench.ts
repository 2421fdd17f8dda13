/**
 * `@rampart/rate-limiter` on the memory store against express-rate-limit's `MemoryStore`, per
 * check: what each middleware does for one request before deciding (ours: `consume(key)`;
 * express-rate-limit: `store.increment(key)`, then `totalHits` compared to the limit). Same keys
 * on both sides, same decisions (checked before timing), each check awaited (see
 * `src/rate-limit/micro-cases.ts`).
 * @module
 */
import { anchorName, defineSuite } from '../micro.js'
import { expressRateLimit } from '../rate-limit/memory-sides.js'
import { rateLimitCases } from '../rate-limit/micro-cases.js'

export default defineSuite({
  name: 'rate-limit-erl',
  title: '@rampart/rate-limiter vs express-rate-limit (memory)',
  ours: '@rampart/rate-limiter',
  anchor: anchorName('express-rate-limit'),
  description:
    "Checks per second in memory: our `rateLimit({ algorithm: 'fixed-window', store: memoryStore() }).consume(key)` against express-rate-limit's `MemoryStore` (`increment(key)`, then `totalHits` compared to the limit, as its middleware does), both fixed windows of one hour. Each check is awaited, as a middleware awaits it. Same keys, same allowed/refused decisions (checked before timing). Target: at least 1.5× in checks/s.",
  readmes: ['packages/rate-limiter/README.md'],
  cases: await rateLimitCases(expressRateLimit),
})
