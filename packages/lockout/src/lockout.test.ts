import {
  memoryStore,
  type SecurityContext,
  type SecurityEvent,
  StoreUnavailableError,
} from '@rampart/core'
import { manualClock, testApp } from '@rampart/core/testing'
import { describe, expect, it } from 'vitest'
import { type Attempt, type BeginResult, type Lockout, lockout, lockoutAttempt } from './lockout.js'
import type { LockoutOptions } from './options.js'

const SECRET = 'a-test-secret-of-32-characters!!'
const MINUTE = 60_000

function setup(options: Partial<LockoutOptions> = {}) {
  const clock = manualClock()
  const events: SecurityEvent[] = []
  const guard = lockout({
    identify: async (ctx) => ((await ctx.body()) as { username?: unknown } | undefined)?.username,
    secret: SECRET,
    store: memoryStore({ clock: clock.now }),
    onEvent: (e) => events.push(e),
    ...options,
  })
  return { guard, clock, events, app: testApp([guard], clock) }
}

function admitted(result: BeginResult): Attempt {
  if (!result.allowed) throw new Error(`refused, retry after ${result.retryAfter} ms`)
  return result
}

async function failTimes(guard: Lockout, n: number, user: string, ip: string) {
  for (let i = 0; i < n; i++) await admitted(await guard.begin(user, ip)).fail()
}

describe('pair counter (account, IP)', () => {
  it('locks the pair after 5 failures for 15 minutes, then lets it in again', async () => {
    const { guard, clock } = setup({ ip: false, account: false })
    await failTimes(guard, 5, 'alice', '203.0.113.7')
    const refused = await guard.begin('alice', '203.0.113.7')
    expect(refused).toEqual({ allowed: false, retryAfter: 15 * MINUTE })
    clock.advance(15 * MINUTE - 1)
    expect((await guard.begin('alice', '203.0.113.7')).allowed).toBe(false)
    clock.advance(1)
    const again = admitted(await guard.begin('alice', '203.0.113.7'))
    await again.fail()
    // A fresh count after the lock: four more failures do not lock.
    await failTimes(guard, 3, 'alice', '203.0.113.7')
    expect((await guard.begin('alice', '203.0.113.7')).allowed).toBe(true)
  })

  it('does not lock the account from other IPs', async () => {
    const { guard } = setup({ ip: false, account: false })
    await failTimes(guard, 5, 'alice', '203.0.113.7')
    expect((await guard.begin('alice', '203.0.113.7')).allowed).toBe(false)
    expect((await guard.begin('alice', '198.51.100.2')).allowed).toBe(true)
  })

  it('50 parallel guesses with a threshold of 5 run at most 5 verifications', async () => {
    const { guard } = setup({ ip: false, account: false })
    const results = await Promise.all(
      Array.from({ length: 50 }, () => guard.begin('alice', '203.0.113.7')),
    )
    const admittedAttempts = results.filter((r): r is Attempt => r.allowed)
    expect(admittedAttempts).toHaveLength(5)
    await Promise.all(admittedAttempts.map((a) => a.fail()))
    expect((await guard.begin('alice', '203.0.113.7')).allowed).toBe(false)
    expect(await guard.status('alice', '203.0.113.7')).toMatchObject({
      locked: true,
      pair: { locked: true, retryAfter: 15 * MINUTE },
    })
  })

  it('hammering a locked pair does not extend the lock', async () => {
    const { guard, clock } = setup({ ip: false, account: false })
    await failTimes(guard, 5, 'alice', '203.0.113.7')
    for (let i = 0; i < 10; i++) {
      clock.advance(MINUTE)
      await guard.begin('alice', '203.0.113.7')
    }
    clock.advance(5 * MINUTE)
    expect((await guard.begin('alice', '203.0.113.7')).allowed).toBe(true)
  })

  it('with escalation, each new lock of the pair lasts longer, up to the maximum', async () => {
    const { guard, clock, events } = setup({
      ip: false,
      account: false,
      pair: { failures: 2, lockFor: '1m', escalate: { factor: 3, max: '5m' } },
    })
    const locks: number[] = []
    for (let round = 0; round < 3; round++) {
      await failTimes(guard, 2, 'alice', '203.0.113.7')
      const refused = await guard.begin('alice', '203.0.113.7')
      expect(refused.allowed).toBe(false)
      locks.push((refused as { retryAfter: number }).retryAfter)
      clock.advance(locks[round] as number)
    }
    expect(locks).toEqual([MINUTE, 3 * MINUTE, 5 * MINUTE])
    expect(events.filter((e) => e.type === 'lockout.locked').map((e) => e.for)).toEqual([
      MINUTE,
      3 * MINUTE,
      5 * MINUTE,
    ])
  })

  it('a success clears the pair, not the IP spray counter, not other IPs', async () => {
    const { guard } = setup({ pair: { failures: 3 }, ip: { failures: 5 }, account: false })
    await failTimes(guard, 2, 'alice', '203.0.113.7')
    await failTimes(guard, 2, 'alice', '198.51.100.2')
    await admitted(await guard.begin('alice', '203.0.113.7')).succeed()
    // The pair starts afresh: two more failures do not lock it.
    await failTimes(guard, 2, 'alice', '203.0.113.7')
    expect((await guard.begin('alice', '203.0.113.7')).allowed).toBe(true)
    // The other IP's pair kept its two failures: one more locks it.
    await failTimes(guard, 1, 'alice', '198.51.100.2')
    expect((await guard.begin('alice', '198.51.100.2')).allowed).toBe(false)
    const status = await guard.status('alice', '203.0.113.7')
    // The IP counted its four failures; the success and the pending attempt are not among them.
    expect(status.ip).toMatchObject({ failures: 4, locked: false })
  })

  it('cancel() gives the reservation back; settling twice counts once', async () => {
    const { guard } = setup({ pair: { failures: 2 }, ip: false, account: false })
    for (let i = 0; i < 10; i++) await admitted(await guard.begin('alice', '203.0.113.7')).cancel()
    const attempt = admitted(await guard.begin('alice', '203.0.113.7'))
    await attempt.fail()
    await attempt.fail()
    await attempt.succeed()
    expect((await guard.status('alice', '203.0.113.7')).pair).toMatchObject({ failures: 1 })
  })
})

