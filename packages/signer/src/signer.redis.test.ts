/**
 * Integration: replay protection on a real Redis, through `@rampart/redis` and ioredis.
 *
 * Needs a Redis server at REDIS_URL (default redis://127.0.0.1:6379). Node only: the edge run and
 * the web typecheck exclude `*.redis.test.ts`; tsconfig.redis.json typechecks this file.
 *
 * 1. Two OS processes (child Node processes on the built dist, as two app instances) verify the
 *    same signed request at once: exactly one accepts it, the other answers `replayed`.
 * 2. The nonce key holds a TTL of the freshness window (maxAge + skew), and nothing of the
 *    signature or the key material is stored.
 * 3. With Redis unreachable, verification fails closed (the store error reaches the guard, which
 *    answers 503) instead of accepting replays.
 */
import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { testApp } from '@rampart/core/testing'
import { redisStore } from '@rampart/redis'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifySignature } from './guard.js'
import { keyring } from './keyring.js'
import { requestMessage } from './message.js'
import { signRequest } from './sign.js'
import { type VerifyPolicy, verifyMessage } from './verify.js'

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url))
const SECRET_TEXT = 'redis-replay-secret-of-32-bytes!'
const secret = new TextEncoder().encode(SECRET_TEXT)
const runPrefix = `rampart-signer-test:${randomUUID()}:`

let client: Redis

beforeAll(async () => {
  client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 })
  await client.connect()
})

afterAll(async () => {
  const keys = await client.keys(`${runPrefix}*`)
  if (keys.length > 0) await client.del(...keys)
  client.disconnect()
})

async function signed(nonce: string) {
  return signRequest(
    new Request('https://api.example.com/orders?x=1', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"order":1}',
    }),
    { key: { id: 'partner', alg: 'hmac-sha256', key: secret }, nonce },
  )
}

describe('signer on Redis', () => {
  it('two processes verifying the same signed request at once: exactly one accepts it (needs the built dist)', async () => {
    const request = await signed(`race-${randomUUID()}`)
    const job = {
      url: REDIS_URL,
      prefix: runPrefix,
      secret: SECRET_TEXT,
      request: {
        url: request.url,
        method: request.method,
        headers: [...request.headers],
        body: await request.clone().text(),
      },
    }
    const script = `
      import { keyring, requestMessage, verifyMessage } from '@rampart/signer'
      import { redisStore } from '@rampart/redis'
      import { Redis } from 'ioredis'
      const job = JSON.parse(process.env.SIGNER_JOB)
      const client = new Redis(job.url, { lazyConnect: true, maxRetriesPerRequest: 1 })
      client.on('error', () => {})
      await client.connect()
      try {
        const request = new Request(job.request.url, job.request)
        const body = new TextEncoder().encode(job.request.body)
        const result = await verifyMessage(
          { message: requestMessage(request), hasBody: true, body: async () => body, ip: undefined, now: Date.now() },
          {
            keys: keyring([{ id: 'partner', alg: 'hmac-sha256', key: new TextEncoder().encode(job.secret) }]),
            components: ['@method', '@authority', '@path'],
            params: ['created', 'keyid', 'nonce'],
            maxAge: 300000, skew: 5000, digest: 'with-body', digestAlgorithms: ['sha-256'],
            nonces: { store: redisStore({ client }), prefix: job.prefix },
          },
        )
        process.stdout.write(JSON.stringify(result.ok ? 'ok' : result.code))
      } finally {
        client.disconnect()
      }
    `
    const run = () =>
      promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
        cwd: PACKAGE_DIR,
        env: { ...process.env, SIGNER_JOB: JSON.stringify(job) },
        timeout: 20_000,
      })
    const outcomes = (await Promise.all([run(), run()])).map(({ stdout }) => JSON.parse(stdout))
    expect(outcomes.sort()).toEqual(['ok', 'replayed'])
  })

  it('the nonce key lives for the freshness window and holds nothing of the request', async () => {
    const nonce = `ttl-${randomUUID()}`
    const policy: VerifyPolicy = {
      keys: keyring([{ id: 'partner', alg: 'hmac-sha256', key: secret }]),
      components: [],
      params: ['created', 'keyid', 'nonce'],
      maxAge: 120_000,
      skew: 5_000,
      digest: 'with-body',
      digestAlgorithms: ['sha-256'],
      nonces: { store: redisStore({ client }), prefix: runPrefix },
    }
    const request = await signed(nonce)
    const body = new Uint8Array(await request.clone().arrayBuffer())
    const input = {
      message: requestMessage(request),
      hasBody: true,
      body: async () => body,
      ip: undefined,
      now: Date.now(),
    }
    expect(await verifyMessage(input, policy)).toMatchObject({ ok: true })
    expect(await verifyMessage(input, policy)).toMatchObject({ ok: false, code: 'replayed' })
    const keys = await client.keys(`${runPrefix}*${nonce}*`)
    expect(keys).toHaveLength(1)
    const ttl = await client.pttl(keys[0] as string)
    expect(ttl).toBeGreaterThan(100_000)
    expect(ttl).toBeLessThanOrEqual(125_000)
    const stored = await client.dump(keys[0] as string)
    expect(String(stored)).not.toContain(SECRET_TEXT)
  })

  it('fails closed with 503 when Redis is unreachable', async () => {
    const dead = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    })
    dead.on('error', () => {})
    const guard = verifySignature({
      keys: [{ id: 'partner', alg: 'hmac-sha256', key: secret }],
      store: redisStore({ client: dead }),
    })
    const app = testApp([guard])
    // A GET: no body, so the nonce claim is what reaches the store.
    const request = await signRequest(new Request('http://test.local/orders?x=1'), {
      key: { id: 'partner', alg: 'hmac-sha256', key: secret },
      now: app.clock.now,
    })
    const res = await app.send({
      path: '/orders?x=1',
      headers: Object.fromEntries(request.headers),
    })
    expect(res.status).toBe(503)
    expect(res.headers['retry-after']).toBe('5')
    dead.disconnect()
  })
})
