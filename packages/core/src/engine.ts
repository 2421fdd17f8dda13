/**
 * The engine every adapter drives: it turns a framework request into a {@link SecurityContext},
 * runs the guards' request phases in order, renders denials, and runs the response phases.
 * Adapters supply a {@link RequestSource}; they hold no feature logic.
 * @module
 */
import { parseUrlencoded } from './body.js'
import type { Principal, RequestHeaders, SecurityContext } from './context.js'
import {
  createWarnOnce,
  defaultEventHandler,
  type SecurityEvent,
  type SecurityEventHandler,
  type SecurityEventMap,
  type SecurityEventType,
  safeEmit,
} from './events.js'
import { type Guard, isThenable, type ResponseInfo } from './guard.js'
import { normalizeIp } from './net/ip.js'
import {
  PROBLEM_CONTENT_TYPE,
  type Problem,
  ProblemError,
  problemBody,
  problems,
} from './problem.js'
import { generateRequestId, isSafeRequestId } from './request-id.js'
import { type StagedHeader, StagedHeaderList } from './staged-headers.js'
import { MapStateBag } from './state.js'

/**
 * What an adapter provides for one request. Everything expensive is a method so it runs only
 * when a guard asks for it.
 */
export interface RequestSource<N = unknown> {
  /** The framework's own request object (Express `req`, Koa `ctx`, Hono `c`). */
  readonly native: N
  /** Upper-case method. */
  readonly method: string
  /** One header's value (name lower-cased by the caller), repeated values joined with `, `. */
  header(name: string): string | null
  /** Absolute request URL. */
  url(): string
  /** Path without query, as received. */
  path(): string
  /** Client address as the framework resolved it (trust proxy applied), not yet normalised. */
  clientAddress(): string | undefined
  /** Whether the framework is configured to trust forwarding headers. */
  readonly trustsProxy: boolean
  /** Parsed body (may throw a ProblemError for malformed/oversized input). */
  readBody(): Promise<unknown>
  /** Raw body bytes, or undefined when they cannot be recovered. */
  readRawBody(): Promise<Uint8Array | undefined>
  /** Replaces the parsed body where the handler will read it. */
  setBody(value: unknown): void
  /**
   * The parsed query, as the handler's framework gives it (Express `req.query` with the app's
   * `query parser`; Koa `ctx.query`; Hono from `c.req.queries()`): repeated keys as arrays.
   * Optional for sources written before it: the engine then parses the URL's query itself.
   */
  query?(): Record<string, unknown>
  /**
   * Replaces the query where the handler reads it, for every later read. Optional for older
   * sources: without it `SecurityContext.setQuery` throws (the guard fails closed).
   */
  setQuery?(value: Record<string, unknown>): void
  /** Route params where the framework knows them at this point; `undefined` when it does not. */
  params?(): Record<string, string> | undefined
  /** Replaces the route params where the handler reads them. Without it `setParams` throws. */
  setParams?(value: Record<string, string>): void
}

/** Options every adapter accepts, beside its framework-specific ones. */
export interface EngineOptions<N = unknown> {
  /** Receives every security event. Default: warnings to `console.warn`, the rest dropped. */
  readonly onEvent?: SecurityEventHandler
  /** Resolves the request's principal from the framework request (e.g. `req.user`). */
  readonly principal?: (native: N) => Principal | undefined | Promise<Principal | undefined>
  /** Header carrying an incoming request id; `false` to always generate. Default `x-request-id`. */
  readonly requestIdHeader?: string | false
  /** Generates request ids. Default: `crypto.randomUUID()`. */
  readonly generateRequestId?: () => string
  /** Clock for guards, in ms. Default `Date.now`. */
  readonly clock?: () => number
  /** Warning codes to silence, or `true` to silence all warnings. */
  readonly disableWarnings?: boolean | readonly string[]
  /**
   * Every event passes through this before `onEvent` (e.g. a redactor from `@rampart/redactor`,
   * so a key or token in an event's data never reaches the log). Its result is what `onEvent`
   * gets; when it throws, the event is dropped rather than delivered unredacted.
   */
  readonly redactEvent?: (event: SecurityEvent) => unknown
}

/** A denial rendered for the adapter to write. */
export interface RenderedProblem {
  readonly status: number
  readonly headers: readonly (readonly [string, string])[]
  readonly body: string
}

