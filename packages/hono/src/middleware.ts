/**
 * `rampart(...guards)` for Hono 4.
 * @module
 */
import {
  answerError,
  applyStagedHeaders,
  compileTrust,
  type ErrorReporter,
  type Guard,
  normalizeIp,
  resolveClientIp,
  type StagedHeader,
  type StateKey,
  type TrustProxy,
  trustProxySchema,
  z,
} from '@rampart/core'
import { type AdapterOptions, createAdapterEngine, RunRegistry } from '@rampart/core/adapter'
import type { Context, MiddlewareHandler } from 'hono'
import { observeResponse, settleLater } from './response-phase.js'
import { type ClientAddressResolver, HonoSource, nodeServerAddress } from './source.js'

/** Options for the Hono adapter (`principal` receives the Hono context `c`). */
export interface HonoRampartOptions extends AdapterOptions<Context> {
  /**
   * Which proxies in front of the app to trust for `X-Forwarded-For`, as Express's `trust proxy`:
   * `false` (default: the connection address is the client), `true` (trust every hop), a hop
   * count, a list of CIDRs or `'loopback' | 'linklocal' | 'uniquelocal'`, or a function.
   */
  readonly trustProxy?: TrustProxy
  /**
   * Finds the connection's peer address. Default: the socket `@hono/node-server` exposes.
   * On other runtimes pass e.g. `(c) => getConnInfo(c).remote.address` from `hono/bun`.
   */
  readonly clientAddress?: ClientAddressResolver
}

const SCOPE = '@rampart/hono rampart()'
const runs = new RunRegistry<Context>()

const honoShape = {
  trustProxy: trustProxySchema.optional(),
  clientAddress: z
    .custom<never>((v) => typeof v === 'function', 'expected a function (c) => string | undefined')
    .optional(),
}

/** Applies staged headers, copying the response first if its headers are immutable (e.g. from fetch()). */
function stageOnResponse(c: Context, staged: readonly StagedHeader[]): void {
  let headers = c.res.headers
  const target = {
    names: () => headers.keys(),
    set: (name: string, value: string) => headers.set(name, value),
    remove: (name: string) => headers.delete(name),
  }
  try {
    applyStagedHeaders(staged, target)
  } catch {
    const copy = new Response(c.res.body, c.res)
    c.res = undefined
    c.res = copy
    headers = copy.headers
    applyStagedHeaders(staged, target)
  }
}

/**
 * Builds Hono middleware that runs the guards in order before the handler.
 * @example app.use(rampart(ipFilter({ allow: ['10.0.0.0/8'] })))
 * @throws RampartConfigError for invalid options or a non-guard argument.
 */
export function rampart(options: HonoRampartOptions, ...guards: Guard[]): MiddlewareHandler
export function rampart(...guards: Guard[]): MiddlewareHandler
export function rampart(...args: unknown[]): MiddlewareHandler {
  const { engine, options } = createAdapterEngine<Context, HonoRampartOptions>(
    SCOPE,
    args,
    honoShape,
  )
  const trust = compileTrust(options.trustProxy ?? false)
  const config = {
    bodyLimit: options.bodyLimitBytes,
    peerAddress: options.clientAddress ?? nodeServerAddress,
    trustsProxy: options.trustProxy !== undefined && options.trustProxy !== false,
    resolve: (peer: string | undefined, xff: string | null) => resolveClientIp(peer, xff, trust),
    trustsPeer: (peer: string | undefined) => {
      const ip = peer === undefined ? undefined : normalizeIp(peer)
      return ip !== undefined && trust(ip, 0)
    },
  }

  return async function rampartHono(c, next) {
    const run = runs.start(engine, new HonoSource(c, config))
    if (engine.hasRequestPhase) {
      const outcome = run.runRequest()
      // Synchronous guards answer without a promise: no await, no extra microtask.
      const denial = outcome instanceof Promise ? await outcome : outcome
      if (denial !== undefined) {
        const rendered = run.render(denial)
        if (engine.observesResponse)
          settleLater(c, run.runResponse({ status: rendered.status, aborted: false }))
        return new Response(rendered.body, {
          status: rendered.status,
          headers: rendered.headers as [string, string][],
        })
      }
    }
    await next()
    // The outermost rampart() applies the shared staged list once, after every inner one ran.
    const staged = run.nested ? [] : run.staged()
    if (staged.length > 0) stageOnResponse(c, staged)
    if (engine.observesResponse) observeResponse(c, run)
  }
}

/**
 * Reads a value a guard attached to this request.
 * @example const nonce = getState(c, cspNonce)
 */
export function getState<T>(c: Context, key: StateKey<T>): T | undefined {
  return runs.state(c, key)
}

/** The request id Rampart assigned (or accepted) for this request, if `rampart()` saw it. */
export function getRequestId(c: Context): string | undefined {
  return runs.get(c)?.id
}

/**
 * A Hono `onError` handler for handler errors: the reporter (e.g. `safeErrors()` from
 * `@rampart/redactor`) logs the error with the request id, and the client gets its RFC 9457
 * problem with that id and no internals.
 * @example app.onError(rampartErrors(safeErrors({ logger })))
 */
export function rampartErrors(reporter: ErrorReporter): (error: Error, c: Context) => Response {
  return (error, c) => {
    const run = runs.get(c)
    const answer = answerError(reporter, error, {
      requestId: run?.id,
      method: c.req.method,
      path: c.req.path,
      ip: run?.ip,
    })
    return new Response(answer.body, {
      status: answer.status,
      headers: answer.headers as [string, string][],
    })
  }
}
