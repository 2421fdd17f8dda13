/**
 * The Hono context seen through core's {@link RequestSource}. Web-standard only: it runs on
 * Node, Bun, Deno and edge runtimes alike.
 * @module
 */
import type { RequestSource } from '@rampart/core'
import { checkDeclaredLength, collectBody, ProblemError, parseBody, problems } from '@rampart/core'
import type { Context } from 'hono'
import { nodeIncoming } from './node-server.js'

/** How the adapter finds the client address; see `HonoRampartOptions.clientAddress`. */
export type ClientAddressResolver = (c: Context) => string | undefined

/**
 * Default peer address: the socket address `@hono/node-server` exposes on `c.env`. Other runtimes
 * pass their own resolver (e.g. `getConnInfo` from `hono/bun`, `hono/deno`, `hono/cloudflare-workers`).
 */
export const nodeServerAddress: ClientAddressResolver = (c) =>
  nodeIncoming(c)?.socket?.remoteAddress

/** Everything a source needs from its middleware instance. */
export interface HonoSourceConfig {
  readonly bodyLimit: number
  readonly peerAddress: ClientAddressResolver
  readonly trustsProxy: boolean
  readonly resolve: (peer: string | undefined, forwardedFor: string | null) => string | undefined
  /** Whether the connection's peer is a trusted proxy (so its X-Forwarded-Proto counts). */
  readonly trustsPeer: (peer: string | undefined) => boolean
}

type BodyCache = Record<string, Promise<unknown> | undefined>

function isForm(contentType: string | null): boolean {
  return contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded') === true
}

/** A replaced form body as URL-encoded text, arrays as repeated names. */
function encodeForm(value: unknown): string {
  const params = new URLSearchParams()
  if (typeof value === 'object' && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      for (const item of Array.isArray(v) ? v : [v]) params.append(key, String(item))
    }
  }
  return params.toString()
}

/** A replaced query, kept on `c.req` (only once a guard replaces it). */
const REPLACED_QUERY: unique symbol = Symbol.for('rampart.hono.query') as never
/** Replaced route params by route path, kept on `c.req` (only once a guard replaces them). */
const REPLACED_PARAMS: unique symbol = Symbol.for('rampart.hono.params') as never

type HonoRequest = Context['req']
type QueryHolder = HonoRequest & { [REPLACED_QUERY]?: Record<string, unknown> }
type ParamsHolder = HonoRequest & { [REPLACED_PARAMS]?: Map<string, Record<string, string>> }

/** Own value of `key` (never one inherited from `Object.prototype`, such as `constructor`). */
function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined
}

/** Defines a method on this request instance, shadowing HonoRequest's own. */
function shadow(req: HonoRequest, name: 'query' | 'queries' | 'param', fn: unknown): void {
  Object.defineProperty(req, name, { value: fn, writable: true, configurable: true })
}

/** The path the current handler was registered with (e.g. `*` for `app.use(mw)`). */
function currentRoutePath(req: HonoRequest): string {
  try {
    // Deprecated for `routePath(c)` from 'hono/route' (4.8+); this one works across Hono 4.
    return req.routePath
  } catch {
    return ''
  }
}

/**
 * Serves `c.req.query()` and `c.req.queries()` (with and without a key; an empty key reads all,
 * as in Hono) from the replaced query: `query` gives a list's first item, `queries` wraps a
 * single value in a list.
 */
function installQuery(req: QueryHolder): void {
  const replaced = (): Record<string, unknown> => req[REPLACED_QUERY] ?? {}
  shadow(req, 'query', (key?: string) => {
    if (key) {
      const value = own(replaced(), key)
      return Array.isArray(value) ? value[0] : value
    }
    const out: Record<string, unknown> = Object.create(null)
    for (const [name, value] of Object.entries(replaced())) {
      const first = Array.isArray(value) ? value[0] : value
      if (first !== undefined) out[name] = first
    }
    return out
  })
  shadow(req, 'queries', (key?: string) => {
    if (key) {
      const value = own(replaced(), key)
      return value === undefined ? undefined : Array.isArray(value) ? value : [value]
    }
    const out: Record<string, unknown> = Object.create(null)
    for (const [name, value] of Object.entries(replaced())) {
      if (value !== undefined) out[name] = Array.isArray(value) ? value : [value]
    }
    return out
  })
}

/**
 * Serves `c.req.param()` and `c.req.param(name)` from the params a guard replaced on the route the
 * handler belongs to (same registered path); other routes keep the params Hono matched.
 */
function installParams(req: ParamsHolder): void {
  const original = req.param as (key?: string) => unknown
  shadow(req, 'param', (key?: string) => {
    const replaced = req[REPLACED_PARAMS]?.get(currentRoutePath(req))
    if (replaced === undefined) return original.call(req, key)
    return key ? own(replaced, key) : replaced
  })
}

/** Adapts one Hono context. */
export class HonoSource implements RequestSource<Context> {
  readonly method: string
  #raw: Promise<Uint8Array | undefined> | undefined

  constructor(
    readonly native: Context,
    private readonly config: HonoSourceConfig,
  ) {
    this.method = native.req.method
  }

  header(name: string): string | null {
    // On @hono/node-server, read Node's parsed headers: the Fetch request's `headers` is built
    // lazily from them, and building it only to read one header cost about 1 µs per request.
    const incoming = nodeIncoming(this.native)
    if (incoming !== undefined) {
      const value = incoming.headers[name]
      if (value === undefined) return null
      return typeof value === 'string' ? value : value.join(', ')
    }
    return this.native.req.raw.headers.get(name)
  }

