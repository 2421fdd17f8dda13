/**
 * Integration: `lockout()` against a real Redis, through `@rampart/redis` and ioredis.
 *
 * Needs a Redis server at REDIS_URL (default redis://127.0.0.1:6379). Node only: the edge run
 * (vitest.edge.config.ts) and the web typecheck (tsconfig.json) exclude `*.redis.test.ts`; this
 * file is typechecked by tsconfig.redis.json.
 *
 * What it covers, with real time and no mocks:
 * 1. reservations are atomic on Redis: 50 parallel guesses on one pair admit exactly `failures`;
 * 2. the same holds across two instances (two stores on two connections, same secret);
 * 3. the NIST ceiling: 150 parallel guesses from 150 IPs admit exactly 100, then the account locks;
 * 4. a lock expires on Redis' clock and the pair is admitted again;
 * 5. `unlock()` from another process (a child Node process on the built dist) releases the pair;
 * 6. the key layout: hash-tagged `{a:<HMAC>}` / `{i:<ip>}`, no username, every key with a TTL;
 * 7. unknown and existing accounts get identical answers through the guard;
 * 8. an unreachable Redis fails closed (503, Retry-After 5) or, with `onStoreFailure: 'open'`, open.
 *
 * Every key lives under a per-run prefix (`rampart-lockout-test:<uuid>:`) and is deleted in
 * `afterAll`; each test uses its own identities and IPs so the tests do not share counters.
 */
import { execFile } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { testApp } from '@rampart/core/testing'
import { redisStore } from '@rampart/redis'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Attempt, type BeginResult, type Lockout, lockout } from './lockout.js'
import type { LockoutOptions } from './options.js'

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const realClock = { now: () => Date.now(), advance: () => {} }
const SECRET = 'a-redis-test-secret-of-32-chars!'
const MINUTE = 60_000

/** The package root: the child process of test 5 runs there so its imports resolve. */
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url))

let client: Redis
let second: Redis
/** A store prefix no other run shares; keys expire on their own and are deleted after. */
const runPrefix = `rampart-lockout-test:${crypto.randomUUID()}:`

const connect = async () => {
  const c = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 })
  c.on('error', () => {})
  await c.connect()
  return c
}

beforeAll(async () => {
  client = await connect()
  // A second connection stands for a second app instance.
  second = await connect()
})

afterAll(async () => {
  let cursor = '0'
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${runPrefix}*`, 'COUNT', 1000)
    cursor = next
    if (keys.length > 0) await client.del(...keys)
  } while (cursor !== '0')
  client.disconnect()
  second.disconnect()
})

const store = (c: Redis = client) => redisStore({ client: c, prefix: runPrefix })

const identify: LockoutOptions['identify'] = async (ctx) =>
  ((await ctx.body()) as { username?: unknown } | undefined)?.username

/** A lockout on Redis with the shared secret and the default key prefix. */
function onRedis(options: Partial<LockoutOptions> = {}): Lockout {
  return lockout({ identify, secret: SECRET, store: store(), ...options })
}

function admitted(result: BeginResult): Attempt {
  if (!result.allowed) throw new Error(`refused, retry after ${result.retryAfter} ms`)
  return result
}

async function failTimes(guard: Lockout, n: number, user: string, ip: string) {
  for (let i = 0; i < n; i++) await admitted(await guard.begin(user, ip)).fail()
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Every key under this run's prefix. */
async function runKeys(): Promise<string[]> {
  const found: string[] = []
  let cursor = '0'
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${runPrefix}*`, 'COUNT', 1000)
    cursor = next
    found.push(...keys)
  } while (cursor !== '0')
  return found
}

/** The store id of a (normalised) identity: HMAC-SHA256 under the secret, 128 bits, base64url. */
const storeId = (identity: string) =>
  createHmac('sha256', SECRET).update(identity).digest().subarray(0, 16).toString('base64url')

/** Every username this file sends: none may appear in a Redis key. */
const USERNAMES = [
  'race-user@example.com',
  'two-instances@example.com',
  'nist-ceiling@example.com',
  'expiry-user@example.com',
  'remote-unlock@example.com',
  'keys-user@example.com',
  'no-such-user@example.com',
  'existing-user@example.com',
  'outage-user@example.com',
]

