/**
 * The demo on Express 5, through `@rampart/express` only.
 * @module
 */
import type { Server } from 'node:http'
import * as rx from '@rampart/express'
import { safeErrors } from '@rampart/redactor'
import express, { type Request, type Response } from 'express'
import type { DemoApp } from '../app/build.js'
import type { DemoReply, DemoRoute } from '../app/routes.js'
import { EVENT_STREAM_HEADERS, NOT_FOUND, render, STREAMS_FULL } from './reply.js'

function send(req: Request, res: Response, reply: DemoReply): void {
  const wire = render(reply, rx.getRequestId(req))
  res.status(wire.status)
  if (wire.contentType !== undefined) res.type(wire.contentType)
  res.end(wire.body)
}

function handler(route: DemoRoute) {
  return async (req: Request, res: Response) => {
    const reply = await route.handle({
      params: req.params as Record<string, string>,
      get: (key) => rx.getState(req, key),
    })
    send(req, res, reply)
  }
}

/** An Express app serving the demo. */
export function expressApp(demo: DemoApp): express.Express {
  const app = express()
  app.disable('x-powered-by')
  app.use(rx.rampart(demo.options, ...demo.guards))
  app.get('/events', (req, res) => {
    const close = demo.openEvents((chunk) => {
      if (!res.headersSent) res.writeHead(200, EVENT_STREAM_HEADERS)
      res.write(chunk)
    })
    if (close === undefined) send(req, res, STREAMS_FULL)
    else req.on('close', close)
  })
  for (const route of demo.routes) {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'
    const guards = route.guards.length > 0 ? [rx.rampart(...route.guards)] : []
    app[method](route.path, ...guards, handler(route))
  }
  app.use((req, res) => send(req, res, NOT_FOUND))
  app.use(rx.rampartErrors(safeErrors(demo.logging)))
  return app
}

/** Starts the Express demo on `port`. */
export function listenExpress(demo: DemoApp, port: number, host: string): Server {
  return expressApp(demo).listen(port, host)
}
