/**
 * The contract between the conformance suite and an adapter: each adapter builds a real app of
 * its framework from an {@link AppSpec} and serves it on loopback.
 * @module
 */
import type { Principal } from '../context.js'
import type { ErrorReporter } from '../error-reporter.js'
import type { SecurityEventHandler } from '../events.js'
import type { Guard } from '../guard.js'
import type { StateKey } from '../state.js'

/** The one password the conformance apps' `POST /login` accepts, for any username. */
export const CONFORMANCE_PASSWORD = 'correct horse battery staple'

/**
 * A neutral description of the app under test. Every harness serves the same routes:
 *
 * | route | handler |
 * |---|---|
 * | `ALL /echo` | 200 JSON `{ body, state, query, queryAgain, queryB }`: `body` as the handler's framework gives it (see `parser`), `state` the values of `readState` keys read through the adapter's accessor; the query read twice and its key `b` once, as a handler would (below) |
 * | `ALL /items/:id` | 200 JSON `{ params, id, state }`: the route params and `id` as the handler's framework gives them (or, with `itemResponse`, what it returns); `routeGuards` run in a `rampart()` mounted on this route |
 * | `GET /throw` | throws `new Error('handler exploded: secret-token-123')` |
 * | `GET /stream` | streams `chunk-1` then `chunk-2` (Koa: a Node stream as `ctx.body`; Hono: a `ReadableStream`) |
 * | `GET /own-header` | sets `X-Conformance: handler` and `Referrer-Policy: same-origin`, responds 200 `own` |
 * | `GET /response` | a ready-made response (Hono: `new Response(...)`, immutable headers) with `X-Conformance: response` |
 * | `GET /status/418` | responds 418 |
 * | `GET /slow` | 200, sends `first` at once, then holds the response open for a second before `last` |
 * | `POST /login` | reads the JSON body as the handler's framework gives it: 200 `welcome` when `password` is {@link CONFORMANCE_PASSWORD}, else 401 `wrong username or password` (unknown users too) |
 * | anything else | the framework's own 404 |
 *
 * Every handler increments `app.handlerCalls`.
 *
 * How each harness reads the query in `/echo` (`query`, then `queryAgain`, then `queryB`):
 * Express `req.query` twice (a getter that parses again on each read unless replaced), then
 * `req.query.b`; Koa `ctx.query`, `ctx.request.query`, `ctx.query.b`; Hono `c.req.queries()` with
 * one-value lists as plain values (as `validator('query')` does) twice, then `c.req.query('b')`.
 * Params in `/items/:id`: Express `req.params`; Koa `ctx.params` (set by a stand-in for
 * `@koa/router`, which sets `ctx.params` and `ctx.request.params` before the route's middleware
 * runs); Hono `c.req.param()` and `c.req.param('id')`.
 */
