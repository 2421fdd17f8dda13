import { memoryStore } from '@rampart/core'
import { manualClock, testApp } from '@rampart/core/testing'
import { describe, expect, it } from 'vitest'
import type { RateLimitOptions } from './options.js'
import { rateLimit } from './rate-limit.js'

function setup(options: RateLimitOptions) {
  const clock = manualClock(1_800_000_000_000)
  const limiter = rateLimit({
    store: memoryStore({ clock: clock.now }),
    ...options,
  } as RateLimitOptions)
  return { limiter, app: testApp([limiter], clock) }
}

const codes = async (
  app: ReturnType<typeof testApp>,
  sends: readonly { status?: number; aborted?: boolean }[],
) => {
  const out: number[] = []
  for (const o of sends) out.push((await app.send(o)).status)
  return out
}

describe('skipSuccessfulRequests', () => {
  it('refunds responses below 400, counts the rest', async () => {
    const { app, limiter } = setup({ limit: 2, window: '1m', skipSuccessfulRequests: true })
    expect(typeof limiter.response).toBe('function')
    const ok = { status: 200 }
    const redirect = { status: 302 }
    const notFound = { status: 404 }
    expect(await codes(app, [ok, ok, redirect, ok, ok])).toEqual([200, 200, 302, 200, 200])
    expect(await codes(app, [notFound, notFound, ok])).toEqual([404, 404, 429])
  })

  it('counts an aborted request as failed', async () => {
    const { app } = setup({ limit: 1, window: '1m', skipSuccessfulRequests: true })
    expect(await codes(app, [{ status: 200, aborted: true }, { status: 200 }])).toEqual([200, 429])
  })

  it('refunds every policy, on every algorithm', async () => {
    for (const algorithm of ['fixed-window', 'sliding-window', 'token-bucket', 'gcra'] as const) {
      const { app, limiter } = setup({
        policies: [
          { limit: 1, window: '1s', algorithm },
          { limit: 3, window: '1h', algorithm },
        ],
        skipSuccessfulRequests: true,
      })
      expect(await codes(app, Array(5).fill({ status: 201 }))).toEqual(Array(5).fill(201))
      const info = await limiter.peek('203.0.113.1')
      expect(info.policies.map((p) => p.remaining)).toEqual([1, 3])
    }
  })

  it('never refunds a refused request', async () => {
    const { app } = setup({ limit: 1, window: '1m', skipSuccessfulRequests: true })
    expect(await codes(app, [{ status: 500 }])).toEqual([500])
    // The 429s the limiter answers are not refunded nor counted: the count stays at the limit.
    expect(await codes(app, [{}, {}, {}])).toEqual([429, 429, 429])
  })
})

describe('skipFailedRequests', () => {
  it('refunds responses of 400 and above, and aborted ones', async () => {
    const { app } = setup({ limit: 2, window: '1m', skipFailedRequests: true })
    expect(
      await codes(app, [
        { status: 500 },
        { status: 404 },
        { status: 200, aborted: true },
        { status: 400 },
      ]),
    ).toEqual([500, 404, 200, 400])
    expect(await codes(app, [{ status: 200 }, { status: 204 }, { status: 200 }])).toEqual([
      200, 204, 429,
    ])
  })

  it('does not refund its own 429s, whose status is 400 or more', async () => {
    const { app } = setup({ limit: 1, window: '1m', skipFailedRequests: true })
    expect(await codes(app, [{ status: 200 }, {}, {}])).toEqual([200, 429, 429])
  })

  it('refunds what a dynamic cost spent', async () => {
    const { app, limiter } = setup({
      limit: 10,
      window: '1m',
      algorithm: 'fixed-window',
      cost: (ctx) => (ctx.path === '/export' ? 5 : 1),
      skipFailedRequests: true,
    })
    await app.send({ path: '/export', status: 503 })
    expect((await limiter.peek('203.0.113.1')).policies[0]?.remaining).toBe(10)
    await app.send({ path: '/export', status: 200 })
    expect((await limiter.peek('203.0.113.1')).policies[0]?.remaining).toBe(5)
  })
})
