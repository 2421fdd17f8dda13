import { serve } from '@hono/node-server'
import type { ConformanceHarness } from '@rampart/core/testing'
import {
  CONFORMANCE_PASSWORD,
  listenForConformance,
  principalFromUserHeader,
  runConformanceSuite,
} from '@rampart/core/testing'
import { securityHeadersCases } from '@rampart/headers/testing'
import { lockoutCases } from '@rampart/lockout/testing'
import { rateLimitCases } from '@rampart/rate-limiter/testing'
import { rbacCases } from '@rampart/rbac/testing'
import { redactorCases } from '@rampart/redactor/testing'
import { sanitizeCases } from '@rampart/sanitizer/testing'
import { signerCases } from '@rampart/signer/testing'
import { type Context, Hono } from 'hono'
import { getState, rampart, rampartErrors } from './index.js'

const harness: ConformanceHarness = {
  name: 'hono',
  async start(spec) {
    const app = new Hono()
    let handlerCalls = 0
    // Hono has no body-parser middleware: handlers read c.req.json() themselves, so the
    // `parser` variants differ only in when that happens, which the /echo handler covers.
    app.use(
      rampart(
        {
          onEvent: spec.onEvent,
          bodyLimit: spec.bodyLimit,
          trustProxy: spec.trustProxy ? 1 : false,
          principal: spec.principalFromHeader
            ? (c) =>
                principalFromUserHeader(
                  c.req.header('x-user'),
                  c.req.header('x-roles'),
                  c.req.header('x-tenant'),
                )
            : undefined,
        },
        ...spec.guards,
      ),
    )
    if (spec.secondGuards) app.use(rampart(...spec.secondGuards))
    app.use(async (_c, next) => {
      handlerCalls++
      await next()
    })
    app.all('/echo', async (c) => {
      const state = Object.fromEntries((spec.readState ?? []).map((k) => [k.name, getState(c, k)]))
      const type = c.req.header('content-type') ?? ''
      let body: unknown = null
      if (type.startsWith('application/json')) body = await c.req.json()
      else if (type.startsWith('application/x-www-form-urlencoded'))
        body = await c.req.parseBody({ all: true })
      // As validator('query') reads it: one-value lists as plain values.
      const read = () =>
        Object.fromEntries(
          Object.entries(c.req.queries()).map(([k, v]) => [k, v.length === 1 ? v[0] : v]),
        )
      const query = read()
      const queryAgain = read()
      return c.json({ body, state, query, queryAgain, queryB: c.req.query('b') ?? null })
    })
    const item = (c: Context) => {
      if (spec.itemResponse)
        return c.json((spec.itemResponse((key) => getState(c, key)) ?? null) as never)
      const state = Object.fromEntries((spec.readState ?? []).map((k) => [k.name, getState(c, k)]))
      return c.json({ params: c.req.param(), id: c.req.param('id'), state })
    }
    if (spec.routeGuards) {
      app.all('/items/:id', rampart(...spec.routeGuards), item)
    } else {
      app.all('/items/:id', item)
    }
    app.post('/login', async (c) => {
      const body = (await c.req.json().catch(() => undefined)) as { password?: unknown } | undefined
      const ok = body?.password === CONFORMANCE_PASSWORD
      return c.text(ok ? 'welcome' : 'wrong username or password', ok ? 200 : 401)
    })
    app.get('/throw', () => {
      throw new Error('handler exploded: secret-token-123')
    })
    app.get('/stream', (c) =>
      c.body(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('chunk-1'))
            controller.enqueue(new TextEncoder().encode('chunk-2'))
            controller.close()
          },
        }),
      ),
    )
    app.get('/own-header', (c) => {
      c.header('X-Conformance', 'handler')
      c.header('Referrer-Policy', 'same-origin')
      return c.text('own')
    })
    // A Response built by hand, headers immutable once fetched through Response.redirect-like paths.
    app.get('/response', () => new Response('ready', { headers: { 'X-Conformance': 'response' } }))
    app.get('/slow', (c) =>
      c.body(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('first'))
            setTimeout(() => {
              try {
                controller.enqueue(new TextEncoder().encode('last'))
                controller.close()
              } catch {
                // The client went away and the stream was cancelled.
              }
            }, 1_000)
          },
        }),
      ),
    )
    app.get('/status/418', (c) => c.text('teapot', 418))
    // Hono's default onError logs the error; keep test output quiet, same 500 answer.
    app.onError(
      spec.errorReporter
        ? rampartErrors(spec.errorReporter)
        : (_err, c) => c.text('Internal Server Error', 500),
    )

    const server = serve({ fetch: app.fetch, port: 0, hostname: '::' })
    return listenForConformance(server, () => handlerCalls)
  },
}

runConformanceSuite(harness, [
  securityHeadersCases,
  rateLimitCases,
  lockoutCases,
  sanitizeCases,
  redactorCases,
  signerCases,
  rbacCases,
])
