import { describe, expect, it } from 'vitest'
import { Engine, type RequestSource } from './engine.js'
import type { SecurityEvent } from './events.js'
import { type Guard, isThenable } from './guard.js'
import { ProblemError, problem } from './problem.js'
import { applyStagedHeaders, prepareHeaders } from './staged-headers.js'
import { testApp } from './testing/test-app.js'

function source(
  headers: Record<string, string> = {},
  ip = '::ffff:192.0.2.1',
): RequestSource<object> {
  return {
    native: {},
    method: 'POST',
    header: (name) => headers[name] ?? null,
    url: () => 'http://example.test/p?q=1',
    path: () => '/p',
    clientAddress: () => ip,
    trustsProxy: false,
    readBody: async () => ({ a: 1 }),
    readRawBody: async () => new TextEncoder().encode('{"a":1}'),
    setBody: () => {},
  }
}

const deny = (status: number): Guard => ({
  name: `deny-${status}`,
  request: (ctx) => ctx.deny(problem(status, 'x', 'X')),
})

describe('Engine', () => {
  it('runs guards in order, stops at the first denial', async () => {
    const seen: string[] = []
    const mark = (n: string): Guard => ({ name: n, request: () => void seen.push(n) })
    const run = new Engine([mark('a'), deny(429), mark('b'), deny(403)]).start(source())
    expect((await run.runRequest())?.status).toBe(429)
    expect(seen).toEqual(['a'])
  })

  it("a nested run without its own onEvent or principal uses its parent's", async () => {
    const events: SecurityEvent[] = []
    const outer = new Engine([], {
      onEvent: (e) => events.push(e),
      principal: () => ({ id: 'alice' }),
    })
    const parent = outer.start(source())
    await parent.runRequest()
    let seen: string | undefined
    const inner = new Engine([
      {
        name: 'route',
        request: async (ctx) => {
          seen = (await ctx.principal())?.id
          ctx.emit('ip-filter.denied', { reason: 'no-ip' })
        },
      },
    ])
    await inner.start(source(), parent).runRequest()
    expect(seen).toBe('alice')
    expect(events).toEqual([expect.objectContaining({ type: 'ip-filter.denied', source: 'route' })])
    // Its own onEvent wins.
    const own: SecurityEvent[] = []
    const separate = new Engine(
      [{ name: 'r', request: (ctx) => ctx.emit('ip-filter.denied', { reason: 'no-ip' }) }],
      {
        onEvent: (e) => own.push(e),
      },
    )
    await separate.start(source(), parent).runRequest()
    expect(own).toHaveLength(1)
    expect(events).toHaveLength(1)
  })

  it('treats a ProblemError from another copy of core as a denial', async () => {
    const foreign = Object.assign(new Error('nope'), {
      name: 'ProblemError',
      problem: problem(401, 'a', 'A'),
    })
    const run = new Engine([{ name: 'f', request: () => Promise.reject(foreign) }]).start(source())
    expect((await run.runRequest())?.status).toBe(401)
    expect(
      (
        await new Engine([
          {
            name: 'p',
            request: () => {
              throw new ProblemError(problem(402, 'b', 'B'))
            },
          },
        ])
          .start(source())
          .runRequest()
      )?.status,
    ).toBe(402)
  })

  it('normalises the IP, accepts safe request ids and generates the rest', () => {
    const engine = new Engine([], { generateRequestId: () => 'generated' })
    expect(engine.start(source()).ip).toBe('192.0.2.1')
    expect(engine.start(source({}, 'garbage')).ip).toBeUndefined()
    expect(engine.start(source({ 'x-request-id': 'ok-1' })).id).toBe('ok-1')
    expect(engine.start(source({ 'x-request-id': 'a'.repeat(129) })).id).toBe('generated')
    expect(engine.start(source({ 'x-request-id': 'new\nline' })).id).toBe('generated')
    const custom = new Engine([], { requestIdHeader: 'X-Trace', generateRequestId: () => 'g' })
    expect(custom.start(source({ 'x-trace': 't1', 'x-request-id': 'r1' })).id).toBe('t1')
    expect(
      new Engine([], { requestIdHeader: false, generateRequestId: () => 'g' }).start(
        source({ 'x-request-id': 'r' }),
      ).id,
    ).toBe('g')
  })

  it('survives an event handler that throws, and warns once per code', async () => {
    const events: SecurityEvent[] = []
    const engine = new Engine(
      [
        {
          name: 'e',
          request: (ctx) => {
            ctx.emit('ip-filter.denied', { reason: 'no-ip' })
            ctx.warnOnce('W1', 'm')
            ctx.warnOnce('W1', 'm')
          },
        },
      ],
      {
        onEvent: (e) => {
          events.push(e)
          throw new Error('logger broke')
        },
      },
    )
    expect(await engine.start(source()).runRequest()).toBeUndefined()
    expect(await engine.start(source()).runRequest()).toBeUndefined()
    expect(events.filter((e) => e.type === 'rampart.warning')).toHaveLength(1)
    expect(events.filter((e) => e.type === 'ip-filter.denied')).toHaveLength(2)
  })

  it('silences warnings by code', async () => {
    const events: SecurityEvent[] = []
    const guard: Guard = {
      name: 'w',
      request: (ctx) => {
        ctx.warnOnce('W1', 'm')
        ctx.warnOnce('W2', 'm')
      },
    }
    await new Engine([guard], { onEvent: (e) => events.push(e), disableWarnings: ['W1'] })
      .start(source())
      .runRequest()
    expect(events.map((e) => (e as { code?: string }).code)).toEqual(['W2'])
  })

  it('renders problem headers before staged ones, never duplicating a name', async () => {
    const run = new Engine([
      {
        name: 's',
        request: (ctx) => {
          ctx.response.headers.set('Retry-After', '1')
          ctx.response.headers.set('X-A', 'a')
        },
      },
      {
        name: 'd',
        request: (ctx) => ctx.deny(problem(429, 'r', 'R', { headers: { 'Retry-After': '9' } })),
      },
    ]).start(source({ 'x-request-id': 'rid' }))
    const denial = await run.runRequest()
    const rendered = run.render(denial!)
    expect(rendered.headers.filter(([n]) => n.toLowerCase() === 'retry-after')).toEqual([
      ['Retry-After', '9'],
    ])
    expect(rendered.headers).toContainEqual(['X-A', 'a'])
    expect(JSON.parse(rendered.body)).toEqual({
      type: 'urn:rampart:problem:r',
      title: 'R',
      status: 429,
      requestId: 'rid',
    })
  })

  it('caches body reads and lets a guard replace the body', async () => {
    let reads = 0
    const src = { ...source(), readBody: async () => ({ n: ++reads }) }
    const run = new Engine([]).start(src)
    expect(await run.body()).toEqual({ n: 1 })
    expect(await run.body()).toEqual({ n: 1 })
    run.setBody({ replaced: true })
    expect(await run.body()).toEqual({ replaced: true })
  })

  it('reads the query once per request, and a replacement reaches the source and later reads', () => {
    let reads = 0
    const written: unknown[] = []
    const parsed = { a: ['1', '2'], b: 'x' }
    const src: RequestSource<object> = {
      ...source(),
      query: () => {
        reads++
        return parsed
      },
      setQuery: (value) => void written.push(value),
    }
    const run = new Engine([]).start(src)
    expect(reads).toBe(0)
    expect(run.query()).toBe(parsed)
    expect(run.query()).toBe(parsed)
    expect(reads).toBe(1)
    const clean = { b: 'clean' }
    run.setQuery(clean)
    expect(written).toEqual([clean])
    expect(run.query()).toBe(clean)
    expect(reads).toBe(1)
  })

  it('parses the URL query itself for a source without query(), and refuses to replace it', async () => {
    const src = { ...source(), url: () => 'http://example.test/p?a=1&a=2&b=x%20y&__proto__=z' }
    const run = new Engine([]).start(src)
    const query = run.query()
    expect({ ...query }).toEqual({ a: ['1', '2'], b: 'x y', ['__proto__']: 'z' })
    expect(Object.getPrototypeOf(query)).toBeNull()
    expect(run.params()).toBeUndefined()
    const events: SecurityEvent[] = []
    const replacing = new Engine([{ name: 'sanitize', request: (ctx) => ctx.setQuery({}) }], {
      onEvent: (e) => events.push(e),
    }).start(src)
    expect((await replacing.runRequest())?.status).toBe(500)
    expect(events[0]).toMatchObject({ type: 'guard.failed', source: 'sanitize' })
    expect(() => run.setParams({})).toThrow(/cannot replace/)
  })

  it('reads params once (undefined included) and replaces them through the source', () => {
    let reads = 0
    let current: Record<string, string> | undefined
    const src: RequestSource<object> = {
      ...source(),
      params: () => {
        reads++
        return current
      },
      setParams: (value) => {
        current = value
      },
    }
    const run = new Engine([]).start(src)
    expect(run.params()).toBeUndefined()
    expect(run.params()).toBeUndefined()
    expect(reads).toBe(1)
    run.setParams({ id: 'x' })
    expect(current).toEqual({ id: 'x' })
    expect(run.params()).toEqual({ id: 'x' })
    expect(reads).toBe(1)
  })

  it('rejects a replacement that is not a plain object, leaving the source alone', () => {
    let writes = 0
    const src: RequestSource<object> = {
      ...source(),
      query: () => ({}),
      setQuery: () => void writes++,
      setParams: () => void writes++,
    }
    const run = new Engine([]).start(src)
    for (const bad of [null, 'a=1', ['a'], 1]) {
      expect(() => run.setQuery(bad as never)).toThrow(TypeError)
      expect(() => run.setParams(bad as never)).toThrow(TypeError)
    }
    expect(writes).toBe(0)
  })

  it("resolves the app's principal once, and a guard's setPrincipal() overrides it for later readers", async () => {
    let calls = 0
    const engine = new Engine([], {
      principal: () => {
        calls++
        return { id: 'from-app' }
      },
    })
    const plain = engine.start(source())
    expect((await plain.principal())?.id).toBe('from-app')
    expect((await plain.principal())?.id).toBe('from-app')
    expect(calls).toBe(1)
    const signed = engine.start(source())
    signed.setPrincipal({ id: 'key-1', roles: ['partner'] })
    expect(await signed.principal()).toEqual({ id: 'key-1', roles: ['partner'] })
    expect(calls).toBe(1)
  })

  it('falls back to a neutral origin for a hostile Host', () => {
    const run = new Engine([]).start({ ...source(), url: () => 'http://exa mple/%%' })
    expect(run.url.pathname).toBe('/p')
  })
})

