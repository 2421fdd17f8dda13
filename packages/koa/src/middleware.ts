/**
 * `rampart(...guards)` for Koa 3.
 * @module
 */
import { answerError, type ErrorReporter, type Guard, type StateKey } from '@rampart/core'
import {
  type AdapterOptions,
  createAdapterEngine,
  observeNodeResponse,
  RunRegistry,
  stageOnNodeResponse,
} from '@rampart/core/adapter'
import type { Context, Middleware, Next } from 'koa'
import { KoaSource } from './source.js'

/** Options for the Koa adapter (`principal` receives the Koa `ctx`). */
export type KoaRampartOptions = AdapterOptions<Context>

const SCOPE = '@rampart/koa rampart()'
const runs = new RunRegistry<Context>()

/**
 * Builds Koa middleware that runs the guards in order before downstream middleware.
 * @example app.use(rampart(ipFilter({ allow: ['10.0.0.0/8'] })))
 * @throws RampartConfigError for invalid options or a non-guard argument.
 */
export function rampart(options: KoaRampartOptions, ...guards: Guard[]): Middleware
export function rampart(...guards: Guard[]): Middleware
export function rampart(...args: unknown[]): Middleware {
  const { engine, options } = createAdapterEngine<Context, KoaRampartOptions>(SCOPE, args)
  const limit = options.bodyLimitBytes

  return async function rampartKoa(ctx: Context, next: Next): Promise<void> {
    const run = runs.start(engine, new KoaSource(ctx, limit, engine.warnOnce))
    if (engine.observesResponse) observeNodeResponse(ctx.res, run)
    if (engine.hasRequestPhase) {
      const outcome = run.runRequest()
      // Synchronous guards answer without a promise: no await, no extra microtask.
      const denial = outcome instanceof Promise ? await outcome : outcome
      if (denial !== undefined) {
        const rendered = run.render(denial)
        for (const header of run.staged()) if (header.mode === 'remove') ctx.remove(header.name)
        ctx.status = rendered.status
        for (const [name, value] of rendered.headers) ctx.set(name, value)
        ctx.body = rendered.body
        return
      }
    }
    // Hooking writeHead (not setting headers now) survives Koa's error path, which clears headers.
    stageOnNodeResponse(ctx.res, run)
    await next()
  }
}

/**
 * Reads a value a guard attached to this request.
 * @example const nonce = getState(ctx, cspNonce)
 */
export function getState<T>(ctx: Context, key: StateKey<T>): T | undefined {
  return runs.state(ctx, key)
}

/** The request id Rampart assigned (or accepted) for this request, if `rampart()` saw it. */
export function getRequestId(ctx: Context): string | undefined {
  return runs.get(ctx)?.id
}

/**
 * Koa error middleware for handler errors: the reporter (e.g. `safeErrors()` from
 * `@rampart/redactor`) logs the error with the request id, and the client gets its RFC 9457
 * problem with that id and no internals. Mount it first, before `rampart()` and your routes; the
 * error is handled, so Koa does not emit `error` for it.
 * @example app.use(rampartErrors(safeErrors({ logger })))
 */
export function rampartErrors(reporter: ErrorReporter): Middleware {
  return async (ctx: Context, next: Next) => {
    try {
      await next()
    } catch (error) {
      if (ctx.headerSent) throw error
      const run = runs.get(ctx)
      const answer = answerError(reporter, error, {
        requestId: run?.id,
        method: ctx.method,
        path: ctx.path,
        ip: run?.ip ?? ctx.ip,
      })
      ctx.status = answer.status
      for (const [name, value] of answer.headers) ctx.set(name, value)
      ctx.body = answer.body
    }
  }
}