/** Warning code: `X-Forwarded-For` arrives but the framework does not trust proxies. */
export const WARN_XFF_UNTRUSTED = 'RAMPART_XFF_UNTRUSTED'

class HeaderView implements RequestHeaders {
  constructor(private readonly source: RequestSource) {}
  get(name: string): string | null {
    return this.source.header(name.toLowerCase())
  }
  has(name: string): boolean {
    return this.source.header(name.toLowerCase()) !== null
  }
}

const NOT_READ = Symbol('not-read')

/** One request's run through the guards. It is the {@link SecurityContext} guards see. */
export class RequestRun<N = unknown> implements SecurityContext {
  readonly method: string
  readonly response: { readonly headers: StagedHeaderList }
  /** True for a later `rampart()` on a request an earlier one already started. */
  readonly nested: boolean
  #engine: Engine<N>
  #source: RequestSource<N>
  #state: MapStateBag | undefined
  #parent: RequestRun<N> | undefined
  #id: string | undefined
  #url: URL | undefined
  #path: string | undefined
  #headers: HeaderView | undefined
  #ip: string | undefined | typeof NOT_READ = NOT_READ
  #body: Promise<unknown> | undefined
  #query: Record<string, unknown> | undefined
  #params: Record<string, string> | undefined | typeof NOT_READ = NOT_READ
  #raw: Promise<Uint8Array | undefined> | undefined
  #principal: Promise<Principal | undefined> | undefined
  #denied: Problem | undefined
  #current: string | undefined
  /** Index of the last guard whose request phase was reached; all of them when none denied. */
  #reached: number

  /**
   * @param parent an earlier run for the same request (a second `rampart()` further down the
   *   stack): state and request id are shared with it.
   */
  constructor(engine: Engine<N>, source: RequestSource<N>, parent?: RequestRun<N>) {
    this.#engine = engine
    this.#source = source
    this.method = source.method
    // A later rampart() on the same request shares state and staged headers with the first,
    // so a per-route guard can replace or forget what a global one staged.
    this.#parent = parent
    this.nested = parent !== undefined
    this.response = parent?.response ?? { headers: new StagedHeaderList() }
    this.#reached = engine.guards.length - 1
    if (parent !== undefined) this.#id = parent.id
  }

