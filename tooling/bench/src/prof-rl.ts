import { memoryStore } from '@rampart/core'
import { rateLimit } from '@rampart/rate-limiter'
import { MemoryStore as Erl } from 'express-rate-limit'
import { RateLimiterMemory } from 'rate-limiter-flexible'
const keys = Array.from({ length: 1000 }, (_, i) => `10.0.${i >> 8}.${i & 255}`)
const which = process.argv[2] ?? 'all'
const sides: Record<string, (k: string) => Promise<unknown>> = {}
{ const s = memoryStore({ maxKeys: 1e6 }); const l = rateLimit({ limit: 1e9, window: 60_000, algorithm: 'fixed-window', store: s }); sides.ours = (k) => l.consume(k) }
{ const s = memoryStore({ maxKeys: 1e6 }); sides.store = (k) => s.hit(k, { window: 60_000, limit: 1e9 }) }
{ const s = new Erl(); s.init({ windowMs: 60_000 } as any); sides.erl = (k) => s.increment(k) }
{ const l = new RateLimiterMemory({ points: 1e9, duration: 60 }); sides.rlf = (k) => l.consume(k) }
const N = 2_000_000
for (const [name, f] of Object.entries(sides)) {
  if (which !== 'all' && which !== name) continue
  for (let r = 0; r < 2; r++) {
    const t0 = performance.now()
    for (let i = 0; i < N; i++) await f(keys[i % 1000]!)
    if (r === 1) console.log(name.padEnd(6), ((performance.now() - t0) * 1e6 / N).toFixed(0), 'ns/check')
  }
}
