/**
 * `lockout()` behaviour every adapter must show, on the harness's `POST /login` (a plain
 * handler: 200 for the right password, 401 otherwise): pass these to
 * `runConformanceSuite(harness, [lockoutCases])`.
 * @module
 */
import type { SecurityEvent } from '@rampart/core'
import { CONFORMANCE_PASSWORD, type ConformanceCases, type RunningApp } from '@rampart/core/testing'
import { describe, expect, it } from 'vitest'
import { lockout } from '../lockout.js'
import type { LockoutOptions } from '../options.js'

/** The identity the cases' guards read: the JSON body's `username`. */
const fromBody: LockoutOptions['identify'] = async (ctx) =>
  ((await ctx.body()) as { username?: unknown } | undefined)?.username

function login(app: RunningApp, username: string, password: string): Promise<Response> {
  return fetch(`${app.origin}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
}

/** What a client can observe of one answer: status, `Retry-After`, body (request id aside). */
async function observed(res: Response): Promise<string> {
  const text = await res.text()
  let body: unknown = text
  if (res.headers.get('content-type') === 'application/problem+json') {
    const { requestId: _, ...rest } = JSON.parse(text) as Record<string, unknown>
    body = rest
  }
  return JSON.stringify([res.status, res.headers.get('retry-after'), body])
}

/** Response phases run after the response is sent: poll until settled state shows. */
async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 3_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** Conformance cases for `@rampart/lockout`. */
export const lockoutCases: ConformanceCases = (_harness, start) => {
  describe('lockout', () => {
    it('counts 401s from a plain login handler, then answers 429 before the handler runs', async () => {
      const events: SecurityEvent[] = []
      const guard = lockout({ identify: fromBody, pair: { failures: 3 } })
      const app = await start({ guards: [guard], onEvent: (e) => events.push(e) })
      for (let i = 0; i < 3; i++) {
        const res = await login(app, 'alice', 'wrong')
        expect(res.status).toBe(401)
        await res.text()
        // Settled in the response phase, after the response: wait before the next guess.
        await until(
          async () =>
            (await guard.status('alice', '127.0.0.1')).pair?.failures === i + 1 ||
            (await guard.status('alice', '127.0.0.1')).locked,
        )
      }
      const refused = await login(app, 'alice', CONFORMANCE_PASSWORD)
      expect(refused.status).toBe(429)
      expect(refused.headers.get('content-type')).toBe('application/problem+json')
      expect(refused.headers.get('retry-after')).toBe('900')
      expect(await refused.json()).toMatchObject({
        type: 'urn:rampart:problem:too-many-attempts',
        status: 429,
        retryAfter: 900,
      })
      expect(app.handlerCalls).toBe(3)
      expect(events).toContainEqual(
        expect.objectContaining({ type: 'lockout.locked', counter: 'pair', source: 'lockout' }),
      )
      expect(JSON.stringify(events)).not.toContain('alice')
    })

    it('reads the identity after the framework body parser too', async () => {
      const guard = lockout({ identify: fromBody, pair: { failures: 1 } })
      const app = await start({ guards: [guard], parser: 'before' })
      await (await login(app, 'bob', 'wrong')).text()
      await until(async () => (await guard.status('bob', '127.0.0.1')).locked)
      expect((await login(app, 'bob', CONFORMANCE_PASSWORD)).status).toBe(429)
    })

    it('lets only the threshold through when guesses arrive in parallel', async () => {
      const guard = lockout({ identify: fromBody, pair: { failures: 3 } })
      const app = await start({ guards: [guard] })
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => login(app, 'carol', 'wrong').then((r) => r.status)),
      )
      expect(answers.filter((s) => s === 401)).toHaveLength(3)
      expect(answers.filter((s) => s === 429)).toHaveLength(17)
      expect(app.handlerCalls).toBe(3)
    })

    it('a success clears the pair: the next failures start from zero', async () => {
      const guard = lockout({ identify: fromBody, pair: { failures: 2 } })
      const app = await start({ guards: [guard] })
      const pairFailures = async () => (await guard.status('dave', '127.0.0.1')).pair?.failures
      await (await login(app, 'dave', 'wrong')).text()
      await until(async () => (await pairFailures()) === 1)
      expect((await login(app, 'dave', CONFORMANCE_PASSWORD)).status).toBe(200)
      await until(async () => (await pairFailures()) === 0)
      await (await login(app, 'dave', 'wrong')).text()
      await until(async () => (await pairFailures()) === 1)
      expect((await login(app, 'dave', 'wrong')).status).toBe(401)
    })

    it('answers unknown and existing accounts with the same sequence', async () => {
      const sequence = async (username: string) => {
        const app = await start({
          guards: [lockout({ identify: fromBody, pair: { failures: 2 } })],
        })
        const seen: string[] = []
        for (let i = 0; i < 4; i++) {
          seen.push(await observed(await login(app, username, 'wrong')))
          // Let the response phase settle before the next guess.
          await new Promise((resolve) => setTimeout(resolve, 50))
        }
        return seen
      }
      const known = await sequence('erin')
      expect(known.map((s) => JSON.parse(s)[0])).toEqual([401, 401, 429, 429])
      expect(await sequence('nobody-by-this-name')).toEqual(known)
    })

    it('a handler error (5xx) gives the attempt back', async () => {
      const guard = lockout({
        identify: fromBody,
        pair: false,
        account: false,
        ip: { failures: 1 },
      })
      const app = await start({ guards: [guard] })
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${app.origin}/throw`)
        expect(res.status).toBe(500)
        await res.text()
      }
      await until(async () => (await guard.status(undefined, '127.0.0.1')).ip?.failures === 0)
      expect((await login(app, 'frank', 'wrong')).status).toBe(401)
      await until(async () => (await guard.status(undefined, '127.0.0.1')).locked)
      expect((await login(app, 'frank', CONFORMANCE_PASSWORD)).status).toBe(429)
    })

    it('a malformed JSON body is a 400 problem, and counts nothing', async () => {
      const guard = lockout({
        identify: fromBody,
        pair: false,
        account: false,
        ip: { failures: 1 },
      })
      const app = await start({ guards: [guard] })
      const res = await fetch(`${app.origin}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"username": "gina", "password": ',
      })
      expect(res.status).toBe(400)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      expect(await res.text()).not.toMatch(/at .*\.js/)
      expect((await guard.status(undefined, '127.0.0.1')).ip?.failures).toBe(0)
      expect((await login(app, 'gina', CONFORMANCE_PASSWORD)).status).toBe(200)
    })
  })
}
