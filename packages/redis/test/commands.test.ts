/**
 * What goes over the wire: one `EVALSHA` per check in the steady state, counted on the server
 * with MONITOR (and at the seam), and recovery after `SCRIPT FLUSH` with one `EVAL` that counts
 * once. One file, so nothing else in this package flushes scripts while the counts run.
 */
import type { RampartStore } from '@rampart/core'
import type { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RedisSend, redisStore } from '../src/index.js'
import { SCRIPTS } from '../src/scripts.js'
import { deleteKeys, ioredis, type NodeRedisClient, nodeRedis, uniquePrefix } from './helpers.js'
import { monitorFeed } from './monitor.js'

const prefix = uniquePrefix('commands')
let io: Redis
let node: NodeRedisClient

beforeAll(async () => {
  ;[io, node] = await Promise.all([ioredis(), nodeRedis()])
})
afterAll(async () => {
  await deleteKeys(io, prefix)
  await Promise.all([io.quit(), node.close()])
})

/** One round of every primitive: 9 checks, one batch of three policies among them. */
async function everyPrimitive(store: RampartStore, i: number): Promise<number> {
  await store.hit('{t}fixed', { window: 60_000, limit: 1_000 })
  await store.slidingHit('{t}sliding', { window: 60_000, limit: 1_000 })
  await store.take('{t}bucket', { algorithm: 'token-bucket', capacity: 1_000, refillPerMs: 1 })
  await store.take('{t}gcra', { algorithm: 'gcra', burst: 1_000, emissionInterval: 1 })
  await store.consume([
    { key: '{t}block', algorithm: 'block' },
    { key: '{t}batch-fixed', algorithm: 'fixed-window', window: 60_000, limit: 1_000 },
    { key: '{t}batch-gcra', algorithm: 'gcra', burst: 1_000, emissionInterval: 1 },
  ])
  await store.setIfAbsent(`{t}nonce-${i}`, 'x', 60_000)
  await store.set('{t}value', String(i), 60_000)
  await store.get('{t}value')
  await store.increment('{t}counter', 1, 60_000)
  await store.delete(`{t}nonce-${i}`)
  return 10
}

const clients = [
  {
    name: 'ioredis',
    make: (p: string) => redisStore({ client: io, prefix: p }),
    call: (args: string[]) => io.call(args[0] as string, ...args.slice(1)),
  },
  {
    name: 'node-redis',
    make: (p: string) => redisStore({ client: node, prefix: p }),
    call: (args: string[]) => node.sendCommand(args),
  },
] as const

describe.each(clients)('steady state through $name', ({ name, make, call }) => {
  it('sends exactly one EVALSHA per check, seen by the server (MONITOR)', async () => {
    const store = make(`${prefix}${name}-monitor:`)
    await everyPrimitive(store, -1) // warm: loads any script Redis does not have yet
    const info = String(await call(['CLIENT', 'INFO']))
    const addr = /\baddr=(\S+)/.exec(info)?.[1]
    expect(addr).toBeDefined()

    const seen: string[][] = []
    const marker = `done-${prefix}`
    let finish: () => void = () => {}
    const done = new Promise<void>((resolve) => {
      finish = resolve
    })
    const monitor = await monitorFeed(({ source, args }) => {
      if (source !== addr) return
      if (args[0]?.toUpperCase() === 'ECHO' && args[1] === marker) finish()
      else seen.push(args)
    })
    let checks = 0
    for (let i = 0; i < 20; i++) checks += await everyPrimitive(store, i)
    await call(['ECHO', marker])
    await done
    monitor.close()

    expect(checks).toBe(200)
    expect(seen).toHaveLength(200)
    expect(new Set(seen.map((args) => args[0]?.toUpperCase()))).toEqual(new Set(['EVALSHA']))
  })

  it('counts one send per check at the seam too, over 500 checks', async () => {
    const sent: string[][] = []
    const send: RedisSend = (args) => {
      sent.push(args)
      return call(args) as Promise<unknown>
    }
    const store = redisStore({ send, prefix: `${prefix}${name}-seam:` })
    await everyPrimitive(store, -1)
    sent.length = 0
    let checks = 0
    for (let i = 0; i < 50; i++) checks += await everyPrimitive(store, i)
    expect(sent).toHaveLength(checks)
    expect(sent.every((args) => args[0] === 'EVALSHA')).toBe(true)
  })
})

describe.each(clients)('SCRIPT FLUSH through $name', ({ name, call }) => {
  /** A store whose commands are recorded. */
  function recorded(label: string) {
    const sent: string[] = []
    const send: RedisSend = (args) => {
      sent.push(args[0] as string)
      return call(args) as Promise<unknown>
    }
    return { sent, store: redisStore({ send, prefix: `${prefix}${name}-${label}:` }) }
  }

  it('recovers on the next call, which counts once, then goes back to EVALSHA', async () => {
    const { sent, store } = recorded('flush')
    const opts = { window: 60_000, limit: 10 }
    expect((await store.hit('k', opts)).count).toBe(1)
    await io.script('FLUSH')
    sent.length = 0
    expect(await store.hit('k', opts)).toMatchObject({ allowed: true, count: 2 })
    // EVALSHA then EVAL, unless another client on the server reloaded the script in between.
    if (sent.length === 2) expect(sent).toEqual(['EVALSHA', 'EVAL'])
    else expect(sent).toEqual(['EVALSHA'])
    expect(await io.script('EXISTS', SCRIPTS.consume.sha)).toEqual([1])
    expect((await store.hit('k', opts)).count).toBe(3)
    expect(sent.at(-1)).toBe('EVALSHA')
  })

  it('admits exactly the limit when 40 concurrent calls all find the script gone', async () => {
    const { store } = recorded('flush-concurrent')
    const opts = { window: 60_000, limit: 15 }
    await io.script('FLUSH')
    const results = await Promise.all(Array.from({ length: 40 }, () => store.hit('k', opts)))
    expect(results.filter((r) => r.allowed)).toHaveLength(15)
    expect((await store.hit('k', { ...opts, cost: 0 })).count).toBe(15)
  })

  it('recovers every primitive, each counted once', async () => {
    const { sent, store } = recorded('flush-all')
    await io.script('FLUSH')
    await everyPrimitive(store, 0)
    // Ten checks, ten EVALSHA; the first use of each of the six scripts finds it gone and
    // reloads it with one EVAL — unless another client on the same server (another test file,
    // another package's tests) reloaded it first, so at most six, and never a second EVAL for
    // one check (the counts below prove each check counted once).
    expect(sent.filter((c) => c === 'EVALSHA')).toHaveLength(10)
    expect(sent.filter((c) => c === 'EVAL').length).toBeLessThanOrEqual(6)
    expect((await store.hit('{t}fixed', { window: 60_000, cost: 0 })).count).toBe(1)
    expect(await store.get('{t}counter')).toBe('1')
    expect(await store.get('{t}value')).toBe('0')
  })
})