describe('per-IP spraying counter', () => {
  it('blocks the IP after failures across many accounts, for every account', async () => {
    const { guard, clock } = setup({ pair: false, account: false, ip: { failures: 3 } })
    for (const user of ['ann', 'bob', 'cat']) await failTimes(guard, 1, user, '203.0.113.7')
    expect(await guard.begin('dan', '203.0.113.7')).toEqual({
      allowed: false,
      retryAfter: 60 * MINUTE,
    })
    expect((await guard.begin('dan', '198.51.100.2')).allowed).toBe(true)
    clock.advance(60 * MINUTE)
    expect((await guard.begin('dan', '203.0.113.7')).allowed).toBe(true)
  })

  it('counts IPv6 clients by their /56, and IPv4-mapped addresses as IPv4', async () => {
    const { guard } = setup({ pair: false, account: false, ip: { failures: 2 } })
    await failTimes(guard, 1, 'ann', '2001:db8:abcd:1201::1')
    await failTimes(guard, 1, 'bob', '2001:db8:abcd:12ff::2')
    expect((await guard.begin('cat', '2001:db8:abcd:1234::9')).allowed).toBe(false)
    await failTimes(guard, 2, 'ann', '::ffff:192.0.2.1')
    expect((await guard.begin('bob', '192.0.2.1')).allowed).toBe(false)
  })

  it('concurrent attempts from one IP never exceed its budget', async () => {
    const { guard } = setup({ pair: false, account: false, ip: { failures: 7 } })
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => guard.begin(`user-${i}`, '203.0.113.7')),
    )
    expect(results.filter((r) => r.allowed)).toHaveLength(7)
  })
})