describe('StagedHeaderList', () => {
  it('replaces by name case-insensitively, forgets on delete, and lists in staging order', () => {
    const run = new Engine([]).start(source())
    const staged = run.response.headers
    expect(staged.size).toBe(0)
    staged.set('X-A', '1')
    staged.set('x-a', '2')
    staged.remove('X-Powered-By')
    staged.set('X-B', '3', { override: true })
    staged.delete('x-powered-by')
    expect(staged.get('X-A')).toBe('2')
    expect(staged.list()).toEqual([
      { name: 'x-a', key: 'x-a', value: '2', mode: 'default' },
      { name: 'X-B', key: 'x-b', value: '3', mode: 'override' },
    ])
    staged.stage(
      prepareHeaders([
        { name: 'X-B', value: '4' },
        { name: 'X-C', value: '5', mode: 'remove' },
      ]),
    )
    expect(staged.get('x-b')).toBe('4')
    expect(staged.list().map((h) => [h.name, h.value, h.mode])).toEqual([
      ['x-a', '2', 'default'],
      ['X-B', '4', 'default'],
      ['X-C', '5', 'remove'],
    ])
  })
})

describe('RequestRun.runRequest is synchronous while the guards are', () => {
  const mark = (seen: string[], n: string): Guard => ({ name: n, request: () => void seen.push(n) })
  const later = (seen: string[], n: string): Guard => ({
    name: n,
    request: async () => {
      await new Promise((resolve) => setTimeout(resolve, 1))
      seen.push(n)
    },
  })

  it('returns a plain value, not a promise, when no guard returns one', () => {
    const seen: string[] = []
    const allowed = new Engine([mark(seen, 'a'), mark(seen, 'b')]).start(source()).runRequest()
    expect(allowed).toBeUndefined()
    const denied = new Engine([mark(seen, 'c'), deny(429), mark(seen, 'd')])
      .start(source())
      .runRequest()
    expect(denied).not.toBeInstanceOf(Promise)
    expect((denied as { status: number }).status).toBe(429)
    expect(seen).toEqual(['a', 'b', 'c'])
  })

  it('turns a synchronous throw into a 500 denial without a promise', () => {
    const events: SecurityEvent[] = []
    const thrower: Guard = {
      name: 'thrower',
      request: () => {
        throw new Error('boom')
      },
    }
    const outcome = new Engine([thrower], { onEvent: (e) => void events.push(e) })
      .start(source())
      .runRequest()
    expect((outcome as { status: number }).status).toBe(500)
    expect(events.map((e) => [e.type, e.source])).toEqual([['guard.failed', 'thrower']])
  })

  it('switches to a promise at the first asynchronous guard and keeps the order', async () => {
    const seen: string[] = []
    const outcome = new Engine([
      mark(seen, 'a'),
      later(seen, 'b'),
      mark(seen, 'c'),
      deny(403),
      mark(seen, 'd'),
    ])
      .start(source())
      .runRequest()
    expect(outcome).toBeInstanceOf(Promise)
    expect(seen).toEqual(['a'])
    expect((await outcome)?.status).toBe(403)
    expect(seen).toEqual(['a', 'b', 'c'])
  })

  it('accepts thenables that are not native promises, and turns rejections into 500s', async () => {
    const thenable: Guard = {
      name: 'thenable',
      request: (ctx) =>
        ({
          // biome-ignore lint/suspicious/noThenProperty: a foreign thenable is the point of the test
          then: (resolve: () => void) => {
            ctx.state.set(flag, true)
            resolve()
          },
        }) as unknown as Promise<void>,
    }
    const flag = { name: 'flag' } as const
    const run = new Engine(
      [thenable, { name: 'r', request: () => Promise.reject(new Error('x')) }],
      {
        onEvent: () => {},
      },
    ).start(source())
    const outcome = run.runRequest()
    expect(outcome).toBeInstanceOf(Promise)
    expect((await outcome)?.status).toBe(500)
    expect(run.state.get(flag)).toBe(true)
  })
})

