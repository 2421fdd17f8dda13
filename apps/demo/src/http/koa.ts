/**
 * The demo on Koa 3, through `@rampart/koa` only, with `@koa/router` for the routes.
 * @module
 */
import type { Server } from 'node:http'
import { PassThrough } from 'node:stream'
import Router from '@koa/router'
import * as rk from '@rampart/koa'
import { safeErrors } from '@rampart/redactor'
import Koa, { type Context } from 'koa'
import type { DemoApp } from '../app/build.js'
import type { DemoReply, DemoRoute } from '../app/routes.js'
import { EVENT_STREAM_HEADERS, NOT_FOUND, render, STREAMS_FULL } from './reply.js'

function send(ctx: Context, reply: DemoReply): void {
  const wire = render(reply, rk.getRequestId(ctx))
  ctx.status = wire.status
  if (wire.body !== undefined) {
    ctx.body = wire.body
    if (wire.contentType !== undefined) ctx.type = wire.contentType
  }
}

function handler(route: DemoRoute) {
  return async (ctx: Context) => {
    send(ctx, await route.handle({ params: ctx.params ?? {}, get: (key) => rk.getState(ctx, key) }))
  }
}

/** A Koa app serving the demo. */
export function koaApp(demo: DemoApp): Koa {
  const app = new Koa()
  const router = new Router()
  app.use(rk.rampartErrors(safeErrors(demo.logging))) // first: it wraps everything after it
  // Koa reports a client that leaves an event stream as a premature close: not an error here.
  app.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ERR_STREAM_PREMATURE_CLOSE') demo.logging.logger.error({ error }, 'koa')
  })
  app.use(rk.rampart(demo.options, ...demo.guards))
  router.get('/events', (ctx) => {
    const stream = new PassThrough()
    const close = demo.openEvents((chunk) => stream.write(chunk))
    if (close === undefined) return send(ctx, STREAMS_FULL)
    ctx.set(EVENT_STREAM_HEADERS)
    ctx.status = 200
    ctx.body = stream
    ctx.req.on('close', () => {
      close()
      stream.end()
    })
  })
  for (const route of demo.routes) {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'
    const guards = route.guards.length > 0 ? [rk.rampart(...route.guards)] : []
    router[method](route.path, ...guards, handler(route))
  }
  app.use(router.routes())
  app.use((ctx) => {
    if (ctx.body === undefined && ctx.status === 404) send(ctx, NOT_FOUND)
  })
  return app
}

/** Starts the Koa demo on `port`. */
export function listenKoa(demo: DemoApp, port: number, host: string): Server {
  return koaApp(demo).listen(port, host)
}
