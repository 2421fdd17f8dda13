/**
 * `sanitize()` behaviour every adapter must show, on the harness's `/echo` (body and query as the
 * handler reads them) and `GET /items/:id` (route params): pass these to
 * `runConformanceSuite(harness, [sanitizeCases])`.
 * @module
 */
import type { ConformanceCases, RunningApp } from '@rampart/core/testing'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { sanitize } from '../sanitize.js'

interface Echo {
  body: unknown
  state: Record<string, unknown>
  query: Record<string, unknown>
  queryAgain: Record<string, unknown>
  queryB: unknown
}

function post(app: RunningApp, body: string, type = 'application/json', path = '/echo') {
  return fetch(`${app.origin}${path}`, { method: 'POST', headers: { 'content-type': type }, body })
}

async function problemOf(res: Response) {
  expect(res.headers.get('content-type')).toBe('application/problem+json')
  const text = await res.text()
  expect(text).not.toMatch(/\n\s+at /)
  return JSON.parse(text) as Record<string, unknown>
}

/** Conformance cases for `@rampart/sanitizer`. */
export const sanitizeCases: ConformanceCases = (harness, start) => {
  describe('sanitize', () => {
    it('refuses prototype-pollution and operator keys in a JSON body, naming rule and path', async () => {
      const app = await start({ guards: [sanitize()] })
      const proto = await post(app, '{"user":{"\\u005f_proto__":{"isAdmin":"top-secret"}}}')
      expect(proto.status).toBe(400)
      const problem = await problemOf(proto)
      expect(problem).toMatchObject({ code: 'proto-key', path: 'body.user.__proto__' })
      expect(JSON.stringify(problem)).not.toContain('top-secret')
      const operator = await post(app, '{"username":"admin","password":{"$ne":null}}')
      expect(await problemOf(operator)).toMatchObject({
        code: 'mongo-operator',
        path: 'body.password.$ne',
      })
      expect(app.handlerCalls).toBe(0)
      expect(({} as { isAdmin?: unknown }).isAdmin).toBeUndefined()
    })

    it('refuses 10,000 levels of JSON fast, without a stack overflow', async () => {
      const app = await start({ guards: [sanitize()] })
      const res = await post(app, `${'['.repeat(10_000)}${']'.repeat(10_000)}`)
      expect(res.status).toBe(400)
      expect(await problemOf(res)).toMatchObject({ code: 'max-depth' })
    })

    it('strip mode hands the handler a cleaned body, after the framework parser too', async () => {
      for (const parser of ['none', 'before'] as const) {
        const app = await start({ guards: [sanitize({ mode: 'strip' })], parser })
        const res = await post(app, '{"name":"a\\u0000b","filter":{"$where":"1","ok":1}}')
        expect(res.status, parser).toBe(200)
        expect(((await res.json()) as Echo).body, parser).toEqual({ name: 'ab', filter: { ok: 1 } })
      }
    })

    it('checks urlencoded forms: repeated fields resolved, operators refused', async () => {
      const app = await start({ guards: [sanitize()] })
      const form = await post(
        app,
        'role=user&role=admin&name=x',
        'application/x-www-form-urlencoded',
      )
      expect(form.status).toBe(200)
      expect(((await form.json()) as Echo).body).toMatchObject({ role: 'admin', name: 'x' })
      const bad = await post(app, '$where=1', 'application/x-www-form-urlencoded')
      expect(await problemOf(bad)).toMatchObject({ code: 'mongo-operator', path: 'body.$where' })
    })

    it('the handler reads the sanitised query, once or twice', async () => {
      const app = await start({ guards: [sanitize()] })
      const res = await fetch(`${app.origin}/echo?b=1&b=2&c=caf%C3%A9`)
      expect(res.status).toBe(200)
      const echo = (await res.json()) as Echo
      expect(echo.query).toEqual({ b: '2', c: 'café' })
      expect(echo.queryAgain).toEqual({ b: '2', c: 'café' })
      expect(echo.queryB).toBe('2')
      const nul = await fetch(`${app.origin}/echo?q=a%00b`)
      expect(await problemOf(nul)).toMatchObject({ code: 'nul-byte', path: 'query.q' })
    })

    it.runIf(harness.extendedQueryParser === true)(
      'catches operators in an extended (qs) query: ?password[$ne]=',
      async () => {
        const app = await start({ guards: [sanitize()], queryParser: 'extended' })
        const res = await fetch(`${app.origin}/echo?user=admin&password[$ne]=x`)
        expect(await problemOf(res)).toMatchObject({
          code: 'mongo-operator',
          path: 'query.password.$ne',
        })
        const nested = await fetch(`${app.origin}/echo?filter[status]=a&filter[status]=b`)
        expect(((await nested.json()) as Echo).query).toEqual({ filter: { status: 'b' } })
      },
    )

    it('checks route params where the route is known', async () => {
      const app = await start({ guards: [], routeGuards: [sanitize()] })
      const ok = await fetch(`${app.origin}/items/42`)
      expect(ok.status).toBe(200)
      const nul = await fetch(`${app.origin}/items/4%002`)
      expect(await problemOf(nul)).toMatchObject({ code: 'nul-byte', path: 'params.id' })
    })

    it('validates against a zod schema: 400 with paths and codes, 415 for another body type', async () => {
      const guard = sanitize({
        schema: { body: z.object({ name: z.string().min(1), creditLimit: z.number().max(1e6) }) },
      })
      const app = await start({ guards: [guard], readState: [guard.validated] })
      const good = await post(app, '{"name":"Acme","creditLimit":5000}')
      expect(good.status).toBe(200)
      expect(((await good.json()) as Echo).state.validatedInput).toMatchObject({
        body: { name: 'Acme', creditLimit: 5000 },
      })
      const bad = await post(app, '{"name":"","creditLimit":"lots-of-money"}')
      expect(bad.status).toBe(400)
      const problem = await problemOf(bad)
      expect(problem).toMatchObject({
        type: 'urn:rampart:problem:validation-failed',
        errors: [
          { path: 'body.name', code: 'too_small' },
          { path: 'body.creditLimit', code: 'invalid_type' },
        ],
      })
      expect(JSON.stringify(problem)).not.toContain('lots-of-money')
      const text = await post(app, 'name=Acme', 'text/plain')
      expect(text.status).toBe(415)
      await text.text()
    })
  })
}