describe('StagedHeaderList copy on write', () => {
  it('keeps a prepared list by reference until something else is staged', () => {
    const staged = new Engine([]).start(source()).response.headers
    const prepared = prepareHeaders([
      { name: 'X-A', value: '1' },
      { name: 'X-B', value: '2' },
    ])
    staged.stage(prepared)
    expect(staged.list()).toBe(prepared)
    expect(staged.get('x-b')).toBe('2')
    expect(staged.size).toBe(2)
    staged.delete('X-A')
    staged.set('X-C', '3')
    expect(staged.list().map((h) => h.name)).toEqual(['X-B', 'X-C'])
    expect(prepared).toHaveLength(2)
  })
})

describe('applyStagedHeaders', () => {
  it('default only when absent, override always, remove always', () => {
    const headers = new Headers({ 'x-own': 'handler', 'x-forced': 'handler', 'x-powered-by': 'x' })
    applyStagedHeaders(
      prepareHeaders([
        { name: 'X-Own', value: 'guard' },
        { name: 'X-New', value: 'guard' },
        { name: 'X-Forced', value: 'guard', mode: 'override' },
        { name: 'X-Powered-By', value: '', mode: 'remove' },
      ]),
      {
        names: () => headers.keys(),
        set: (n, v) => headers.set(n, v),
        remove: (n) => headers.delete(n),
      },
    )
    expect(Object.fromEntries(headers)).toEqual({
      'x-own': 'handler',
      'x-new': 'guard',
      'x-forced': 'guard',
    })
  })
})