export interface AppSpec {
  /** Guards for one `rampart()` middleware. */
  readonly guards: readonly Guard[]
  /** Guards for a second `rampart()` mounted after the first, when set. */
  readonly secondGuards?: readonly Guard[]
  /** Passed to `rampart()`. */
  readonly onEvent?: SecurityEventHandler
  /**
   * Resolve the principal from request headers (read natively): `x-user` as its id, `x-roles`
   * (comma-separated, default `user`) as its roles, `x-tenant` as its tenant. It stands in for
   * the app's authenticated session.
   */
  readonly principalFromHeader?: boolean
  /** Passed to `rampart()` as `bodyLimit`. */
  readonly bodyLimit?: number
  /**
   * Trust exactly one proxy hop in front of the app, in the framework's own terms
   * (Express `trust proxy` 1, Koa `app.proxy` with `maxIpsCount` 1, Hono `trustProxy: 1`).
   */
  readonly trustProxy?: boolean
  /**
   * Where the framework's usual body parser runs: `none` (no parser; Hono's handler still calls
   * `c.req.json()` when the body is JSON), `before` or `after` the `rampart()` middleware.
   * Before: with the documented one-line raw-body set-up. Default `none`.
   */
  readonly parser?: 'none' | 'before' | 'after'
  /**
   * The adapter's `rampartErrors(reporter)`, mounted where its framework wants it (Express: after
   * the routes; Koa: first; Hono: `app.onError`). Without it, each framework's own error answer.
   */
  readonly errorReporter?: ErrorReporter
  /** State keys the `/echo` handler reads through the adapter's typed accessor. */
  readonly readState?: readonly StateKey<unknown>[]
  /**
   * Guards for a `rampart()` mounted on the `/items/:id` route itself (after routing, so
   * route params are known), beside the app-wide one. None when unset. That `rampart()` gets no
   * options: its guards see the app-wide one's principal and report to its `onEvent`, which
   * every case asserting on a route guard's events proves in each adapter.
   */
  readonly routeGuards?: readonly Guard[]
  /**
   * The `/items/:id` handler's answer, as a real handler shapes it from the state guards
   * attached: `read` reads a state key through the adapter's typed accessor. The route responds
   * 200 with the returned value as JSON (`null` for `undefined`).
   */
  readonly itemResponse?: (read: <T>(key: StateKey<T>) => T | undefined) => unknown
  /**
   * `'extended'`: the framework's nested query parser (Express `app.set('query parser',
   * 'extended')`, qs: `a[b]=1` → `{ a: { b: '1' } }`). Honoured only by harnesses with
   * {@link ConformanceHarness.extendedQueryParser}; the others ignore it. Default: the
   * framework's default parser (flat).
   */
  readonly queryParser?: 'extended'
}

/** A running app. */
export interface RunningApp {
  /** Origin reached over IPv4 loopback, e.g. `http://127.0.0.1:1234`. */
  readonly origin: string
  /** Origin reached over IPv6 loopback, e.g. `http://[::1]:1234`. */
  readonly origin6: string
  /** How many times a route handler ran. */
  readonly handlerCalls: number
  close(): Promise<void>
}

/** What an adapter's test supplies to run the suite against its framework. */
export interface ConformanceHarness {
  /** Framework name shown in test titles. */
  readonly name: string
  /** True when the framework has a nested query parser the harness sets for `queryParser: 'extended'` (Express). */
  readonly extendedQueryParser?: boolean
  /** Builds and starts an app (listening on `::`, dual-stack, port 0). */
  start(spec: AppSpec): Promise<RunningApp>
}

/**
 * Principal produced by `principalFromHeader`: `x-user` as the id, `x-roles` (comma-separated,
 * default `user`) as the roles, `x-tenant` as the tenant (a member `@rampart/rbac` reads).
 */
export function principalFromUserHeader(
  user: string | null | undefined,
  roles?: string | null,
  tenant?: string | null,
): (Principal & { readonly tenant?: string }) | undefined {
  if (user === undefined || user === null || user === '') return undefined
  const list = roles === undefined || roles === null || roles === '' ? ['user'] : roles.split(',')
  return {
    id: user,
    roles: list.map((r) => r.trim()),
    ...(tenant === undefined || tenant === null || tenant === '' ? {} : { tenant }),
  }
}

/** The slice of a Node `http.Server` {@link listenForConformance} needs (typed structurally: core imports no Node). */
export interface ServerLike {
  once(event: 'listening', listener: () => void): unknown
  address(): unknown
  close(callback: () => void): unknown
  closeAllConnections?(): void
}

/**
 * Waits for a server started on `::` (dual-stack, port 0) to listen and describes it as a
 * {@link RunningApp}. `handlerCalls` reads the harness's own counter.
 */
export async function listenForConformance(
  server: ServerLike,
  handlerCalls: () => number,
): Promise<RunningApp> {
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const { port } = server.address() as { port: number }
  return {
    origin: `http://127.0.0.1:${port}`,
    origin6: `http://[::1]:${port}`,
    get handlerCalls() {
      return handlerCalls()
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.()
        server.close(() => resolve())
      }),
  }
}