describe('per-account counter', () => {
  it('delays attempts after delayAfter failures from any IP, doubling up to maxDelay', async () => {
    const { guard, clock } = setup({
      pair: false,
      ip: false,
      account: { delayAfter: 2, delay: '1s', maxDelay: '4s' },
    })
    await failTimes(guard, 1, 'alice', '203.0.113.1')
    await failTimes(guard, 1, 'alice', '203.0.113.2')
    const waits: number[] = []
    for (let i = 0; i < 4; i++) {
      const attempt = admitted(await guard.begin('alice', `198.51.100.${i}`))
      const refused = await guard.begin('alice', '192.0.2.1')
      expect(refused.allowed).toBe(false)
      waits.push((refused as { retryAfter: number }).retryAfter)
      await attempt.fail()
      clock.advance(waits[i] as number)
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 4_000])
    // A success ends the run: no more delays.
    await admitted(await guard.begin('alice', '192.0.2.1')).succeed()
    await admitted(await guard.begin('alice', '192.0.2.1')).fail()
    expect((await guard.begin('alice', '192.0.2.1')).allowed).toBe(true)
  })

  it('holds the NIST ceiling: at most 100 verifications, however parallel and spread out', async () => {
    const { guard } = setup({ pair: false, ip: false, account: { delayAfter: 100 } })
    const results = await Promise.all(
      Array.from({ length: 150 }, (_, i) => guard.begin('alice', `10.0.${i >> 8}.${i & 255}`)),
    )
    const admittedAttempts = results.filter((r): r is Attempt => r.allowed)
    expect(admittedAttempts).toHaveLength(100)
    await Promise.all(admittedAttempts.map((a) => a.fail()))
    const status = await guard.status('alice')
    expect(status.account).toMatchObject({ locked: true, retryAfter: 24 * 60 * MINUTE })
  })

  it('unlock() clears the account and its pairs with every IP', async () => {
    const { guard, events } = setup({
      ip: false,
      pair: { failures: 2 },
      account: { delayAfter: 3 },
    })
    await failTimes(guard, 2, 'alice', '203.0.113.1')
    await failTimes(guard, 2, 'alice', '203.0.113.2')
    expect((await guard.begin('alice', '203.0.113.1')).allowed).toBe(false)
    expect((await guard.begin('alice', '203.0.113.2')).allowed).toBe(false)
    await guard.unlock('ALICE ')
    expect(await guard.status('alice', '203.0.113.1')).toMatchObject({ locked: false })
    await failTimes(guard, 1, 'alice', '203.0.113.1')
    expect((await guard.begin('alice', '203.0.113.1')).allowed).toBe(true)
    expect((await guard.begin('alice', '203.0.113.2')).allowed).toBe(true)
    const unlocked = events.find((e) => e.type === 'lockout.unlocked')
    expect(unlocked).toMatchObject({ source: 'lockout' })
    expect(JSON.stringify(unlocked)).not.toContain('alice')
  })

  it('unlockIp() releases a blocked IP', async () => {
    const { guard } = setup({ pair: false, account: false, ip: { failures: 1 } })
    await failTimes(guard, 1, 'ann', '203.0.113.7')
    expect((await guard.begin('bob', '203.0.113.7')).allowed).toBe(false)
    await guard.unlockIp('203.0.113.7')
    expect((await guard.begin('bob', '203.0.113.7')).allowed).toBe(true)
  })
})