describe('lockout on Redis', () => {
  it('50 parallel wrong guesses on one pair admit exactly 5, then the pair is locked', async () => {
    const guard = onRedis({ pair: { failures: 5, lockFor: '10m' } })
    const user = 'race-user@example.com'
    const ip = '198.51.100.10'
    const results = await Promise.all(Array.from({ length: 50 }, () => guard.begin(user, ip)))
    const admittedAttempts = results.filter((r): r is Attempt => r.allowed)
    expect(admittedAttempts).toHaveLength(5)
    await Promise.all(admittedAttempts.map((a) => a.fail()))
    const refused = await guard.begin(user, ip)
    expect(refused.allowed).toBe(false)
    const { retryAfter } = refused as { retryAfter: number }
    expect(retryAfter).toBeGreaterThan(10 * MINUTE - 5_000)
    expect(retryAfter).toBeLessThanOrEqual(10 * MINUTE)
  })

  it('two instances on two connections still admit exactly 5 in total', async () => {
    const options = { pair: { failures: 5 } }
    const instances = [
      onRedis(options),
      lockout({ identify, secret: SECRET, store: store(second), ...options }),
    ]
    const user = 'two-instances@example.com'
    const ip = '198.51.100.20'
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => instances[i % 2]?.begin(user, ip)),
    )
    const admittedAttempts = results.filter((r): r is Attempt => r?.allowed === true)
    expect(admittedAttempts).toHaveLength(5)
    await Promise.all(admittedAttempts.map((a) => a.fail()))
    // The lock one instance set refuses the other too.
    for (const instance of instances) expect((await instance?.begin(user, ip))?.allowed).toBe(false)
  })

  it('holds the NIST ceiling: 150 parallel guesses from 150 IPs admit exactly 100', async () => {
    const guard = onRedis({
      pair: false,
      ip: false,
      account: { failures: 100, delayAfter: 100 },
    })
    const user = 'nist-ceiling@example.com'
    const results = await Promise.all(
      Array.from({ length: 150 }, (_, i) => guard.begin(user, `10.30.${i >> 8}.${i & 255}`)),
    )
    const admittedAttempts = results.filter((r): r is Attempt => r.allowed)
    expect(admittedAttempts).toHaveLength(100)
    await Promise.all(admittedAttempts.map((a) => a.fail()))
    const status = await guard.status(user)
    expect(status.account?.locked).toBe(true)
    expect(status.locked).toBe(true)
    expect((await guard.begin(user, '10.30.9.9')).allowed).toBe(false)
  })

  it('a lock expires on real time and the pair is admitted again', async () => {
    const guard = onRedis({ pair: { failures: 2, lockFor: '1s', within: '1m' } })
    const user = 'expiry-user@example.com'
    const ip = '198.51.100.40'
    await failTimes(guard, 2, user, ip)
    const refused = await guard.begin(user, ip)
    expect(refused.allowed).toBe(false)
    const { retryAfter } = refused as { retryAfter: number }
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(1_000)
    await sleep(1_100)
    const again = admitted(await guard.begin(user, ip))
    await again.cancel()
    expect((await guard.status(user, ip)).pair).toMatchObject({ locked: false, failures: 0 })
  })

  // The child imports `@rampart/lockout`, i.e. this package's built dist/index.js: turbo builds
  // the package before its tests run.
  it('unlock() from another process releases the pair (needs the built dist)', async () => {
    const options = { pair: { failures: 2 }, account: { delayAfter: 10 } }
    const guard = onRedis(options)
    const user = 'remote-unlock@example.com'
    const ip = '198.51.100.50'
    await failTimes(guard, 2, user, ip)
    expect((await guard.begin(user, ip)).allowed).toBe(false)

    const script = `
        import { lockout } from '@rampart/lockout'
        import { redisStore } from '@rampart/redis'
        import { Redis } from 'ioredis'
        const job = JSON.parse(process.env.LOCKOUT_UNLOCK_JOB)
        const client = new Redis(job.url, { lazyConnect: true, maxRetriesPerRequest: 1 })
        client.on('error', () => {})
        await client.connect()
        try {
          const guard = lockout({
            identify: () => undefined,
            secret: job.secret,
            store: redisStore({ client, prefix: job.prefix }),
            ...job.options,
          })
          await guard.unlock(job.identity)
        } finally {
          client.disconnect()
        }
      `
    const job = { url: REDIS_URL, secret: SECRET, prefix: runPrefix, options, identity: user }
    await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: PACKAGE_DIR,
      env: { ...process.env, LOCKOUT_UNLOCK_JOB: JSON.stringify(job) },
      timeout: 15_000,
    })

    const again = admitted(await guard.begin(user, ip))
    await again.cancel()
  })

  it('keys are hash-tagged HMACs or IPs, never the username, and every key has a TTL', async () => {
    const guard = onRedis({ pair: { failures: 5 } })
    const user = 'keys-user@example.com'
    const ipv4 = '198.51.100.60'
    const ipv6 = '2001:db8:60::1'
    await failTimes(guard, 2, user, ipv4)
    await failTimes(guard, 1, ` ${user.toUpperCase()}`, ipv6)
    // One attempt still in flight: its reservation is a key too.
    const pending = admitted(await guard.begin(user, ipv4))

    const keys = await runKeys()
    const layout = new RegExp(
      `^${runPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}lockout:` +
        '\\{(a:[A-Za-z0-9_-]{22}|i:[0-9a-f.:/]+)\\}' +
        ':([rflnte]|p[A-Za-z0-9_-]+:[0-9a-f.:/-]+:[rfln])$',
    )
    expect(keys.length).toBeGreaterThan(0)
    for (const key of keys) {
      expect(key).toMatch(layout)
      for (const name of USERNAMES) {
        expect(key.toLowerCase()).not.toContain(name)
        expect(key.toLowerCase()).not.toContain(name.split('@')[0])
      }
    }

    // This test's own keys, exactly: the account's and its pairs' (one /56 for the IPv6
    // client), and each IP's spraying counter.
    const id = storeId(user)
    const tags = [`{a:${id}}`, `{i:${ipv4}}`, '{i:2001:db8:60::/56}']
    const own = keys
      .filter((k) => tags.some((t) => k.includes(t)))
      .map((k) => k.slice(runPrefix.length))
      .sort()
    expect(own).toEqual(
      [
        `lockout:{a:${id}}:r`,
        `lockout:{a:${id}}:f`,
        `lockout:{a:${id}}:p0:${ipv4}:r`,
        `lockout:{a:${id}}:p0:${ipv4}:f`,
        `lockout:{a:${id}}:p0:2001:db8:60::/56:r`,
        `lockout:{a:${id}}:p0:2001:db8:60::/56:f`,
        `lockout:{i:${ipv4}}:r`,
        `lockout:{i:${ipv4}}:f`,
        'lockout:{i:2001:db8:60::/56}:r',
        'lockout:{i:2001:db8:60::/56}:f',
      ].sort(),
    )

    // PTTL: -1 would be a key without expiry; -2 one that expired since the SCAN (earlier
    // tests' short locks), which is fine. This test's keys all live for minutes.
    const ttls = await Promise.all(keys.map((k) => client.pttl(k)))
    keys.forEach((key, i) => {
      const ttl = ttls[i] as number
      expect(ttl, key).not.toBe(-1)
      if (own.includes(key.slice(runPrefix.length))) expect(ttl, key).toBeGreaterThan(0)
      else expect(ttl === -2 || ttl > 0, key).toBe(true)
    })
    await pending.cancel()
  })

  it('answers unknown and existing accounts with the same sequence through the guard', async () => {
    const sequence = async (username: string, ip: string) => {
      const app = testApp([onRedis()], realClock)
      const seen: string[] = []
      for (let i = 0; i < 7; i++) {
        const res = await app.send({ body: { username }, status: 401, ip })
        const { requestId: _, ...body } = res.body ?? {}
        seen.push(`${res.status} ${res.headers['retry-after'] ?? '-'} ${JSON.stringify(body)}`)
      }
      return seen
    }
    const unknown = await sequence('no-such-user@example.com', '198.51.100.70')
    const existing = await sequence('existing-user@example.com', '198.51.100.71')
    expect(unknown).toEqual(existing)
    // Five failures, then the pair's lock (15 minutes by default).
    expect(existing.map((s) => s.split(' ').slice(0, 2).join(' '))).toEqual([
      ...Array.from({ length: 5 }, () => '401 -'),
      '429 900',
      '429 900',
    ])
  })

  it('fails closed with 503 while Redis is unreachable, or open when configured', async () => {
    const dead = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    })
    dead.on('error', () => {})
    try {
      const deadStore = () => redisStore({ client: dead, prefix: runPrefix })
      const body = { username: 'outage-user@example.com' }
      const closed = testApp([onRedis({ store: deadStore() })], realClock)
      const refused = await closed.send({ body, status: 200, ip: '198.51.100.80' })
      expect(refused.status).toBe(503)
      expect(refused.headers['retry-after']).toBe('5')
      expect(refused.body).toMatchObject({ type: 'urn:rampart:problem:lockout-unavailable' })
      expect(closed.eventsOf('lockout.unavailable')).toEqual([
        expect.objectContaining({ store: 'redis', open: false }),
      ])

      const open = testApp([onRedis({ store: deadStore(), onStoreFailure: 'open' })], realClock)
      const through = await open.send({ body, status: 401, ip: '198.51.100.81' })
      expect(through.status).toBe(401)
      expect(open.eventsOf('lockout.unavailable')).toEqual([
        expect.objectContaining({ store: 'redis', open: true }),
      ])
    } finally {
      dead.disconnect()
    }
  })
})
