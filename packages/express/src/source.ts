/**
 * The Express request seen through core's {@link RequestSource}.
 * @module
 */
import type { RequestSource } from '@rampart/core'
import { checkDeclaredLength, collectBody, parseBody } from '@rampart/core'
import type { Request } from 'express'
import { rawBodyOf, rememberRawBody } from './raw-body.js'

/** body-parser marks a parsed request with `_body`; we honour and set the same flag. */
type ParsedRequest = Request & { _body?: boolean }

/** Warning code: a parser consumed the body without the raw-body set-up. */
export const WARN_RAW_BODY_UNAVAILABLE = 'RAMPART_EXPRESS_RAW_BODY_UNAVAILABLE'

function hasBody(req: Request): boolean {
  const length = req.headers['content-length']
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
}

/** Adapts one Express request. */
export class ExpressSource implements RequestSource<Request> {
  readonly method: string
  #bodyRead: Promise<void> | undefined

  constructor(
    readonly native: Request,
    private readonly bodyLimit: number,
    private readonly warn: (code: string, message: string) => void,
  ) {
    this.method = native.method
  }

  header(name: string): string | null {
    const value = this.native.headers[name]
    if (value === undefined) return null
    return Array.isArray(value) ? value.join(', ') : value
  }

  url(): string {
    return `${this.native.protocol}://${this.native.host ?? 'localhost'}${this.native.originalUrl}`
  }

  path(): string {
    const url = this.native.originalUrl
    const q = url.indexOf('?')
    return q === -1 ? url : url.slice(0, q)
  }

  clientAddress(): string | undefined {
    // req.ip applies the app's `trust proxy` setting (proxy-addr).
    return this.native.ip ?? this.native.socket.remoteAddress
  }

  get trustsProxy(): boolean {
    return Boolean(this.native.app.get('trust proxy'))
  }

  /** Reads the stream once, keeps the bytes, and parses them where body-parser would look. */
  #consume(): Promise<void> {
    if (this.#bodyRead === undefined) {
      const req = this.native as ParsedRequest
      this.#bodyRead = (async () => {
        if (req._body === true || !hasBody(req) || req.readableEnded) return
        checkDeclaredLength(this.header('content-length'), this.bodyLimit)
        // Mark parsed first so a body parser later in the stack never waits on a drained stream.
        req._body = true
        const bytes = await collectBody(req, this.bodyLimit)
        rememberRawBody(req, bytes)
        req.body = parseBody(bytes, this.header('content-type'), this.header('content-encoding'))
      })()
    }
    return this.#bodyRead
  }

  async readBody(): Promise<unknown> {
    await this.#consume()
    return this.native.body
  }

  async readRawBody(): Promise<Uint8Array | undefined> {
    const req = this.native as ParsedRequest
    // body-parser 1 marks `_body`; body-parser 2 (Express 5) leaves only a drained stream behind.
    const consumed = req._body === true || req.readableEnded
    if (consumed && rawBodyOf(req) === undefined && this.#bodyRead === undefined) {
      if (hasBody(req)) {
        this.warn(
          WARN_RAW_BODY_UNAVAILABLE,
          'A body parser consumed the request before rampart() and the raw bytes were not kept. ' +
            'Pass { verify: captureRawBody } to express.json()/urlencoded()/text()/raw(), or mount rampart() before the parser.',
        )
      }
      return rawBodyOf(req)
    }
    try {
      await this.#consume()
    } catch (error) {
      // Parse errors belong to body(); the raw bytes may still be there.
      if (rawBodyOf(req) === undefined) throw error
    }
    return rawBodyOf(req)
  }

  setBody(value: unknown): void {
    this.native.body = value
  }

  /** `req.query`: Express 5 parses it on every read with the app's `query parser` setting. */
  query(): Record<string, unknown> {
    return this.native.query as Record<string, unknown>
  }

  /**
   * Shadows Express 5's `req.query` getter with a data property on this request, so every later
   * read (`req.query`, once or twice) gives `value`. Assigning through the getter would throw in
   * strict mode or be lost.
   */
  setQuery(value: Record<string, unknown>): void {
    Object.defineProperty(this.native, 'query', {
      value,
      writable: true,
      configurable: true,
      enumerable: true,
    })
  }

  /** `req.params`: the route's params when `rampart()` is mounted on the route, else `{}`. */
  params(): Record<string, string> | undefined {
    // App-wide middleware runs before routing: Express gives it an empty `req.params`, which
    // would read as "a route without params". Known only on a route (or a path with params).
    const params = this.native.params as Record<string, string> | undefined
    if (params === undefined) return undefined
    return this.native.route !== undefined || Object.keys(params).length > 0 ? params : undefined
  }

  /** Sets `req.params`; the router sets it again for the next route it enters. */
  setParams(value: Record<string, string>): void {
    this.native.params = value
  }
}