describe('identities', () => {
  it('share one counter across spacing, case and full-width spellings', async () => {
    const { guard } = setup({ ip: false, account: false, pair: { failures: 3 } })
    for (const spelling of [
      ' Alice@Example.COM',
      'alice@example.com ',
      'ａｌｉｃｅ＠ｅｘａｍｐｌｅ．ｃｏｍ',
    ]) {
      await failTimes(guard, 1, spelling, '203.0.113.7')
    }
    expect((await guard.begin('ALICE@EXAMPLE.COM', '203.0.113.7')).allowed).toBe(false)
  })

  it('keeps case apart with caseSensitive', async () => {
    const { guard } = setup({
      ip: false,
      account: false,
      pair: { failures: 1 },
      caseSensitive: true,
    })
    await failTimes(guard, 1, 'Alice', '203.0.113.7')
    expect((await guard.begin('alice', '203.0.113.7')).allowed).toBe(true)
    expect((await guard.begin(' Alice', '203.0.113.7')).allowed).toBe(false)
  })

  it('never puts the identity in a store key or an event', async () => {
    const keys: string[] = []
    const store = memoryStore()
    const recording = new Proxy(store, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver)
        if (typeof value !== 'function') return value
        return (...args: unknown[]) => {
          const first = args[0]
          if (typeof first === 'string') keys.push(first)
          if (Array.isArray(first)) for (const r of first) keys.push((r as { key: string }).key)
          return value.apply(target, args)
        }
      },
    })
    const { guard, events } = setup({ store: recording, pair: { failures: 1 } })
    await failTimes(guard, 1, 'alice@example.com', '203.0.113.7')
    await guard.begin('alice@example.com', '203.0.113.7')
    await guard.unlock('alice@example.com')
    expect(keys.length).toBeGreaterThan(5)
    for (const key of keys) expect(key).not.toMatch(/alice|example/i)
    expect(events.length).toBeGreaterThan(2)
    expect(JSON.stringify(events)).not.toMatch(/alice|example/i)
  })

  it('takes anything but an address as no address (no counter, no key)', async () => {
    const { guard } = setup({ pair: { failures: 1 }, ip: { failures: 1 }, account: false })
    await failTimes(guard, 1, 'alice', '}{i:1.2.3.4} not-an-ip')
    // The pair counted under the unknown address; no IP counter was touched.
    expect((await guard.begin('alice', 'garbage')).allowed).toBe(false)
    expect((await guard.begin('bob', 'garbage')).allowed).toBe(true)
  })

  it('without an identity, only the IP counter applies', async () => {
    const { guard } = setup({ ip: { failures: 2 } })
    await failTimes(guard, 2, undefined as unknown as string, '203.0.113.7')
    expect((await guard.begin(42, '203.0.113.7')).allowed).toBe(false)
    expect((await guard.begin('', '198.51.100.1')).allowed).toBe(true)
  })
})

