/**
 * The demo on Hono 4 (Node server), through `@rampart/hono` only.
 * @module
 */
import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import * as rh from '@rampart/hono'
import { safeErrors } from '@rampart/redactor'
import { type Context, Hono } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { DemoApp } from '../app/build.js'
import type { DemoReply } from '../app/routes.js'
import { EVENT_STREAM_HEADERS, NOT_FOUND, render, STREAMS_FULL } from './reply.js'

function send(c: Context, reply: DemoReply): Response {
  const wire = render(reply, rh.getRequestId(c))
  const status = wire.status as ContentfulStatusCode
  if (wire.body === undefined) return c.body(null, status)
  return c.body(wire.body, status, { 'content-type': wire.contentType ?? 'text/plain' })
}

function eventStream(demo: DemoApp, c: Context): Response {
  const encoder = new TextEncoder()
  let close: (() => void) | undefined
  // `start` runs during construction, so whether the stream opened is known right after it.
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      close = demo.openEvents((chunk) => controller.enqueue(encoder.encode(chunk)))
      // End the body when the client goes: the server then finishes the response itself
      // instead of reporting a write into a closed socket.
      c.req.raw.signal.addEventListener('abort', () => {
        close?.()
        controller.close()
      })
    },
    cancel: () => close?.(),
  })
  if (close === undefined) return send(c, STREAMS_FULL)
  return c.body(body, 200, EVENT_STREAM_HEADERS)
}

/** A Hono app serving the demo. */
export function honoApp(demo: DemoApp): Hono {
  const app = new Hono()
  app.use(rh.rampart(demo.options, ...demo.guards))
  app.get('/events', (c) => eventStream(demo, c))
  for (const route of demo.routes) {
    const guards = route.guards.length > 0 ? [rh.rampart(...route.guards)] : []
    app.on(route.method, [route.path], ...guards, async (c) =>
      send(c, await route.handle({ params: c.req.param(), get: (key) => rh.getState(c, key) })),
    )
  }
  app.notFound((c) => send(c, NOT_FOUND))
  app.onError(rh.rampartErrors(safeErrors(demo.logging)))
  return app
}

/** Starts the Hono demo on `port` (Node server). */
export function listenHono(demo: DemoApp, port: number, host: string): Server {
  return serve({ fetch: honoApp(demo).fetch, port, hostname: host }) as Server
}
