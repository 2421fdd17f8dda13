import { Redis } from 'ioredis'
import { REDIS_SIDES } from './redis/sides.js'
const which = process.argv[2] ?? 'all'
const N = Number(process.argv[3] ?? 20000)
const C = Number(process.argv[4] ?? 1)
for (const [name, def] of Object.entries(REDIS_SIDES)) {
  if (which !== 'all' && which !== name) continue
  const client = new Redis({ maxRetriesPerRequest: 0 })
  const side = await def.create(client as any, { limit: 1e9, windowMs: 60_000, prefix: `prof:${name}:${Date.now()}:` })
  for (let r = 0; r < 2; r++) {
    const t0 = performance.now(); const c0 = process.cpuUsage()
    let next = 0
    await Promise.all(Array.from({ length: C }, async () => { while (next < N) { const i = next++; await side.check(`k${i % 1000}`).catch(() => {}) } }))
    const cpu = process.cpuUsage(c0)
    if (r === 1) console.log(name.padEnd(22), (N / ((performance.now() - t0) / 1000)).toFixed(0), 'checks/s', ((cpu.user + cpu.system) / N).toFixed(1), 'µs CPU/check')
  }
  client.disconnect()
}