describe('the guard', () => {
  const login = (username: unknown, status: number, ip = '203.0.113.7') => ({
    body: { username, password: 'x' },
    status,
    ip,
  })

  it('reserves in the request phase and settles from the final status', async () => {
    const { app } = setup({ pair: { failures: 3 }, ip: false, account: false })
    for (let i = 0; i < 3; i++) expect((await app.send(login('alice', 401))).status).toBe(401)
    const refused = await app.send(login('alice', 200))
    expect(refused.status).toBe(429)
    expect(refused.headers['retry-after']).toBe('900')
    expect(refused.body).toEqual({
      type: 'urn:rampart:problem:too-many-attempts',
      title: 'Too Many Requests',
      status: 429,
      detail: 'Too many attempts; retry in 900 seconds.',
      retryAfter: 900,
      requestId: expect.any(String),
    })
  })

  it('5xx, other statuses and dropped responses give the attempt back; 2xx clears', async () => {
    const { app } = setup({ pair: { failures: 2 }, ip: false, account: false })
    await app.send(login('alice', 401))
    for (const status of [500, 503, 302, 400, 404]) await app.send(login('alice', status))
    await app.send({ ...login('alice', 200), aborted: true })
    expect((await app.send(login('alice', 200))).status).toBe(200)
    await app.send(login('alice', 401))
    expect((await app.send(login('alice', 401))).status).toBe(401)
    expect((await app.send(login('alice', 200))).status).toBe(429)
  })

  it('a failure status counts even when the client hung up', async () => {
    const { app } = setup({ pair: { failures: 1 }, ip: false, account: false })
    await app.send({ ...login('alice', 401), aborted: true })
    expect((await app.send(login('alice', 200))).status).toBe(429)
  })

  it('honours failureStatuses', async () => {
    const { app } = setup({
      pair: { failures: 1 },
      ip: false,
      account: false,
      failureStatuses: [403],
    })
    await app.send(login('alice', 401))
    expect((await app.send(login('alice', 403))).status).toBe(403)
    expect((await app.send(login('alice', 200))).status).toBe(429)
  })

  it('settles redirects by successStatuses and failureStatuses (form logins)', async () => {
    const { app } = setup({
      pair: { failures: 2 },
      ip: false,
      account: false,
      failureStatuses: [303],
      successStatuses: [302],
    })
    await app.send(login('alice', 303))
    await app.send(login('alice', 302))
    // The success cleared the first failure: one more does not lock.
    await app.send(login('alice', 303))
    expect((await app.send(login('alice', 200))).status).toBe(200)
    await app.send(login('alice', 303))
    expect((await app.send(login('alice', 302))).status).toBe(429)
  })

  it('a handler can settle the attempt itself', async () => {
    const settler = {
      name: 'settler',
      async response(ctx: SecurityContext) {
        await ctx.state.get(lockoutAttempt)?.fail()
      },
    }
    const { guard, clock } = setup({ pair: { failures: 1 }, ip: false, account: false })
    const app = testApp([settler, guard], clock)
    // Answered 200, settled as a failure by the handler: the guard's own settling is a no-op.
    await app.send(login('alice', 200))
    expect((await app.send(login('alice', 200))).status).toBe(429)
  })

  it('without identify, counts per IP only', async () => {
    const { app } = setup({ identify: undefined, ip: { failures: 2 } })
    await app.send(login('alice', 401))
    await app.send(login('bob', 401))
    expect((await app.send(login('carol', 200))).status).toBe(429)
    expect((await app.send(login('carol', 200, '198.51.100.1'))).status).toBe(200)
  })

  it('answers unknown and existing accounts with the same sequence', async () => {
    const sequence = async (user: string) => {
      const { app } = setup()
      const seen: string[] = []
      for (let i = 0; i < 7; i++) {
        const res = await app.send(login(user, 401))
        const { requestId: _, ...body } = res.body ?? {}
        seen.push(`${res.status} ${res.headers['retry-after'] ?? '-'} ${JSON.stringify(body)}`)
      }
      return seen
    }
    expect(await sequence('no-such-user')).toEqual(await sequence('alice'))
  })
})

describe('store failures', () => {
  const broken = () => {
    const store = memoryStore()
    const fail = async () => {
      throw new StoreUnavailableError('memory', new Error('down'))
    }
    return Object.assign(Object.create(store) as typeof store, {
      consume: fail,
      get: fail,
      setIfAbsent: fail,
    })
  }

  it('fails closed by default: 503 with Retry-After, and begin() rejects', async () => {
    const { app, guard } = setup({ store: broken() })
    const res = await app.send({ body: { username: 'alice' }, status: 200 })
    expect(res.status).toBe(503)
    expect(res.headers['retry-after']).toBe('5')
    expect(res.body).toMatchObject({ type: 'urn:rampart:problem:lockout-unavailable' })
    await expect(guard.begin('alice', '203.0.113.7')).rejects.toThrow(/memory/)
    expect(app.eventsOf('lockout.unavailable')).toEqual([
      expect.objectContaining({ store: 'memory', open: false }),
    ])
  })

  it("fails open with onStoreFailure: 'open': admitted, uncounted", async () => {
    const { app } = setup({ store: broken(), onStoreFailure: 'open' })
    for (let i = 0; i < 10; i++) {
      expect((await app.send({ body: { username: 'alice' }, status: 401 })).status).toBe(401)
    }
  })
})
