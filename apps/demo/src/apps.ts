/**
 * The same tiny API in Express, Koa and Hono, each behind `rampart(...demoGuards())`.
 * @module
 */
import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import type { Guard, SecurityEventHandler } from '@rampart/core'
import * as rx from '@rampart/express'
import * as rh from '@rampart/hono'
import * as rk from '@rampart/koa'
import express from 'express'
import { Hono } from 'hono'
import Koa from 'koa'
import { greeting } from './guards.js'

/** Frameworks the demo can run on. */
export const FRAMEWORKS = ['express', 'koa', 'hono'] as const
/** One of {@link FRAMEWORKS}. */
export type Framework = (typeof FRAMEWORKS)[number]

/** What every demo app needs. */
export interface DemoConfig {
  readonly guards: Guard[]
  readonly onEvent: SecurityEventHandler
}

const about = (framework: Framework, message: string | undefined) => ({
  framework,
  message: message ?? null,
  packages: ['@rampart/core', '@rampart/headers'],
})

function expressServer(config: DemoConfig, port: number, host: string): Server {
  const app = express()
  app.use(rx.rampart({ onEvent: config.onEvent }, ...config.guards))
  app.get('/', (req, res) => {
    res.json(about('express', rx.getState(req, greeting)))
  })
  return app.listen(port, host)
}

function koaServer(config: DemoConfig, port: number, host: string): Server {
  const app = new Koa()
  app.use(rk.rampart({ onEvent: config.onEvent }, ...config.guards))
  app.use((ctx) => {
    if (ctx.path === '/') ctx.body = about('koa', rk.getState(ctx, greeting))
  })
  return app.listen(port, host)
}

function honoServer(config: DemoConfig, port: number, host: string): Server {
  const app = new Hono()
  app.use(rh.rampart({ onEvent: config.onEvent }, ...config.guards))
  app.get('/', (c) => c.json(about('hono', rh.getState(c, greeting))))
  return serve({ fetch: app.fetch, port, hostname: host }) as Server
}

/** Starts the demo API on the chosen framework. */
export function startDemo(
  framework: Framework,
  config: DemoConfig,
  port: number,
  host = '::',
): Server {
  switch (framework) {
    case 'express':
      return expressServer(config, port, host)
    case 'koa':
      return koaServer(config, port, host)
    case 'hono':
      return honoServer(config, port, host)
  }
}
