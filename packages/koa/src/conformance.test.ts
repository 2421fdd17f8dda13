import { Readable } from 'node:stream'
import { bodyParser } from '@koa/bodyparser'
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
import Koa, { type Context } from 'koa'
import { getState, rampart, rampartErrors } from './index.js'

/** What @koa/router sets on the context for the matched route. */
type Routed = Context & {
  params?: Record<string, string>
  request: Context['request'] & { params?: Record<string, string> }
}

const harness: ConformanceHarness = {
  name: 'koa',
  async start(spec) {
    const app = new Koa()
    app.silent = true
    if (spec.errorReporter) app.use(rampartErrors(spec.errorReporter))
    let handlerCalls = 0
    if (spec.trustProxy) {
      app.proxy = true
      app.maxIpsCount = 1
    }
    const parser = bodyParser({ enableTypes: ['json', 'form'] })
    if (spec.parser === 'before') app.use(parser)
    app.use(
      rampart(
        {
          onEvent: spec.onEvent,
          bodyLimit: spec.bodyLimit,
          principal: spec.principalFromHeader
            ? (ctx: Context) =>
                principalFromUserHeader(ctx.get('x-user'), ctx.get('x-roles'), ctx.get('x-tenant'))
            : undefined,
        },
        ...spec.guards,
      ),
    )
    if (spec.secondGuards) app.use(rampart(...spec.secondGuards))
    if (spec.parser === 'after') app.use(parser)
    // A stand-in for @koa/router's `router.all('/items/:id', rampart(...), handler)`: the router
    // sets ctx.params and ctx.request.params for the matched route, then runs its middleware.
    const routeRampart = spec.routeGuards ? rampart(...spec.routeGuards) : undefined
    const item = (ctx: Routed) => {
      handlerCalls++
      if (spec.itemResponse) {
        // Serialised here: Koa answers a `null` body with 204.
        ctx.type = 'application/json'
        ctx.body = JSON.stringify(spec.itemResponse((key) => getState(ctx, key)) ?? null)
        return
      }
      const params = ctx.params
      const state = Object.fromEntries(
        (spec.readState ?? []).map((k) => [k.name, getState(ctx, k)]),
      )
      ctx.body = { params, id: params?.id, state }
    }
    app.use(async (ctx, next) => {
      const match = /^\/items\/([^/]+)$/.exec(ctx.path)
      if (match === null) return next()
      const routed = ctx as Routed
      routed.params = { id: decodeURIComponent(match[1] as string) }
      routed.request.params = routed.params
      if (routeRampart) await routeRampart(ctx, async () => item(ctx))
      else item(ctx)
    })
    app.use(async (ctx) => {
      handlerCalls++
      const route = `${ctx.method} ${ctx.path}`
      if (ctx.path === '/echo') {
        const state = Object.fromEntries(
          (spec.readState ?? []).map((k) => [k.name, getState(ctx, k)]),
        )
        const query = ctx.query
        const queryAgain = ctx.request.query
        ctx.body = {
          body: (ctx.request as { body?: unknown }).body ?? null,
          state,
          query,
          queryAgain,
          queryB: ctx.query.b ?? null,
        }
      } else if (route === 'GET /throw') {
        throw new Error('handler exploded: secret-token-123')
      } else if (route === 'GET /stream') {
        ctx.type = 'text/plain'
        ctx.body = Readable.from(['chunk-1', 'chunk-2'])
      } else if (route === 'GET /own-header') {
        ctx.set('X-Conformance', 'handler')
        ctx.set('Referrer-Policy', 'same-origin')
        ctx.body = 'own'
      } else if (route === 'GET /response') {
        ctx.set('X-Conformance', 'response')
        ctx.body = 'ready'
      } else if (route === 'GET /slow') {
        const stream = new Readable({ read() {} })
        stream.push('first')
        setTimeout(() => {
          stream.push('last')
          stream.push(null)
        }, 1_000).unref()
        ctx.type = 'text/plain'
        ctx.body = stream
      } else if (route === 'POST /login') {
        const body = (ctx.request as { body?: { password?: unknown } }).body
        const ok = body?.password === CONFORMANCE_PASSWORD
        ctx.status = ok ? 200 : 401
        ctx.body = ok ? 'welcome' : 'wrong username or password'
      } else if (route === 'GET /status/418') {
        ctx.status = 418
        ctx.body = 'teapot'
      }
      // Anything else falls through to Koa's own 404.
    })
    const server = app.listen(0, '::')
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
