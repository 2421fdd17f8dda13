/**
 * Separate OS processes — separate app instances, each with its own client and connection,
 * ioredis and node-redis mixed — hitting one key at once never admit more than the limit in
 * total. The children run the built package (`dist/`, which `turbo run test` builds first).
 */
import { type ChildProcess, fork } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { redisStore } from '../src/index.js'
import { deleteKeys, ioredis, REDIS_URL, uniquePrefix } from './helpers.js'

const fixture = fileURLToPath(new URL('./fixtures/hammer.mjs', import.meta.url))
const built = fileURLToPath(new URL('../dist/index.js', import.meta.url))
const prefix = uniquePrefix('processes')
let io: Redis

beforeAll(async () => {
  if (!existsSync(built)) {
    throw new Error('run `pnpm build` in packages/redis first: the child processes use dist/')
  }
  io = await ioredis()
})
afterAll(async () => {
  await deleteKeys(io, prefix)
  await io.quit()
})

/** Resolves with the next message of `child`, rejecting if it exits first. */
function nextMessage<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`child exited with ${code}`))
    child.once('exit', onExit)
    child.once('message', (message) => {
      child.off('exit', onExit)
      resolve(message as T)
    })
  })
}

/** Resolves once `child` has exited (it quits its client and disconnects after reporting). */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve()
  return new Promise((resolve) => child.once('exit', () => resolve()))
}

describe('several processes sharing one Redis', () => {
  it('admit exactly 150 of 4 × 100 concurrent hits on one key (limit 150)', async () => {
    const kinds = ['ioredis', 'node-redis', 'ioredis', 'node-redis']
    const children = kinds.map((kind) =>
      fork(fixture, [kind, prefix, 'shared', '100', '150'], {
        env: { ...process.env, REDIS_URL },
        execArgv: [],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    )
    try {
      // Everyone connected before anyone fires, so the hits really overlap.
      await Promise.all(children.map((child) => nextMessage(child)))
      const reports = children.map((child) => nextMessage<{ admitted: number }>(child))
      for (const child of children) child.send('go')
      const admitted = (await Promise.all(reports)).map((r) => r.admitted)
      expect(admitted.reduce((a, b) => a + b, 0)).toBe(150)
      await Promise.all(children.map(exited))
    } finally {
      for (const child of children) if (child.exitCode === null) child.kill()
    }
    const store = redisStore({ client: io, prefix })
    expect(await store.hit('shared', { window: 60_000, cost: 0 })).toMatchObject({
      count: 150,
      allowed: true,
    })
  })
})
