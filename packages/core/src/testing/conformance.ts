/**
 * The behaviour suite every adapter runs against a real app of its framework. Each case is a
 * promise the contract makes; an adapter passes only if its framework keeps all of them.
 * @module
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { SecurityEvent } from '../events.js'
import type { ResponseInfo } from '../guard.js'
import { PROBLEM_CONTENT_TYPE } from '../problem.js'
import type { AppSpec, ConformanceHarness, RunningApp } from './harness.js'
import { ipFilterCases } from './ip-filter-cases.js'
import {
  bodyProbe,
  denyProbe,
  emitProbe,
  identityProbe,
  ipProbe,
  orderProbe,
  paramsProbe,
  probeKeys,
  problemThrowingProbe,
  queryProbe,
  replaceBodyProbe,
  responseProbe,
  setValueProbe,
  stageProbe,
  teapotProblem,
  throwingProbe,
} from './probes.js'

/** Polls until `check` passes or a second elapses (response phases run after the response). */
export async function eventually(check: () => void, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      check()
      return
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((r) => setTimeout(r, 10))
    }
  }
}

interface EchoBody {
  body: unknown
  state: Record<string, unknown>
  query: Record<string, unknown>
  queryAgain: Record<string, unknown>
  queryB: unknown
}

interface ItemBody {
  params: Record<string, string>
  id: string
  state: Record<string, unknown>
}

const allState = Object.values(probeKeys)

/** Extra conformance cases a feature package contributes; run by every adapter. */
export type ConformanceCases = (
  harness: ConformanceHarness,
  start: (spec: AppSpec) => Promise<RunningApp>,
) => void

/**
 * Registers the core conformance suite (and any feature packages' `extra` cases) for one adapter.
 * Call it at the top level of an adapter's test file.
 */