describe('isThenable', () => {
  it('tells promises and thenables from plain values', () => {
    const then = () => {}
    const thenables = [{ then }, Object.assign(() => {}, { then })]
    expect(isThenable(Promise.resolve(1))).toBe(true)
    for (const value of thenables) expect(isThenable(value)).toBe(true)
    // biome-ignore lint/suspicious/noThenProperty: a `then` that is not a function
    const notThen = { then: 1 }
    for (const value of [undefined, null, 0, 'then', {}, notThen, () => {}]) {
      expect(isThenable(value)).toBe(false)
    }
  })
})

describe('testApp query and params', () => {
  it('parses the query from the path and reports what the handler would read', async () => {
    const probe: Guard = {
      name: 'probe',
      request(ctx) {
        expect(ctx.path).toBe('/search')
        expect({ ...ctx.query() }).toEqual({ a: ['1', '2'], b: 'x' })
        expect(ctx.params()).toEqual({ id: '42' })
        ctx.setQuery({ b: 'clean' })
        ctx.setParams({ id: 'x' })
      },
    }
    const sent = await testApp([probe]).send({ path: '/search?a=1&a=2&b=x', params: { id: '42' } })
    expect(sent.status).toBe(200)
    expect(sent.query).toEqual({ b: 'clean' })
    expect(sent.params).toEqual({ id: 'x' })
    const untouched = await testApp([]).send({ path: '/?q=1' })
    expect({ ...untouched.query }).toEqual({ q: '1' })
    expect(untouched.params).toBeUndefined()
  })
})

describe('redactEvent', () => {
  it('passes every event through the redactor before onEvent, and drops it when the redactor throws', async () => {
    const seen: unknown[] = []
    const leaky = {
      name: 'leaky',
      request(ctx: import('./context.js').SecurityContext) {
        ctx.emit('rampart.warning', { code: 'X', message: 'token=abc' })
      },
    }
    const engine = new Engine([leaky], {
      onEvent: (e) => seen.push(e),
      redactEvent: (e) => ({ ...e, message: '[REDACTED]' }),
    })
    const source = {
      native: {},
      method: 'GET',
      header: () => null,
      url: () => 'http://t.local/',
      path: () => '/',
      clientAddress: () => '192.0.2.1',
      trustsProxy: false,
      readBody: async () => undefined,
      readRawBody: async () => undefined,
      setBody: () => {},
    }
    await engine.start(source).runRequest()
    expect(seen).toEqual([
      expect.objectContaining({ type: 'rampart.warning', message: '[REDACTED]' }),
    ])
    const dropped: unknown[] = []
    const failing = new Engine([leaky], {
      onEvent: (e) => dropped.push(e),
      redactEvent: () => {
        throw new Error('redactor bug')
      },
    })
    await failing.start(source).runRequest()
    expect(dropped).toEqual([])
  })
})
