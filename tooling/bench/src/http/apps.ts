/**
 * The apps the HTTP harness loads: each framework in three variants that differ only in the
 * Rampart middleware in front of one route returning a small JSON body.
 * @module
 */

import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { defineGuard } from '@rampart/core'

export const FRAMEWORKS = ['express', 'koa', 'hono'] as const
export type Framework = (typeof FRAMEWORKS)[number]

/** Every variant, in table order. */
export const VARIANTS = ['bare', 'noop', 'rampart()', 'rampart(guard)'] as const
export type Variant = (typeof VARIANTS)[number]

/** The variants run unless `BENCH_VARIANTS` says otherwise (`noop` is a control, opt-in). */
export const DEFAULT_VARIANTS: readonly Variant[] = ['bare', 'rampart()', 'rampart(guard)']

/** Short names accepted in `BENCH_VARIANTS` besides the variants themselves. */
export const VARIANT_ALIASES: Readonly<Record<string, Variant>> = {
  rampart: 'rampart()',
  guard: 'rampart(guard)',
}

/** What each variant means, for the README. */
export const VARIANT_NOTES: Readonly<Record<Variant, string>> = {
  bare: 'the framework alone: one route answering `{"hello":"world"}`',
  noop: 'the same app with an empty pass-through middleware: what any middleware costs in that framework',
  'rampart()': 'the same app with `app.use(rampart())`: the adapter with no guard',
  'rampart(guard)':
    'the same app with `app.use(rampart(guard))`, a guard whose request phase stages one response header',
}

/** Header the trivial guard stages; the harness checks it arrives. */
export const GUARD_HEADER = 'x-bench'

/** The smallest useful guard: a synchronous request phase that stages one header. */
export const trivialGuard = defineGuard({
  name: 'bench-header',
  request(ctx) {
    ctx.response.headers.set(GUARD_HEADER, '1')
  },
})

export const BODY = { hello: 'world' } as const

/** Listens on 127.0.0.1 with an OS-chosen port and resolves once listening. */
function listen(server: Server): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}

/** Starts one app on 127.0.0.1 and returns its server (the port is in `server.address()`). */
export async function startApp(framework: Framework, variant: Variant): Promise<Server> {
  switch (framework) {
    case 'express': {
      const { default: express } = await import('express')
      const { rampart } = await import('@rampart/express')
      const app = express()
      if (variant === 'noop') app.use((_req, _res, next) => next())
      if (variant === 'rampart()') app.use(rampart())
      if (variant === 'rampart(guard)') app.use(rampart(trivialGuard))
      app.get('/', (_req, res) => {
        res.json(BODY)
      })
      const { createServer } = await import('node:http')
      return listen(createServer(app))
    }
    case 'koa': {
      const { default: Koa } = await import('koa')
      const { rampart } = await import('@rampart/koa')
      const app = new Koa()
      if (variant === 'noop') app.use((_ctx, next) => next())
      if (variant === 'rampart()') app.use(rampart())
      if (variant === 'rampart(guard)') app.use(rampart(trivialGuard))
      app.use((ctx) => {
        ctx.body = BODY
      })
      const { createServer } = await import('node:http')
      return listen(createServer(app.callback()))
    }
    case 'hono': {
      const { Hono } = await import('hono')
      const { createAdaptorServer } = await import('@hono/node-server')
      const { rampart } = await import('@rampart/hono')
      const app = new Hono()
      if (variant === 'noop') app.use((_c, next) => next())
      if (variant === 'rampart()') app.use(rampart())
      if (variant === 'rampart(guard)') app.use(rampart(trivialGuard))
      app.get('/', (c) => c.json(BODY))
      return listen(createAdaptorServer({ fetch: app.fetch }) as Server)
    }
  }
}

/** The port a started app listens on. */
export function portOf(server: Server): number {
  return (server.address() as AddressInfo).port
}