export function runConformanceSuite(
  harness: ConformanceHarness,
  extra: readonly ConformanceCases[] = [],
): void {
  describe(`conformance: ${harness.name}`, () => {
    const open: RunningApp[] = []
    afterEach(async () => {
      await Promise.all(open.splice(0).map((app) => app.close()))
    })
    const start = async (spec: AppSpec): Promise<RunningApp> => {
      const app = await harness.start({ readState: allState, ...spec })
      open.push(app)
      return app
    }
    const echo = async (app: RunningApp, init?: RequestInit & { url?: string }) => {
      const res = await fetch(init?.url ?? `${app.origin}/echo`, init)
      expect(res.status).toBe(200)
      return (await res.json()) as EchoBody
    }

    describe('denial', () => {
      it('short-circuits with an RFC 9457 problem, its headers and no handler call', async () => {
        const app = await start({ guards: [denyProbe(teapotProblem), orderProbe('never')] })
        const res = await fetch(`${app.origin}/echo`, { headers: { 'x-request-id': 'req-42' } })
        expect(res.status).toBe(429)
        expect(res.headers.get('content-type')).toBe(PROBLEM_CONTENT_TYPE)
        expect(res.headers.get('retry-after')).toBe('7')
        expect(await res.json()).toEqual({
          type: teapotProblem.type,
          title: 'Too Many Requests',
          status: 429,
          detail: 'Slow down.',
          limit: 3,
          requestId: 'req-42',
        })
        expect(app.handlerCalls).toBe(0)
      })

      it('runs guards in order and the first denial wins', async () => {
        const second = { ...teapotProblem, status: 403, title: 'Second' }
        const app = await start({
          guards: [orderProbe('a'), denyProbe(teapotProblem, 'first'), denyProbe(second, 'second')],
        })
        const res = await fetch(`${app.origin}/echo`)
        expect(res.status).toBe(429)
        const ok = await start({ guards: [orderProbe('a'), orderProbe('b'), orderProbe('c')] })
        expect((await echo(ok)).state.order).toEqual(['a', 'b', 'c'])
      })

      it('denies with the problem a guard throws as a ProblemError', async () => {
        const app = await start({ guards: [problemThrowingProbe] })
        const res = await fetch(`${app.origin}/echo`)
        expect(res.status).toBe(401)
        expect(((await res.json()) as { type: string }).type).toBe(
          'urn:rampart:problem:conformance-auth',
        )
        expect(app.handlerCalls).toBe(0)
      })

      it('turns a throwing guard into a 500 problem that leaks nothing, and an event', async () => {
        const events: SecurityEvent[] = []
        const app = await start({ guards: [throwingProbe], onEvent: (e) => events.push(e) })
        const res = await fetch(`${app.origin}/echo`)
        expect(res.status).toBe(500)
        expect(res.headers.get('content-type')).toBe(PROBLEM_CONTENT_TYPE)
        const text = await res.text()
        expect(text).not.toMatch(/secret-token|exploded|at .*\.(ts|js)/)
        expect(JSON.parse(text)).toMatchObject({
          type: 'urn:rampart:problem:internal-error',
          status: 500,
        })
        expect(app.handlerCalls).toBe(0)
        const failed = events.find((e) => e.type === 'guard.failed')
        expect(failed).toMatchObject({ type: 'guard.failed', phase: 'request', source: 'throwing' })
        expect((failed as { error: Error }).error.message).toContain('guard exploded')
      })
    })

    describe('staged headers', () => {
      const stager = () =>
        stageProbe({
          default: { 'X-Staged': 'yes', 'X-Conformance': 'guard' },
          override: { 'X-Forced': 'guard' },
          remove: ['X-Powered-By'],
        })

      for (const [path, status] of [
        ['/echo', 200],
        ['/nowhere', 404],
        ['/throw', 500],
        ['/stream', 200],
        ['/response', 200],
        ['/status/418', 418],
      ] as const) {
        it(`reach the client on ${path} (${status})`, async () => {
          const app = await start({ guards: [stager()] })
          const res = await fetch(`${app.origin}${path}`)
          expect(res.status).toBe(status)
          expect(res.headers.get('x-staged')).toBe('yes')
          expect(res.headers.get('x-forced')).toBe('guard')
          expect(res.headers.get('x-powered-by')).toBeNull()
          const text = await res.text()
          if (path === '/stream') expect(text).toBe('chunk-1chunk-2')
        })
      }

      it('never replace a header the handler set, unless staged with override', async () => {
        const app = await start({ guards: [stager()] })
        const own = await fetch(`${app.origin}/own-header`)
        expect(own.headers.get('x-conformance')).toBe('handler')
        const ready = await fetch(`${app.origin}/response`)
        expect(ready.headers.get('x-conformance')).toBe('response')
        expect(ready.headers.get('x-staged')).toBe('yes')
      })

      it('accompany a denial', async () => {
        const app = await start({ guards: [stager(), denyProbe(teapotProblem)] })
        const res = await fetch(`${app.origin}/echo`)
        expect(res.status).toBe(429)
        expect(res.headers.get('x-staged')).toBe('yes')
        expect(res.headers.get('retry-after')).toBe('7')
        expect(res.headers.get('x-powered-by')).toBeNull()
      })
    })

    describe('state, principal, request id, events', () => {
      it('state set by guards is visible to the handler through the typed accessor', async () => {
        const app = await start({ guards: [orderProbe('x')] })
        expect((await echo(app)).state.order).toEqual(['x'])
      })

      it('a second rampart() sees and can replace what the first one staged', async () => {
        const app = await start({
          guards: [stageProbe({ default: { 'X-Staged': 'first', 'X-Dropped': 'first' } })],
          secondGuards: [
            {
              name: 'restage',
              request(ctx) {
                expect(ctx.response.headers.get('x-staged')).toBe('first')
                ctx.response.headers.set('X-Staged', 'second')
                ctx.response.headers.delete('X-Dropped')
              },
            },
          ],
        })
        const res = await fetch(`${app.origin}/echo`)
        expect(res.headers.get('x-staged')).toBe('second')
        expect(res.headers.get('x-dropped')).toBeNull()
      })

      it('two rampart() instances on one request share state', async () => {
        const app = await start({
          guards: [setValueProbe('from-first')],
          secondGuards: [orderProbe('second')],
        })
        const { state } = await echo(app)
        expect(state.value).toBe('from-first')
        expect(state.order).toEqual(['second'])
      })

      it('resolves the principal with the app function, and the request id from its header', async () => {
        const app = await start({ guards: [identityProbe], principalFromHeader: true })
        const { state } = await echo(app, {
          headers: { 'x-user': 'alice', 'x-request-id': 'abc-123' },
        })
        expect(state.principal).toBe('alice')
        expect(state.requestId).toBe('abc-123')
        const anon = await echo(app, { headers: { 'x-request-id': 'bad id <script>' } })
        expect(anon.state.principal).toBeNull()
        expect(anon.state.requestId).toMatch(/^[0-9a-f-]{36}$/)
      })

      it('a route-level rampart() without a principal function sees the app-level principal', async () => {
        const app = await start({
          guards: [],
          principalFromHeader: true,
          routeGuards: [identityProbe],
          readState: [probeKeys.principal],
        })
        const res = await fetch(`${app.origin}/items/1`, { headers: { 'x-user': 'alice' } })
        expect(((await res.json()) as ItemBody).state.principal).toBe('alice')
        const anon = await fetch(`${app.origin}/items/1`)
        expect(((await anon.json()) as ItemBody).state.principal).toBeNull()
      })

      it('fills request fields into events', async () => {
        const events: SecurityEvent[] = []
        const app = await start({ guards: [emitProbe], onEvent: (e) => events.push(e) })
        await echo(app, { url: `${app.origin}/echo?q=1`, headers: { 'x-request-id': 'evt-1' } })
        expect(events).toHaveLength(1)
        expect(events[0]).toMatchObject({
          type: 'ip-filter.denied',
          reason: 'not-allowed',
          source: 'emitter',
          requestId: 'evt-1',
          method: 'GET',
          path: '/echo',
          ip: '127.0.0.1',
        })
      })
    })

    describe('response phase', () => {
      for (const [path, status] of [
        ['/echo', 200],
        ['/nowhere', 404],
        ['/throw', 500],
        ['/status/418', 418],
      ] as const) {
        it(`sees the final status ${status} of ${path}`, async () => {
          const seen: ResponseInfo[] = []
          const app = await start({ guards: [responseProbe(seen)] })
          await (await fetch(`${app.origin}${path}`)).text()
          await eventually(() => expect(seen).toEqual([{ status, aborted: false }]))
        })
      }

      it('reports a client that went away mid-response as aborted', async () => {
        const seen: ResponseInfo[] = []
        const app = await start({ guards: [responseProbe(seen)] })
        const controller = new AbortController()
        const res = await fetch(`${app.origin}/slow`, { signal: controller.signal })
        expect(res.status).toBe(200)
        const reader = res.body?.getReader()
        await reader?.read()
        controller.abort()
        await eventually(() => expect(seen).toEqual([{ status: 200, aborted: true }]), 3_000)
      })

      it('runs for guards up to the denier, not for those after it', async () => {
        const before: ResponseInfo[] = []
        const after: ResponseInfo[] = []
        const app = await start({
          guards: [
            responseProbe(before, 'before'),
            denyProbe(teapotProblem),
            responseProbe(after, 'after'),
          ],
        })
        await (await fetch(`${app.origin}/echo`)).text()
        await eventually(() => expect(before).toEqual([{ status: 429, aborted: false }]))
        expect(after).toEqual([])
      })
    })

    describe('client IP', () => {
      it('is the peer address, IPv4-mapped IPv6 normalised to IPv4', async () => {
        const app = await start({ guards: [ipProbe] })
        expect((await echo(app)).state.ip).toBe('127.0.0.1')
        expect((await echo(app, { url: `${app.origin6}/echo` })).state.ip).toBe('::1')
      })

      it('ignores a spoofed X-Forwarded-For without trust proxy, with a one-time warning', async () => {
        const events: SecurityEvent[] = []
        const app = await start({ guards: [ipProbe], onEvent: (e) => events.push(e) })
        for (let i = 0; i < 3; i++) {
          const { state } = await echo(app, { headers: { 'x-forwarded-for': '203.0.113.7' } })
          expect(state.ip).toBe('127.0.0.1')
        }
        const warnings = events.filter((e) => e.type === 'rampart.warning')
        expect(warnings).toHaveLength(1)
        expect(warnings[0]).toMatchObject({ code: 'RAMPART_XFF_UNTRUSTED' })
      })

      it('follows X-Forwarded-For through one trusted hop, normalising what it finds', async () => {
        const app = await start({ guards: [ipProbe], trustProxy: true })
        const ipFor = async (xff: string) =>
          (await echo(app, { headers: { 'x-forwarded-for': xff } })).state.ip
        expect(await ipFor('203.0.113.7')).toBe('203.0.113.7')
        expect(await ipFor('spoofed-by-client, 198.51.100.20')).toBe('198.51.100.20')
        expect(await ipFor('::ffff:198.51.100.4')).toBe('198.51.100.4')
        expect(await ipFor('2001:DB8:0:0::1')).toBe('2001:db8::1')
        expect((await echo(app)).state.ip).toBe('127.0.0.1')
      })

      it('takes the scheme from X-Forwarded-Proto only behind a trusted proxy', async () => {
        const https = { headers: { 'x-forwarded-proto': 'https' } }
        const proxied = await start({ guards: [ipProbe], trustProxy: true })
        expect((await echo(proxied, https)).state.protocol).toBe('https:')
        expect((await echo(proxied)).state.protocol).toBe('http:')
        const direct = await start({ guards: [ipProbe] })
        expect((await echo(direct, https)).state.protocol).toBe('http:')
      })
    })

    describe('body', () => {
      // Non-ASCII and odd spacing: re-serialised JSON would not match these bytes.
      const payload = '{ "name":  "Zoë",\n "n": 1 }'
      const post = (app: RunningApp, body = payload, type = 'application/json') =>
        echo(app, { method: 'POST', body, headers: { 'content-type': type } })

      for (const parser of ['none', 'before', 'after'] as const) {
        it(`guard reads body and raw bytes, handler still gets the body (parser: ${parser})`, async () => {
          const app = await start({ guards: [bodyProbe('both')], parser })
          const { body, state } = await post(app)
          expect(state.body).toEqual({ name: 'Zoë', n: 1 })
          expect(state.raw).toBe(payload)
          expect(body).toEqual({ name: 'Zoë', n: 1 })
        })

        it(`raw bytes first, then the parsed body (parser: ${parser})`, async () => {
          const app = await start({ guards: [bodyProbe('raw-then-body')], parser })
          const { body, state } = await post(app)
          expect(state.raw).toBe(payload)
          expect(state.body).toEqual({ name: 'Zoë', n: 1 })
          expect(body).toEqual({ name: 'Zoë', n: 1 })
        })

        it(`replacing the body is visible to the handler (parser: ${parser})`, async () => {
          const app = await start({ guards: [replaceBodyProbe({ replaced: true })], parser })
          expect((await post(app)).body).toEqual({ replaced: true })
        })
      }

      it('parses a urlencoded form when no parser ran', async () => {
        const app = await start({ guards: [bodyProbe('body')] })
        const { state } = await post(app, 'a=1&b=x&b=y', 'application/x-www-form-urlencoded')
        expect(state.body).toEqual({ a: '1', b: ['x', 'y'] })
      })

      it('a request without a body reads as undefined', async () => {
        const app = await start({ guards: [bodyProbe('both')] })
        const { state } = await echo(app)
        expect(state.body).toBeNull()
        expect(state.raw === null || state.raw === '').toBe(true)
      })

      it('malformed JSON read by a guard is a 400 problem, not a crash', async () => {
        const app = await start({ guards: [bodyProbe('body')] })
        const res = await fetch(`${app.origin}/echo`, {
          method: 'POST',
          body: '{"unterminated": ',
          headers: { 'content-type': 'application/json' },
        })
        expect(res.status).toBe(400)
        expect(((await res.json()) as { type: string }).type).toBe(
          'urn:rampart:problem:malformed-body',
        )
        expect(app.handlerCalls).toBe(0)
      })

      it('a body over the limit is a 413 problem', async () => {
        const app = await start({ guards: [bodyProbe('raw')], bodyLimit: 64 })
        const res = await fetch(`${app.origin}/echo`, {
          method: 'POST',
          body: JSON.stringify({ big: 'x'.repeat(500) }),
          headers: { 'content-type': 'application/json' },
        })
        expect(res.status).toBe(413)
        expect(((await res.json()) as { type: string }).type).toBe(
          'urn:rampart:problem:body-too-large',
        )
        expect(app.handlerCalls).toBe(0)
      })

      it('a chunked body (no Content-Length) is read in full, and over the limit is a 413', async () => {
        const chunked = (text: string) => {
          const bytes = new TextEncoder().encode(text)
          return new ReadableStream<Uint8Array>({
            start(controller) {
              for (let i = 0; i < bytes.length; i += 16) controller.enqueue(bytes.slice(i, i + 16))
              controller.close()
            },
          })
        }
        const send = (origin: string, text: string) =>
          fetch(`${origin}/echo`, {
            method: 'POST',
            body: chunked(text),
            headers: { 'content-type': 'application/json' },
            duplex: 'half',
          } as RequestInit)
        const within = await start({ guards: [bodyProbe('raw')], bodyLimit: 256 })
        const ok = await send(within.origin, payload)
        expect(ok.status).toBe(200)
        const { body, state } = (await ok.json()) as { body: unknown; state: { raw?: string } }
        expect(state.raw).toBe(payload)
        expect(body).toEqual({ name: 'Zoë', n: 1 })
        const over = await start({ guards: [bodyProbe('raw')], bodyLimit: 64 })
        const res = await send(over.origin, JSON.stringify({ big: 'x'.repeat(500) }))
        expect(res.status).toBe(413)
        expect(over.handlerCalls).toBe(0)
      })

      it('a guard that never reads the body leaves it to the handler', async () => {
        const app = await start({ guards: [orderProbe('a')], parser: 'after' })
        expect((await post(app)).body).toEqual({ name: 'Zoë', n: 1 })
      })
    })

    describe('query and route params', () => {
      const item = async (app: RunningApp, id = '42') => {
        const res = await fetch(`${app.origin}/items/${id}`)
        expect(res.status).toBe(200)
        return (await res.json()) as ItemBody
      }

      it('a guard reads the parsed query: repeated keys as arrays, one object per request', async () => {
        const app = await start({ guards: [queryProbe()] })
        const res = await echo(app, { url: `${app.origin}/echo?a=1&a=2&b=x` })
        expect(res.state.query).toEqual({ a: ['1', '2'], b: 'x' })
        expect(res.state.querySame).toBe(true)
        expect(res.query).toEqual({ a: ['1', '2'], b: 'x' })
        expect(res.queryB).toBe('x')
      })

      it('the default parser is flat: brackets stay in the key', async () => {
        const app = await start({ guards: [queryProbe()] })
        const { state } = await echo(app, { url: `${app.origin}/echo?a[b]=1&c=2` })
        expect(state.query).toEqual({ 'a[b]': '1', c: '2' })
      })

      it('a replaced query is what the handler reads, on every read, values as given', async () => {
        // A number would come back as '5' through Koa's own `ctx.query` setter.
        const clean = { a: ['3', '4'], b: 'clean', n: 5 }
        const app = await start({ guards: [queryProbe(clean)] })
        const res = await echo(app, { url: `${app.origin}/echo?a=1&a=2&b=x` })
        expect(res.state.query).toEqual({ a: ['1', '2'], b: 'x' })
        expect(res.query).toEqual(clean)
        expect(res.queryAgain).toEqual(clean)
        expect(res.queryB).toBe('clean')
      })

      it('a second rampart() reads the query the first one replaced', async () => {
        const app = await start({
          guards: [queryProbe({ b: 'clean' })],
          secondGuards: [
            {
              name: 'read-query',
              request(ctx) {
                ctx.state.set(probeKeys.value, JSON.stringify(ctx.query()))
              },
            },
          ],
        })
        const res = await echo(app, { url: `${app.origin}/echo?b=x` })
        expect(JSON.parse(res.state.value as string)).toEqual({ b: 'clean' })
        expect(res.queryB).toBe('clean')
      })

      it.skipIf(!harness.extendedQueryParser)(
        'with the extended parser, nested keys are objects and a replacement holds',
        async () => {
          const app = await start({
            guards: [queryProbe({ a: { b: 'clean' } })],
            queryParser: 'extended',
          })
          const res = await echo(app, { url: `${app.origin}/echo?a[b]=1&a[c]=2&d=x` })
          expect(res.state.query).toEqual({ a: { b: '1', c: '2' }, d: 'x' })
          expect(res.query).toEqual({ a: { b: 'clean' } })
          expect(res.queryAgain).toEqual({ a: { b: 'clean' } })
        },
      )

      it('a guard on the route reads its params; the handler reads a replacement', async () => {
        const app = await start({ guards: [], routeGuards: [paramsProbe({ id: 'x' })] })
        const res = await item(app)
        expect(res.state.params).toEqual({ id: '42' })
        expect(res.params).toEqual({ id: 'x' })
        expect(res.id).toBe('x')
        expect(app.handlerCalls).toBe(1)
      })

      it('route params arrive decoded and untouched when not replaced', async () => {
        const app = await start({ guards: [], routeGuards: [paramsProbe()] })
        const res = await item(app, 'a%20b')
        expect(res.state.params).toEqual({ id: 'a b' })
        expect(res.params).toEqual({ id: 'a b' })
      })

      it('mounted app-wide, before routing, a guard sees no route params', async () => {
        const app = await start({ guards: [paramsProbe()] })
        const res = await item(app)
        // Unknown (not `{}`, which would read as a route without params), in every adapter.
        expect(res.state.params).toBeNull()
        expect(res.params).toEqual({ id: '42' })
      })
    })

    // Core's own guards, then whatever feature packages contribute.
    for (const cases of [ipFilterCases, ...extra]) cases(harness, start)
  })
}
