/**
 * The request and response the per-request micro suites share: a minimal request object, Node's
 * own `ServerResponse` reset before every call, and the request source an adapter would build.
 * Not a suite itself (the runner loads `*.bench.ts` only).
 * @module
 */
import { IncomingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import type { Engine, RequestSource } from '@rampart/core'
import { applyToNodeResponse } from '@rampart/core/adapter'

/**
 * Node's private symbol for a response's header store (`kOutHeaders`), found once on a real
 * response: the bench resets it to `null`, the state of a response Node has just created.
 */
const OUT_HEADERS: symbol = (() => {
  const probe = new ServerResponse(new IncomingMessage(new Socket()))
  probe.setHeader('x-probe', '1')
  const symbol = Object.getOwnPropertySymbols(probe).find((s) => s.description === 'kOutHeaders')
  if (symbol === undefined) throw new Error("no kOutHeaders on Node's ServerResponse")
  return symbol
})()

/** A request as both sides see it: the anchors read `ip` at most; ours builds a context from it. */
export interface MockRequest {
  readonly method: string
  readonly protocol: 'http' | 'https'
  readonly host: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  /** The client address (Express's `req.ip`). */
  readonly ip: string
}

/**
 * Node's own `ServerResponse` (what Express's `res` and Koa's `ctx.res` are), so both sides pay
 * Node's real header validation and storage. One per input, reset before every call to the state
 * a fresh response is in when the middleware runs.
 */
export class BenchResponse extends ServerResponse {
  /** Express's `res.locals`, where the helmet nonce recipe keeps the nonce. */
  readonly locals: { cspNonce?: string } = {}

  constructor(readonly preset: readonly (readonly [string, string])[]) {
    super(new IncomingMessage(new Socket()))
  }
  /**
   * Back to a fresh response's state, then the headers an earlier middleware would have set
   * (`X-Powered-By`). A fresh response has no header store at all (Node creates it on the first
   * `setHeader`); emptying it with `removeHeader` instead would leave a store in V8's slow
   * dictionary mode, which no real response has and which slows both sides' header calls.
   */
  reset(): this {
    ;(this as unknown as Record<symbol, unknown>)[OUT_HEADERS] = null
    for (let i = 0; i < this.preset.length; i++) {
      const [name, value] = this.preset[i] as readonly [string, string]
      this.setHeader(name, value)
    }
    return this
  }
}

/** One input: a request and the response it is answered on. */
export interface Exchange {
  readonly req: MockRequest
  readonly res: BenchResponse
}

/** Builds an exchange: a GET of `url` on `host` from `ip`, with headers already on the response. */
export function exchange(
  protocol: MockRequest['protocol'],
  host: string,
  url: string,
  preset: BenchResponse['preset'],
  ip = '127.0.0.1',
): Exchange {
  return {
    req: {
      method: 'GET',
      protocol,
      host,
      url,
      headers: { host, accept: 'text/html', 'user-agent': 'bench' },
      ip,
    },
    res: new BenchResponse(preset),
  }
}

/** The `next` an Express-style middleware is called with: an error it passes on fails the run. */
export const next = (error?: unknown): void => {
  if (error !== undefined) throw error
}

/** The least an adapter's request source does: every method cheap, bodies never read. */
export class MockSource implements RequestSource<MockRequest> {
  readonly method: string
  readonly trustsProxy = false
  constructor(readonly native: MockRequest) {
    this.method = native.method
  }
  header(name: string): string | null {
    return this.native.headers[name] ?? null
  }
  url(): string {
    // As the Express adapter builds it (scheme, host, original URL).
    return `${this.native.protocol}://${this.native.host}${this.native.url}`
  }
  path(): string {
    const q = this.native.url.indexOf('?')
    return q === -1 ? this.native.url : this.native.url.slice(0, q)
  }
  clientAddress(): string | undefined {
    return this.native.ip
  }
  readBody(): Promise<unknown> {
    return Promise.resolve(undefined)
  }
  readRawBody(): Promise<Uint8Array | undefined> {
    return Promise.resolve(undefined)
  }
  setBody(): void {}
}

/**
 * One request through an engine's guards, as the Express and Koa adapters run it: a `RequestRun`,
 * its request phase (which must be synchronous and admit: the suites measure that path), then the
 * staged headers merged into the response as at `writeHead`.
 */
export function throughEngine(engine: Engine<MockRequest>, { req, res }: Exchange): BenchResponse {
  res.reset()
  const run = engine.start(new MockSource(req))
  const denial = run.runRequest()
  if (denial !== undefined) throw new Error('the guards did not run synchronously, or denied')
  applyToNodeResponse(res, run.staged())
  return res
}