  /** Typed per-request values; shared with the first run on the request, made on first use. */
  get state(): MapStateBag {
    if (this.#state === undefined) this.#state = this.#parent?.state ?? new MapStateBag()
    return this.#state
  }

  /** The framework request this run belongs to. */
  get native(): N {
    return this.#source.native
  }

  get id(): string {
    if (this.#id === undefined) {
      const header = this.#engine.requestIdHeader
      const incoming = header === false ? null : this.#source.header(header)
      this.#id = incoming !== null && isSafeRequestId(incoming) ? incoming : this.#engine.newId()
    }
    return this.#id
  }

  get url(): URL {
    if (this.#url === undefined) {
      try {
        this.#url = new URL(this.#source.url())
      } catch {
        // A hostile Host header must not crash a guard: fall back to a neutral origin.
        this.#url = new URL(this.path, 'http://invalid.host')
      }
    }
    return this.#url
  }

  get path(): string {
    if (this.#path === undefined) this.#path = this.#source.path()
    return this.#path
  }

  get headers(): RequestHeaders {
    if (this.#headers === undefined) this.#headers = new HeaderView(this.#source)
    return this.#headers
  }

  get ip(): string | undefined {
    if (this.#ip === NOT_READ) {
      const raw = this.#source.clientAddress()
      this.#ip = raw === undefined ? undefined : normalizeIp(raw)
      if (!this.#source.trustsProxy && this.#source.header('x-forwarded-for') !== null) {
        this.warnOnce(
          WARN_XFF_UNTRUSTED,
          'X-Forwarded-For arrived but the framework does not trust proxies, so every client behind ' +
            'the proxy shares its address. If the app runs behind a reverse proxy, enable trust ' +
            "proxy (Express: app.set('trust proxy', 1); Koa: app.proxy = true; Hono: rampart({ trustProxy })).",
        )
      }
    }
    return this.#ip
  }

  now(): number {
    return this.#engine.clock()
  }

  body(): Promise<unknown> {
    if (this.#body === undefined) this.#body = this.#source.readBody()
    return this.#body
  }

  rawBody(): Promise<Uint8Array | undefined> {
    if (this.#raw === undefined) this.#raw = this.#source.readRawBody()
    return this.#raw
  }

  setBody(value: unknown): void {
    this.#body = Promise.resolve(value)
    this.#source.setBody(value)
  }

  query(): Record<string, unknown> {
    if (this.#query === undefined) {
      const source = this.#source
      this.#query = source.query === undefined ? parseUrlencoded(this.url.search) : source.query()
    }
    return this.#query
  }

  setQuery(value: Record<string, unknown>): void {
    assertRecord(value, 'setQuery')
    if (this.#source.setQuery === undefined) throw new Error(unsupported('setQuery'))
    this.#source.setQuery(value)
    this.#query = value
  }

  params(): Record<string, string> | undefined {
    if (this.#params === NOT_READ) this.#params = this.#source.params?.()
    return this.#params
  }

  setParams(value: Record<string, string>): void {
    assertRecord(value, 'setParams')
    if (this.#source.setParams === undefined) throw new Error(unsupported('setParams'))
    this.#source.setParams(value)
    this.#params = value
  }

  setPrincipal(principal: Principal): void {
    this.#principal = Promise.resolve(principal)
  }

  principal(): Promise<Principal | undefined> {
    if (this.#principal === undefined) {
      const resolve = this.#engine.resolvePrincipal
      // A route's own `rampart()` without a principal function sees the principal the app-wide
      // one resolved or a guard there set (an authenticated signature's key).
      this.#principal =
        resolve !== undefined
          ? Promise.resolve().then(() => resolve(this.#source.native))
          : (this.#parent?.principal() ?? Promise.resolve(undefined))
    }
    return this.#principal
  }

  get denied(): Problem | undefined {
    return this.#denied
  }

  deny(problem: Problem): void {
    if (this.#denied === undefined) this.#denied = problem
  }

  emit<K extends SecurityEventType>(type: K, data: SecurityEventMap[K]): void {
    const event = {
      ...data,
      type,
      time: this.now(),
      source: this.#current,
      requestId: this.id,
      method: this.method,
      path: this.path,
      ip: this.ip,
    }
    safeEmit(this.eventHandler, event as never)
  }

  /**
   * Where this run's events go: its own `rampart()`'s `onEvent`, or, for a route's `rampart()`
   * given none, the app-wide one's (so a route's denials reach the app's log).
   */
  get eventHandler(): SecurityEventHandler {
    const engine = this.#engine
    return engine.ownsEvents || this.#parent === undefined
      ? engine.onEvent
      : this.#parent.eventHandler
  }

  warnOnce(code: string, message: string): void {
    this.#engine.warnOnce(code, message)
  }

  /**
   * Runs every request phase in order and yields the denial, if any; the adapter then writes it
   * with {@link RequestRun.render} and does not call the handler.
   *
   * Synchronous while the guards are: the result is a plain value when no guard returned a
   * promise, so an all-synchronous stack (headers, an ip filter, a memory-store limiter) costs
   * no promise and no microtask. Otherwise a native promise (never rejects). Adapters check with
   * `instanceof Promise`.
   */
  runRequest(): Problem | undefined | Promise<Problem | undefined> {
    return this.#runFrom(0)
  }

  #runFrom(start: number): Problem | undefined | Promise<Problem | undefined> {
    const guards = this.#engine.guards
    for (let i = start; i < guards.length; i++) {
      const guard = guards[i] as Guard
      this.#reached = i
      if (guard.request === undefined) continue
      this.#current = guard.name
      let pending: unknown
      try {
        pending = guard.request(this)
      } catch (error) {
        this.#fail(error)
      }
      if (isThenable(pending)) return this.#resumeAfter(pending, i)
      if (this.#denied !== undefined) break
    }
    this.#current = undefined
    return this.#denied
  }

  /** Waits for guard `index`'s promise, then carries on with the next guard. */
  async #resumeAfter(pending: PromiseLike<unknown>, index: number): Promise<Problem | undefined> {
    try {
      await pending
    } catch (error) {
      this.#fail(error)
    }
    if (this.#denied !== undefined) {
      this.#current = undefined
      return this.#denied
    }
    return this.#runFrom(index + 1)
  }

  /**
   * Runs the response phases of the guards the request reached (all of them, or those up to and
   * including the one that denied), in order. Never rejects: failures become `guard.failed` events.
   */
  async runResponse(info: ResponseInfo): Promise<void> {
    const guards = this.#engine.guards
    for (let i = 0; i <= this.#reached && i < guards.length; i++) {
      const guard = guards[i] as Guard
      if (guard.response === undefined) continue
      this.#current = guard.name
      try {
        const pending = guard.response(this, info)
        if (pending !== undefined) await pending
      } catch (error) {
        this.emit('guard.failed', { phase: 'response', error })
      }
    }
    this.#current = undefined
  }

  /** Headers guards staged, in order, for the adapter to merge into the response. */
  staged(): readonly StagedHeader[] {
    return this.response.headers.size === 0 ? [] : this.response.headers.list()
  }

  /** Renders a problem as status, headers (problem headers, then staged ones) and JSON body. */
  render(problem: Problem): RenderedProblem {
    const headers: [string, string][] = [['content-type', PROBLEM_CONTENT_TYPE]]
    const own = new Set<string>(['content-type'])
    if (problem.headers) {
      for (const [name, value] of Object.entries(problem.headers)) {
        headers.push([name, value])
        own.add(name.toLowerCase())
      }
    }
    for (const staged of this.staged()) {
      if (staged.mode !== 'remove' && !own.has(staged.name.toLowerCase())) {
        headers.push([staged.name, staged.value])
      }
    }
    headers.push(['cache-control', 'no-store'])
    return { status: problem.status, headers, body: problemBody(problem, this.id) }
  }

  /** Converts whatever a guard threw into a denial. */
  #fail(error: unknown): void {
    if (isProblemError(error)) {
      this.deny(error.problem)
      return
    }
    this.emit('guard.failed', { phase: 'request', error })
    this.deny(problems.internal())
  }
}

function assertRecord(value: unknown, method: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`SecurityContext.${method}() expects a plain object`)
  }
}

function unsupported(method: string): string {
  return `SecurityContext.${method}(): this adapter's request source cannot replace it (update the adapter)`
}

/** Recognises a ProblemError even across duplicate copies of core. */
export function isProblemError(error: unknown): error is ProblemError {
  return (
    error instanceof ProblemError ||
    (error instanceof Error &&
      error.name === 'ProblemError' &&
      typeof (error as { problem?: unknown }).problem === 'object')
  )
}

/** The compiled guard list and options shared by every request of one middleware instance. */
export class Engine<N = unknown> {
  readonly guards: readonly Guard[]
  /** True when some guard has a request phase (adapters skip straight to the handler otherwise). */
  readonly hasRequestPhase: boolean
  /** True when some guard has a response phase (adapters skip their finish hook otherwise). */
  readonly observesResponse: boolean
  readonly onEvent: SecurityEventHandler
  /** Whether `onEvent` (or `redactEvent`) was given: a nested run without them uses its parent's. */
  readonly ownsEvents: boolean
  readonly requestIdHeader: string | false
  readonly newId: () => string
  readonly clock: () => number
  readonly resolvePrincipal: EngineOptions<N>['principal']
  readonly warnOnce: (code: string, message: string) => void

  constructor(guards: readonly Guard[], options: EngineOptions<N> = {}) {
    this.guards = Object.freeze([...guards])
    this.hasRequestPhase = this.guards.some((g) => typeof g.request === 'function')
    this.observesResponse = this.guards.some((g) => typeof g.response === 'function')
    this.ownsEvents = options.onEvent !== undefined || options.redactEvent !== undefined
    const deliver = options.onEvent ?? defaultEventHandler
    const redact = options.redactEvent
    this.onEvent =
      redact === undefined ? deliver : (event) => deliver(redact(event) as SecurityEvent)
    this.requestIdHeader =
      options.requestIdHeader === false
        ? false
        : (options.requestIdHeader ?? 'x-request-id').toLowerCase()
    this.newId = options.generateRequestId ?? generateRequestId
    this.clock = options.clock ?? Date.now
    this.resolvePrincipal = options.principal
    this.warnOnce = createWarnOnce(this.onEvent, options.disableWarnings ?? false, 'rampart')
  }

  /** Starts a run for one request. */
  start(source: RequestSource<N>, parent?: RequestRun<N>): RequestRun<N> {
    return new RequestRun(this, source, parent)
  }
}
