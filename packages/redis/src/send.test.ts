import { Cluster, Redis } from 'ioredis'
import { createClient, createClientPool, createCluster, createSentinel } from 'redis'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { redisStore } from './index.js'
import { SCRIPTS } from './scripts.js'
import { clientKind } from './send.js'

/** What the consume script answers for one admitted hit. */
const ADMITTED_PARTS = ['1', '0', '1', '1', 'inf', '1790000060000', '0']
/** The consume script's reply: its numbers in one space-separated string. */
const ADMITTED = ADMITTED_PARTS.join(' ')

const closers: (() => unknown)[] = []
afterEach(() => {
  for (const close of closers.splice(0)) close()
})

describe('recognising clients (real, unconnected instances)', () => {
  it('takes ioredis clients and clusters by their call method', () => {
    const client = new Redis({ lazyConnect: true })
    const cluster = new Cluster([{ host: '127.0.0.1', port: 1 }], { lazyConnect: true })
    closers.push(
      () => client.disconnect(),
      () => cluster.disconnect(),
    )
    // ioredis clients also have a sendCommand(Command): call must win.
    expect(typeof (client as unknown as { sendCommand: unknown }).sendCommand).toBe('function')
    expect(clientKind(client)).toBe('ioredis')
    expect(clientKind(cluster)).toBe('ioredis')
  })

  it('tells node-redis clients, pools, clusters and sentinels apart', () => {
    expect(clientKind(createClient())).toBe('node-redis')
    expect(clientKind(createClientPool())).toBe('node-redis')
    expect(clientKind(createCluster({ rootNodes: [{ url: 'redis://127.0.0.1:1' }] }))).toBe(
      'node-redis-cluster',
    )
    expect(
      clientKind(
        createSentinel({ name: 'main', sentinelRootNodes: [{ host: '127.0.0.1', port: 1 }] }),
      ),
    ).toBe('node-redis-sentinel')
  })

  it('refuses anything else', () => {
    for (const value of [undefined, null, 1, 'redis', {}, { call: 1 }, () => {}]) {
      expect(clientKind(value)).toBeUndefined()
    }
  })
})

describe('sending through each client', () => {
  const hitArgs = (key: string) => [
    'EVALSHA',
    SCRIPTS.consume.sha,
    '1',
    key,
    'f',
    '60000',
    'inf',
    '1',
  ]

  it('ioredis: call(command, ...args)', async () => {
    const client = new Redis({ lazyConnect: true })
    closers.push(() => client.disconnect())
    const call = vi.fn(async (..._args: string[]) => ADMITTED)
    Object.assign(client, { call })
    const r = await redisStore({ client, prefix: 'p:' }).hit('k', { window: 60_000 })
    expect(r).toEqual({
      allowed: true,
      count: 1,
      remaining: Number.POSITIVE_INFINITY,
      resetAt: 1_790_000_060_000,
      retryAfter: 0,
    })
    expect(call).toHaveBeenCalledExactlyOnceWith(...hitArgs('p:k'))
  })

  it('node-redis client: sendCommand(args)', async () => {
    const client = createClient()
    const sendCommand = vi.fn(async (_args: string[]) => ADMITTED)
    Object.assign(client, { sendCommand })
    await redisStore({ client, prefix: 'p:' }).hit('k', { window: 60_000 })
    expect(sendCommand).toHaveBeenCalledExactlyOnceWith(hitArgs('p:k'))
  })

  it('node-redis cluster: sendCommand(firstKey, isReadonly, args), routed by the first key', async () => {
    const cluster = createCluster({ rootNodes: [{ url: 'redis://127.0.0.1:1' }] })
    const sendCommand = vi.fn(async (_key: string, _readonly: boolean, _args: string[]) =>
      ['1', '0', ...ADMITTED_PARTS.slice(2), ...ADMITTED_PARTS.slice(2)].join(' '),
    )
    Object.assign(cluster, { sendCommand })
    const store = redisStore({ client: cluster, prefix: 'p:' })
    await store.consume([
      { key: '{u1}a', algorithm: 'fixed-window', window: 60_000 },
      { key: '{u1}b', algorithm: 'fixed-window', window: 60_000 },
    ])
    expect(sendCommand).toHaveBeenCalledOnce()
    const [firstKey, readonly, args] = sendCommand.mock.calls[0] ?? []
    expect(firstKey).toBe('p:{u1}a')
    expect(readonly).toBe(false)
    expect(args?.slice(0, 5)).toEqual(['EVALSHA', SCRIPTS.consume.sha, '2', 'p:{u1}a', 'p:{u1}b'])
  })

  it('node-redis sentinel: sendCommand(isReadonly, args)', async () => {
    const sentinel = createSentinel({
      name: 'main',
      sentinelRootNodes: [{ host: '127.0.0.1', port: 1 }],
    })
    const sendCommand = vi.fn(async (_readonly: boolean, _args: string[]) => ADMITTED)
    Object.assign(sentinel, { sendCommand })
    await redisStore({ client: sentinel }).hit('k', { window: 60_000 })
    expect(sendCommand).toHaveBeenCalledExactlyOnceWith(false, hitArgs('k'))
  })

  it('the send seam gets the command as an array of strings', async () => {
    const send = vi.fn(async (_args: string[]) => ADMITTED)
    await redisStore({ send }).hit('k', { window: 60_000 })
    expect(send).toHaveBeenCalledExactlyOnceWith(hitArgs('k'))
  })
})