  url(): string {
    const url = this.native.req.url
    if (!this.config.trustsProxy) return url
    // Behind a trusted proxy the scheme is the proxy's X-Forwarded-Proto (first hop), as
    // Express's req.protocol and Koa's ctx.protocol read it.
    const forwarded = this.header('x-forwarded-proto')
    if (forwarded === null || !this.config.trustsPeer(this.config.peerAddress(this.native)))
      return url
    const comma = forwarded.indexOf(',')
    const proto = (comma === -1 ? forwarded : forwarded.slice(0, comma)).trim().toLowerCase()
    if (proto !== 'http' && proto !== 'https') return url
    const colon = url.indexOf(':')
    return colon === -1 ? url : proto + url.slice(colon)
  }

  path(): string {
    return this.native.req.path
  }

  clientAddress(): string | undefined {
    const peer = this.config.peerAddress(this.native)
    return this.config.resolve(peer, this.header('x-forwarded-for'))
  }

  get trustsProxy(): boolean {
    return this.config.trustsProxy
  }

  readRawBody(): Promise<Uint8Array | undefined> {
    if (this.#raw === undefined) this.#raw = this.#readRaw()
    return this.#raw
  }

  async #readRaw(): Promise<Uint8Array | undefined> {
    const req = this.native.req
    const cache = req.bodyCache as BodyCache
    // Something upstream (a validator) already read it: ask Hono's cache, which re-derives bytes.
    if (Object.keys(cache).length > 0) return new Uint8Array(await req.arrayBuffer())
    const incoming = nodeIncoming(this.native)
    if (incoming !== undefined) {
      const length = this.header('content-length')
      // HTTP/1.1: a request without Content-Length or Transfer-Encoding has no body. Asking the
      // Fetch request for its body stream would build a full undici Request only to learn that.
      if (length === null && this.header('transfer-encoding') === null) return undefined
      // A declared length is one Node's parser holds the body to, so once it is within the limit
      // the body can be read through @hono/node-server's direct path (no Request, no stream).
      if (length !== null && /^\d+$/.test(length)) {
        checkDeclaredLength(length, this.config.bodyLimit)
        const buffer = await req.raw.arrayBuffer()
        if (buffer.byteLength > this.config.bodyLimit) {
          throw new ProblemError(problems.bodyTooLarge(this.config.bodyLimit))
        }
        cache.arrayBuffer = Promise.resolve(buffer.slice(0))
        return new Uint8Array(buffer)
      }
    }
    const stream = req.raw.body
    if (stream === null) return undefined
    checkDeclaredLength(this.header('content-length'), this.config.bodyLimit)
    const bytes = await collectBody(
      stream as unknown as AsyncIterable<Uint8Array>,
      this.config.bodyLimit,
    )
    // Seed Hono's cache so the handler's c.req.json()/text()/parseBody() read the same bytes.
    const copy = bytes.slice().buffer
    cache.arrayBuffer = Promise.resolve(copy)
    return bytes
  }

  async readBody(): Promise<unknown> {
    const bytes = await this.readRawBody()
    return parseBody(bytes, this.header('content-type'), this.header('content-encoding'))
  }

  setBody(value: unknown): void {
    const req = this.native.req
    // Hono derives json(), text() and parseBody() from whatever is cached, so re-seed the cache
    // with the replacement in the request's own media type.
    const text = isForm(this.header('content-type'))
      ? encodeForm(value)
      : typeof value === 'string'
        ? value
        : JSON.stringify(value)
    req.bodyCache = { text: Promise.resolve(text) } as unknown as typeof req.bodyCache
  }

  /**
   * The query from `c.req.queries()`: a null-prototype object, repeated keys as arrays and single
   * keys as strings (Hono has no nested parser). After a replacement, the replaced object.
   */
  query(): Record<string, unknown> {
    const req = this.native.req as QueryHolder
    const replaced = req[REPLACED_QUERY]
    if (replaced !== undefined) return replaced
    const out: Record<string, string | string[]> = Object.create(null)
    for (const [name, values] of Object.entries(req.queries())) {
      out[name] = values.length === 1 ? (values[0] as string) : values
    }
    return out
  }

  /** Shadows `c.req.query` and `c.req.queries` on this request so every later read serves `value`. */
  setQuery(value: Record<string, unknown>): void {
    const req = this.native.req as QueryHolder
    const installed = req[REPLACED_QUERY] !== undefined
    req[REPLACED_QUERY] = value
    if (!installed) installQuery(req)
  }

  /** `c.req.param()`: the params of the route this middleware was registered on (`{}` for `app.use(mw)`). */
  params(): Record<string, string> | undefined {
    // Middleware registered with a wildcard (`app.use(mw)` is `*`) runs for every route and
    // knows none of their params; Hono gives it `{}`, read here as unknown, as in Koa.
    const path = currentRoutePath(this.native.req)
    if (path === '' || path.endsWith('*')) return undefined
    return this.native.req.param() as Record<string, string>
  }

  /** Shadows `c.req.param` on this request for the handlers of the current route. */
  setParams(value: Record<string, string>): void {
    const req = this.native.req as ParamsHolder
    let replaced = req[REPLACED_PARAMS]
    if (replaced === undefined) {
      replaced = new Map()
      req[REPLACED_PARAMS] = replaced
      installParams(req)
    }
    replaced.set(currentRoutePath(req), value)
  }
}
