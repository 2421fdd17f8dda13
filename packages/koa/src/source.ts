/**
 * The Koa context seen through core's {@link RequestSource}.
 * @module
 */
import type { RequestSource } from '@rampart/core'
import { checkDeclaredLength, collectBody, parseBody } from '@rampart/core'
import type { Context } from 'koa'

/** Warning code: `app.proxy` is on but `maxIpsCount` is 0, so the left-most (client-set) X-Forwarded-For entry wins. */
export const WARN_PROXY_UNBOUNDED = 'RAMPART_KOA_PROXY_UNBOUNDED'

/** Fields @koa/bodyparser (and koa-bodyparser) add to the request. */
interface ParsedRequest {
  body?: unknown
  rawBody?: string
}

/** What Koa and body parsers hang on the context. */
type KoaContext = Context & {
  request: Context['request'] & ParsedRequest
  disableBodyParser?: boolean
}

/** What `@koa/router` sets for the matched route. */
type RoutedContext = Context & {
  params?: Record<string, string>
  request: Context['request'] & { params?: Record<string, string> }
}

const encoder = new TextEncoder()

function hasBody(ctx: Context): boolean {
  const length = ctx.get('content-length')
  return ctx.get('transfer-encoding') !== '' || (length !== '' && length !== '0')
}

/** Adapts one Koa context. */
export class KoaSource implements RequestSource<Context> {
  readonly method: string
  #raw: Uint8Array | undefined
  #bodyRead: Promise<void> | undefined

  constructor(
    readonly native: Context,
    private readonly bodyLimit: number,
    private readonly warn: (code: string, message: string) => void,
  ) {
    this.method = native.method
  }

  header(name: string): string | null {
    const value = this.native.req.headers[name]
    if (value === undefined) return null
    return Array.isArray(value) ? value.join(', ') : value
  }

  url(): string {
    // protocol and host honour app.proxy. (Not ctx.origin: Koa 3 made it the Origin header.)
    return `${this.native.protocol}://${this.native.host}${this.native.originalUrl}`
  }

  path(): string {
    const url = this.native.originalUrl
    const q = url.indexOf('?')
    return q === -1 ? url : url.slice(0, q)
  }

  clientAddress(): string | undefined {
    const app = this.native.app
    if (
      app.proxy &&
      app.maxIpsCount === 0 &&
      this.header(app.proxyIpHeader.toLowerCase()) !== null
    ) {
      this.warn(
        WARN_PROXY_UNBOUNDED,
        'app.proxy is true but app.maxIpsCount is 0: Koa takes the left-most X-Forwarded-For entry, ' +
          'which any client can set. Set app.maxIpsCount to the number of proxies in front of the app.',
      )
    }
    // ctx.ip applies app.proxy / proxyIpHeader / maxIpsCount.
    return this.native.ip || this.native.req.socket.remoteAddress
  }

  get trustsProxy(): boolean {
    return this.native.app.proxy
  }

  #consume(): Promise<void> {
    if (this.#bodyRead === undefined) {
      const ctx = this.native as KoaContext
      this.#bodyRead = (async () => {
        if (ctx.request.body !== undefined || !hasBody(ctx) || ctx.req.readableEnded) return
        checkDeclaredLength(this.header('content-length'), this.bodyLimit)
        // A parser later in the stack must not wait on the drained stream.
        ctx.disableBodyParser = true
        this.#raw = await collectBody(ctx.req, this.bodyLimit)
        const parsed = parseBody(
          this.#raw,
          this.header('content-type'),
          this.header('content-encoding'),
        )
        ctx.request.body = parsed
        ctx.request.rawBody = new TextDecoder().decode(this.#raw)
      })()
    }
    return this.#bodyRead
  }

  async readBody(): Promise<unknown> {
    await this.#consume()
    return (this.native as KoaContext).request.body
  }

  async readRawBody(): Promise<Uint8Array | undefined> {
    try {
      await this.#consume()
    } catch (error) {
      if (this.#raw === undefined) throw error
    }
    if (this.#raw !== undefined) return this.#raw
    // @koa/bodyparser keeps the text it decoded as UTF-8; re-encoding it restores the bytes.
    const text = (this.native as KoaContext).request.rawBody
    return typeof text === 'string' ? encoder.encode(text) : undefined
  }

  setBody(value: unknown): void {
    ;(this.native as KoaContext).request.body = value
  }

  /** `ctx.query`: Koa's parse of the query string (repeated keys as arrays), cached by Koa. */
  query(): Record<string, unknown> {
    return this.native.query as Record<string, unknown>
  }

  /**
   * Defines `query` as a data property on `ctx.request`, which `ctx.query` delegates to, so both
   * read `value` itself. Koa's own `ctx.query = value` setter would rewrite the URL's query string
   * from it instead (numbers to strings, nested objects to empty values) and parse that again.
   */
  setQuery(value: Record<string, unknown>): void {
    Object.defineProperty(this.native.request, 'query', {
      value,
      writable: true,
      configurable: true,
      enumerable: true,
    })
  }

  /** `ctx.params` as a router (`@koa/router`) set it for the matched route; else `undefined`. */
  params(): Record<string, string> | undefined {
    return (this.native as RoutedContext).params
  }

  /** Sets `ctx.params` and `ctx.request.params`, as `@koa/router` does. */
  setParams(value: Record<string, string>): void {
    const ctx = this.native as RoutedContext
    ctx.params = value
    ctx.request.params = value
  }
}
