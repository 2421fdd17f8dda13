/**
 * A minimal in-process adapter for guards' unit tests: drives core's `Engine` with a fake
 * request source, renders denials as an adapter would, and runs the response phase with a chosen
 * status. Behaviour that must hold in every framework belongs in the conformance suite instead.
 * @module
 */
import { parseUrlencoded } from '../body.js'
import type { Principal } from '../context.js'
import { Engine, type RequestSource } from '../engine.js'
import type { SecurityEvent } from '../events.js'
import type { Guard } from '../guard.js'
import type { StateBag } from '../state.js'
import { type ManualClock, manualClock } from './store-suite.js'

/** One request to send. */
export interface SendOptions {
  /** Client address as the framework resolved it; `null` for none. Default `203.0.113.1`. */
  readonly ip?: string | null
  readonly headers?: Readonly<Record<string, string>>
  /** Path, optionally with a query string (`/search?q=1`). Default `/`. */
  readonly path?: string
  /** Status the handler answers with when the request is admitted. Default 200. */
  readonly status?: number
  /** Whether the client went away before the response finished. */
  readonly aborted?: boolean
  /** The parsed body `ctx.body()` answers. Default `undefined`. */
  readonly body?: unknown
  /** Route params `ctx.params()` answers. Default `undefined` (no router). */
  readonly params?: Readonly<Record<string, string>>
  /** Request method. Default `GET`, or `POST` when a body is given. */
  readonly method?: string
  /** The principal the app's `principal` function resolves. Default none. */
  readonly principal?: Principal
}

/** What came back. */
export interface Sent {
  readonly status: number
  /** Response headers, names lower-cased. */
  readonly headers: Readonly<Record<string, string>>
  /** Parsed problem body for a denial, else `undefined`. */
  readonly body: Record<string, unknown> | undefined
  readonly state: StateBag
  /** The query the handler would read: parsed from `path` (repeated keys as arrays), or what a guard set. */
  readonly query: Record<string, unknown>
  /** The route params the handler would read, or what a guard set. */
  readonly params: Record<string, string> | undefined
  /** The parsed body the handler would read: the one sent, or what a guard set. */
  readonly handlerBody: unknown
}

/** A test app: guards, a clock the engine and stores share, and the events raised. */
export interface TestApp {
  send(options?: SendOptions): Promise<Sent>
  readonly events: SecurityEvent[]
  readonly clock: ManualClock
  /** Events of one type. */
  eventsOf<T extends SecurityEvent['type']>(type: T): SecurityEvent<T>[]
}

/** Builds a test app around guards. Pass the same clock to the stores the guards use. */
export function testApp(guards: readonly Guard[], clock: ManualClock = manualClock()): TestApp {
  const events: SecurityEvent[] = []
  const engine = new Engine<{ principal?: Principal }>(guards, {
    onEvent: (e) => events.push(e),
    clock: clock.now,
    principal: (native) => native.principal,
  })
  return {
    events,
    clock,
    eventsOf: <T extends SecurityEvent['type']>(type: T) =>
      events.filter((e) => e.type === type) as unknown as SecurityEvent<T>[],
    async send(o = {}) {
      const headers: Record<string, string> = {}
      for (const [k, v] of Object.entries(o.headers ?? {})) headers[k.toLowerCase()] = v
      const target = o.path ?? '/'
      const q = target.indexOf('?')
      const path = q === -1 ? target : target.slice(0, q)
      let query: Record<string, unknown> | undefined
      let params = o.params === undefined ? undefined : { ...o.params }
      let handlerBody = o.body
      const source: RequestSource<{ principal?: Principal }> = {
        native: o.principal === undefined ? {} : { principal: o.principal },
        method: o.method ?? (o.body === undefined ? 'GET' : 'POST'),
        header: (name) => headers[name] ?? null,
        url: () => `http://test.local${target}`,
        path: () => path,
        clientAddress: () => (o.ip === null ? undefined : (o.ip ?? '203.0.113.1')),
        trustsProxy: false,
        readBody: async () => o.body,
        readRawBody: async () => undefined,
        setBody: (value) => {
          handlerBody = value
        },
        query: () => {
          query ??= parseUrlencoded(q === -1 ? '' : target.slice(q))
          return query
        },
        setQuery: (value) => {
          query = value
        },
        params: () => params,
        setParams: (value) => {
          params = value
        },
      }
      const run = engine.start(source)
      const denial = await run.runRequest()
      const out: Record<string, string> = {}
      let status: number
      let body: Record<string, unknown> | undefined
      if (denial !== undefined) {
        const rendered = run.render(denial)
        status = rendered.status
        for (const [k, v] of rendered.headers) out[k.toLowerCase()] = v
        body = JSON.parse(rendered.body) as Record<string, unknown>
      } else {
        status = o.status ?? 200
        for (const h of run.staged()) if (h.mode !== 'remove') out[h.key] = h.value
      }
      await run.runResponse({ status, aborted: o.aborted ?? false })
      return {
        status,
        headers: out,
        body,
        state: run.state,
        query: source.query?.() ?? {},
        params,
        handlerBody,
      }
    },
  }
}
