/**
 * What the sanitizer suites share: typical JSON bodies (a partner record of an ERP API, the
 * demo's domain, repeated to about 1 KB and 10 KB) and our side, `sanitize()` run through core's
 * request context as an adapter runs it (the body read through `ctx.body()`, the query and route
 * params checked too).
 * @module
 */
import { Engine, type RequestSource } from '@rampart/core'
import { sanitize } from '@rampart/sanitizer'
import { type MicroCase, microCase } from '../micro.js'

/** One request's inputs, as a framework would hand them over. */
export interface BodyRequest {
  /** The body as JSON text. */
  readonly text: string
  /** The body as the framework's JSON parser left it (parsed once, reused: clean input is never changed). */
  readonly parsed: unknown
  readonly query: Record<string, unknown>
  readonly params: Record<string, string>
}

function partner(i: number) {
  return {
    id: `p-${i}`,
    name: `Partner ${i} GmbH & Co. KG`,
    email: `contact${i}@partner${i}.example`,
    phone: `+49 30 1234${String(i).padStart(4, '0')}`,
    website: `https://partner${i}.example/about?lang=de`,
    vatId: `DE${String(100_000_000 + i)}`,
    creditLimit: 50_000 + i,
    active: i % 3 !== 0,
    address: { street: `Hauptstraße ${i}`, city: 'Berlin', zip: '10115', country: 'DE' },
    tags: ['wholesale', 'priority', `region-${i % 5}`],
  }
}

/** A body of about `bytes` of JSON: partner records in an array under `items`. */
function bodyOf(bytes: number, seed: number): BodyRequest {
  const items: unknown[] = []
  let text = ''
  while (text.length < bytes) {
    items.push(partner(seed * 100 + items.length))
    text = JSON.stringify({ items, page: 1, note: 'Übersicht' })
  }
  return {
    text,
    parsed: JSON.parse(text),
    query: { page: '1', sort: 'name' },
    params: { tenant: `t${seed}` },
  }
}

/** `count` distinct requests whose bodies are about `bytes` of JSON each. */
export function requests(bytes: number, count = 16): BodyRequest[] {
  return Array.from({ length: count }, (_, i) => bodyOf(bytes, i))
}

/** A request source serving one prepared request (parsed or, with `parse`, parsed per call). */
class BodySource implements RequestSource<BodyRequest> {
  readonly method = 'POST'
  readonly trustsProxy = false
  constructor(
    readonly native: BodyRequest,
    private readonly parse: boolean,
  ) {}
  header(name: string): string | null {
    if (name === 'content-type') return 'application/json'
    if (name === 'content-length') return String(this.native.text.length)
    return null
  }
  url(): string {
    return 'https://api.example.com/partners?page=1&sort=name'
  }
  path(): string {
    return '/partners'
  }
  clientAddress(): string {
    return '203.0.113.9'
  }
  readBody(): Promise<unknown> {
    return Promise.resolve(this.parse ? JSON.parse(this.native.text) : this.native.parsed)
  }
  readRawBody(): Promise<Uint8Array | undefined> {
    return Promise.resolve(undefined)
  }
  setBody(): void {}
  query(): Record<string, unknown> {
    return this.native.query
  }
  setQuery(): void {}
  params(): Record<string, string> {
    return this.native.params
  }
  setParams(): void {}
}

/**
 * Ours: `sanitize()` with its defaults in core's `Engine`. With `parse`, the body is parsed from
 * its text on every request (as the adapter's own parser does), for the comparison with a parser.
 * Answers `'ok'` when the request is admitted (the check compares both sides' verdicts).
 */
export function oursThroughEngine(parse: boolean): (request: BodyRequest) => Promise<string> {
  const engine = new Engine<BodyRequest>([sanitize()])
  return async (request) => {
    const run = engine.start(new BodySource(request, parse))
    const denial = await run.runRequest()
    return denial === undefined ? 'ok' : `denied ${denial.status}`
  }
}

/**
 * The cases both sanitizer suites run, 1 KB and 10 KB bodies: ours through the engine (parsing
 * the text per request when `parse`) against `anchor()`.
 */
export function bodyCases(
  anchor: () => (request: BodyRequest) => Promise<string>,
  parse: boolean,
): MicroCase<never>[] {
  return [
    { name: '1 KB JSON body', bytes: 1_024 },
    { name: '10 KB JSON body', bytes: 10_240 },
  ].map(({ name, bytes }) =>
    microCase({
      name,
      inputs: requests(bytes),
      ours: oursThroughEngine(parse),
      anchor: anchor(),
      promises: true,
    }),
  )
}
