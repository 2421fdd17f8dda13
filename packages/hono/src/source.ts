/**
 * The Hono context seen through core's {@link RequestSource}. Web-standard only: it runs on
 * Node, Bun, Deno and edge runtimes alike.
 * @module
 */
import type { RequestSource } from '@rampart/core'
import { checkDeclaredLength, collectBody, parseBody } from '@rampart/core'
import type { Context } from 'hono'

/** How the adapter finds the client address; see `HonoRampartOptions.clientAddress`. */
export type ClientAddressResolver = (c: Context) => string | undefined

/**
 * Default peer address: the socket address `@hono/node-server` exposes on `c.env`. Other runtimes
 * pass their own resolver (e.g. `getConnInfo` from `hono/bun`, `hono/deno`, `hono/cloudflare-workers`).
 */
export const nodeServerAddress: ClientAddressResolver = (c) =>
  nodeIncoming(c)?.socket?.remoteAddress

/** Node's request under @hono/node-server (structurally: this adapter imports nothing of Node). */
interface NodeIncoming {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  readonly socket?: { readonly remoteAddress?: string }
}

/** The Node request @hono/node-server exposes on `c.env`, when the app runs there. */
function nodeIncoming(c: Context): NodeIncoming | undefined {
  const env = c.env as { incoming?: NodeIncoming; server?: { incoming?: NodeIncoming } } | undefined
  const incoming = env?.server?.incoming ?? env?.incoming
  return typeof incoming?.headers === 'object' && incoming.headers !== null ? incoming : undefined
}

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
}
