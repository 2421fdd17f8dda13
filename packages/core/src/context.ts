/**
 * The framework-neutral view of one request that guards read.
 * @module
 */
import type { SecurityEventMap, SecurityEventType } from './events.js'
import type { Problem } from './problem.js'
import type { StagedHeaders } from './staged-headers.js'
import type { StateBag } from './state.js'

/** Case-insensitive, read-only request headers. Repeated headers are joined with `, `. */
export interface RequestHeaders {
  get(name: string): string | null
  has(name: string): boolean
}

/**
 * Who is making the request, as the app's `principal` function resolved it. Extend it with
 * `declare module '@rampart/core' { interface Principal { tenant: string } }`.
 */
export interface Principal {
  /** Stable identifier (user id, API key id, service name). */
  readonly id: string
  /** Role names, for `@rampart/rbac`. */
  readonly roles?: readonly string[]
}

/** The neutral view of one request. Built lazily: what a guard never reads costs nothing. */
export interface SecurityContext {
  /** Request id: the configured request-id header when well-formed, else generated. */
  readonly id: string
  /** Upper-case method. */
  readonly method: string
  /** Full request URL (scheme and host as the adapter resolved them). */
  readonly url: URL
  /** Path without the query string, as received (percent-encoded). */
  readonly path: string
  /** Case-insensitive request headers. */
  readonly headers: RequestHeaders
  /**
   * Client IP as the adapter resolved it (respecting the framework's trust-proxy setting),
   * normalised: IPv4-mapped IPv6 as IPv4, zone ids dropped. `undefined` when unknown.
   */
  readonly ip: string | undefined
  /** Current time in ms from the configured clock. */
  now(): number
  /**
   * The parsed body, however the framework parsed it (or parsed by the adapter from the raw
   * bytes when no parser ran). `undefined` when there is no body. Throws a `ProblemError`
   * (400/413/415) for a malformed or oversized body, which denies the request.
   */
  body(): Promise<unknown>
  /** The raw body bytes; `undefined` when unavailable (see the adapter README's one-line set-up). */
  rawBody(): Promise<Uint8Array | undefined>
  /** Replaces the parsed body; the handler sees the new value. */
  setBody(value: unknown): void
  /**
   * The parsed query string, as the handler's framework parses it: repeated keys become arrays
   * of strings, single keys strings. Express applies the app's `query parser` setting (the
   * default `'simple'` is flat; `'extended'` (qs) nests `a[b]=1` as `{ a: { b: '1' } }`); Koa
   * gives `ctx.query`; Hono is built from `c.req.queries()`.
   *
   * Read once per request and cached, so every guard sees the same object. Mutating it in place
   * does not reliably reach the handler (Express and Hono parse again on each read): call
   * {@link SecurityContext.setQuery} with the value the handler should see.
   */
  query(): Record<string, unknown>
  /**
   * Replaces the query the handler reads, for every later read (Express `req.query`, Koa
   * `ctx.query` and `ctx.request.query`, Hono `c.req.query()` and `c.req.queries()`), and what
   * {@link SecurityContext.query} answers from now on. The raw URL is left as it was received.
   * @throws TypeError when `value` is not a plain object.
   */
  setQuery(value: Record<string, unknown>): void
  /**
   * Route params where the framework knows them at this point: `rampart()` mounted on the route
   * (Express `router.get('/items/:id', rampart(...), handler)`, `@koa/router`, Hono
   * `app.get('/items/:id', rampart(...), handler)`). Mounted app-wide, before routing, it is
   * `undefined` in every adapter (never `{}`, which would read as a route without params).
   * Cached after the first read.
   */
  params(): Record<string, string> | undefined
  /**
   * Replaces the route params the handler reads (Express `req.params`, Koa `ctx.params`, Hono
   * `c.req.param()` and `c.req.param(name)`). The replacement holds for the route the guard ran
   * on: routing sets a later route's own params, as each framework does.
   * @throws TypeError when `value` is not a plain object.
   */
  setParams(value: Record<string, string>): void
  /**
   * The principal: the one a guard authenticated ({@link SecurityContext.setPrincipal}), else the
   * app's `principal` function's answer, resolved once per request.
   */
  principal(): Promise<Principal | undefined>
  /**
   * Sets the principal for the rest of the request, for a guard that authenticated the caller (a
   * verified request signature's key); later guards (`@rampart/rbac`) and `principal()` see it.
   */
  setPrincipal(principal: Principal): void
  /** Response-side handles. */
  readonly response: { readonly headers: StagedHeaders }
  /** Typed per-request state shared with later guards and the handler. */
  readonly state: StateBag
  /** Denies the request with a problem. The first denial wins; later guards and the handler do not run. */
  deny(problem: Problem): void
  /** The denial recorded so far, if any. */
  readonly denied: Problem | undefined
  /** Emits a typed security event; request id, method, path, IP, time and source are filled in. */
  emit<K extends SecurityEventType>(type: K, data: SecurityEventMap[K]): void
  /** Emits a `rampart.warning` once per code for this middleware instance. */
  warnOnce(code: string, message: string): void
}
