/**
 * `@rampart/rate-limiter` on the memory store against express-rate-limit's `MemoryStore`, per
 * check: what each middleware does for one request before deciding (ours: `consume(key)`;
 * express-rate-limit: `store.increment(key)`, then `totalHits` compared to the limit). Same keys
 * on both sides, same decisions (checked before timing), each check awaited (see
 * `src/rate-limit/micro-cases.ts`).
 * @module
 */
import { anchorName, defineSuite, microCase } from '../micro.js'
import { ipv4Keys } from '../rate-limit/keys.js'
import { decision, expressRateLimit, ourStore } from '../rate-limit/memory-sides.js'
import { HOT_KEYS, rateLimitCases } from '../rate-limit/micro-cases.js'

/** Store against store: the layer the target names ("memory-store checks/s"). */
function storeToStore() {
  const config = { limit: 1_000_000_000, windowMs: 3_600_000 }
  return microCase({
    name: `hot set, store to store: our \`memoryStore().hit()\``,
    inputs: ipv4Keys(HOT_KEYS),
    ours: ourStore({ ...config, maxKeys: 2 * HOT_KEYS }).check,
    anchor: expressRateLimit(config).check,
    promises: true,
    compare: decision(config.limit),
    note: "the memory store's own primitive (a fixed-window hit with a limit), without the limiter around it: the same layer as express-rate-limit's `MemoryStore.increment()`.",
  })
}

export default defineSuite({
  name: 'rate-limit-erl',
  title: '@rampart/rate-limiter vs express-rate-limit (memory)',
  ours: '@rampart/rate-limiter',
  anchor: anchorName('express-rate-limit'),
  description:
    "Checks per second in memory: our `rateLimit({ algorithm: 'fixed-window', store: memoryStore() }).consume(key)` against express-rate-limit's `MemoryStore` (`increment(key)`, then `totalHits` compared to the limit, as its middleware does), both fixed windows of one hour. Each check is awaited, as a middleware awaits it. Same keys, same allowed/refused decisions (checked before timing). Target: at least 1.5× in checks/s.",
  readmes: ['packages/rate-limiter/README.md'],
  cases: [...(await rateLimitCases(expressRateLimit)), storeToStore()],
})
