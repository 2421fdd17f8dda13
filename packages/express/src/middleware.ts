/**
 * `rampart(...guards)` for Express 5.
 * @module
 */
import {
  answerError,
  type ErrorReporter,
  type Guard,
  type Problem,
  type RequestRun,
  type StateKey,
} from '@rampart/core'
import {
  type AdapterOptions,
  createAdapterEngine,
  observeNodeResponse,
  RunRegistry,
  stageOnNodeResponse,
  writeDenialToNode,
} from '@rampart/core/adapter'
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express'
import { ExpressSource } from './source.js'

/** Options for the Express adapter (`principal` receives the Express `req`). */
export type ExpressRampartOptions = AdapterOptions<Request>

const SCOPE = '@rampart/express rampart()'
const runs = new RunRegistry<Request>()

/**
 * Builds Express middleware that runs the guards in order before the route handler.
 * @example app.use(rampart(ipFilter({ allow: ['10.0.0.0/8'] })))
 * @example app.use(rampart({ onEvent: log, principal: (req) => req.user }, rateLimit({ limit: 100, window: '1m' })))
 * @throws RampartConfigError for invalid options or a non-guard argument.
 */
export function rampart(options: ExpressRampartOptions, ...guards: Guard[]): RequestHandler
export function rampart(...guards: Guard[]): RequestHandler
export function rampart(...args: unknown[]): RequestHandler {
  const { engine, options } = createAdapterEngine<Request, ExpressRampartOptions>(SCOPE, args)
  const limit = options.bodyLimitBytes

  return function rampartExpress(req: Request, res: Response, next: NextFunction): void {
    const run = runs.start(engine, new ExpressSource(req, limit, engine.warnOnce))
    if (engine.observesResponse) observeNodeResponse(res, run)
    if (!engine.hasRequestPhase) {
      next()
      return
    }
    const outcome = run.runRequest()
    // Synchronous guards answer without a promise: the handler runs in the same tick.
    if (outcome instanceof Promise) {
      outcome.then((denial) => proceed(run, res, next, denial)).catch(next)
    } else {
      proceed(run, res, next, outcome)
    }
  }
}

/** After the request phase: write the denial, or stage headers and hand over to the route. */
function proceed(
  run: RequestRun<Request>,
  res: Response,
  next: NextFunction,
  denial: Problem | undefined,
): void {
  if (denial !== undefined) {
    writeDenialToNode(res, run, run.render(denial))
    return
  }
  stageOnNodeResponse(res, run)
  next()
}

/**
 * Reads a value a guard attached to this request.
 * @example const nonce = getState(req, cspNonce)
 */
export function getState<T>(req: Request, key: StateKey<T>): T | undefined {
  return runs.state(req, key)
}

/** The request id Rampart assigned (or accepted) for this request, if `rampart()` saw it. */
export function getRequestId(req: Request): string | undefined {
  return runs.get(req)?.id
}

/**
 * Express error middleware for handler errors: the reporter (e.g. `safeErrors()` from
 * `@rampart/redactor`) logs the error with the request id, and the client gets its RFC 9457
 * problem with that id and no internals. Mount it after your routes. A response already started
 * is left to Express (which closes the connection).
 * @example app.use(rampartErrors(safeErrors({ logger })))
 */
export function rampartErrors(reporter: ErrorReporter): ErrorRequestHandler {
  return (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(error)
      return
    }
    const run = runs.get(req)
    const answer = answerError(reporter, error, {
      requestId: run?.id,
      method: req.method,
      path: req.path,
      ip: run?.ip ?? req.ip,
    })
    res.status(answer.status)
    for (const [name, value] of answer.headers) res.setHeader(name, value)
    res.end(answer.body)
  }
}
