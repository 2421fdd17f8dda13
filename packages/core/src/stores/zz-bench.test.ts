import { it } from 'vitest'
import { memoryStore } from '/work/main/packages/core/src/stores/memory.js'
it('bench', async () => {
  const store = memoryStore({ onEvent: () => {} })
  const keys = Array.from({ length: 10_000 }, (_, i) => `ip:${i}`)
  const m = new Map<string, { c: number; r: number }>()
  const base = async (k: string) => { const e = m.get(k); if (e) { e.c++; return { allowed: true, count: e.c } } m.set(k, { c: 1, r: 0 }); return { allowed: true, count: 1 } }
  for (const [label, op] of [
    ['baseline async map', base],
    ['hit', (k: string) => store.hit(k + 'h', { window: 60_000, limit: 100 })],
    ['slidingHit', (k: string) => store.slidingHit(k + 's', { window: 60_000, limit: 100 })],
    ['take', (k: string) => store.take(k + 't', { algorithm: 'token-bucket', capacity: 100, refillPerMs: 0.001 })],
    ['consume2', (k: string) => store.consume([{ key: k + 'a', algorithm: 'fixed-window', window: 60_000, limit: 100 }, { key: k + 'b', algorithm: 'gcra', burst: 10, emissionInterval: 100 }])],
  ] as const) {
    for (let i = 0; i < 200_000; i++) await op(keys[i % 10_000]!)
    const t = performance.now()
    const n = 1_000_000
    for (let i = 0; i < n; i++) await op(keys[i % 10_000]!)
    console.log(label, ((performance.now() - t) * 1e6 / n).toFixed(0), 'ns/op')
  }
}, 120_000)
