/**
 * Starts the demo: builds the framework-free app, serves it on the chosen framework and resolves
 * once it listens. Used by `main.ts` (the CLI), the tests and the browser test.
 * @module
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { DestinationStream } from 'pino'
import { buildDemoApp, type DemoApp } from './app/build.js'
import { DEFAULT_SETTINGS, type DemoSettings } from './app/settings.js'
import { listenExpress } from './http/express.js'
import { listenHono } from './http/hono.js'
import { listenKoa } from './http/koa.js'

/** A running demo. */
export interface RunningDemo {
  readonly app: DemoApp
  readonly server: Server
  /** `http://host:port`, as a client on this machine reaches it. */
  readonly origin: string
  /** Stops listening, ends open event streams and closes the store. */
  close(): Promise<void>
}

const LISTEN = { express: listenExpress, koa: listenKoa, hono: listenHono } as const

/**
 * Starts the demo with `overrides` on top of the defaults (port 0 picks a free port); the log
 * goes to stdout, or to `logDestination`.
 */
export async function startDemo(
  overrides: Partial<DemoSettings> = {},
  logDestination?: DestinationStream,
): Promise<RunningDemo> {
  const settings: DemoSettings = { ...DEFAULT_SETTINGS, ...overrides }
  const app = await buildDemoApp(settings, logDestination)
  const server = LISTEN[settings.framework](app, settings.port, settings.host)
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve)
    server.once('error', reject)
  })
  const { port } = server.address() as AddressInfo
  const host = ['::', '0.0.0.0'].includes(settings.host) ? 'localhost' : settings.host
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  app.setOrigin(`http://${settings.host.includes(':') ? '[::1]' : '127.0.0.1'}:${port}`)
  return {
    app,
    server,
    origin,
    async close() {
      server.closeAllConnections?.()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await app.stores.close()
    },
  }
}
