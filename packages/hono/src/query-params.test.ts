import type { Guard } from '@rampart/core'
import { Hono } from 'hono'
import { validator } from 'hono/validator'
import { describe, expect, it } from 'vitest'
import { rampart } from './index.js'

const replaceQuery = (value: Record<string, unknown>): Guard => ({
  name: 'replace-query',
  request: (ctx) => ctx.setQuery(value),
})

const replaceParams = (value: Record<string, string>, seen?: unknown[]): Guard => ({
  name: 'replace-params',
  request(ctx) {
    seen?.push(ctx.params())
    ctx.setParams(value)
  },
})

describe('hono: query and params', () => {
  it('a guard reads the query built from c.req.queries(): arrays for repeated keys', async () => {
    const seen: unknown[] = []
    const app = new Hono()
    app.use(rampart({ name: 'read', request: (ctx) => void seen.push({ ...ctx.query() }) }))
    app.get('/q', (c) => c.json(c.req.queries()))
    const res = await app.request('/q?a=1&a=2&b=x%20y&c')
    expect(seen).toEqual([{ a: ['1', '2'], b: 'x y', c: '' }])
    expect(await res.json()).toEqual({ a: ['1', '2'], b: ['x y'], c: [''] })
  })

  it('serves a replaced query to every form of c.req.query() and c.req.queries()', async () => {
    const app = new Hono()
    app.use(rampart(replaceQuery({ a: ['3', '4'], b: 'clean', n: 5 })))
    app.get('/q', (c) =>
      c.json({
        query: c.req.query(),
        a: c.req.query('a'),
        b: c.req.query('b'),
        missing: c.req.query('missing') ?? null,
        inherited: c.req.query('constructor') ?? null,
        queries: c.req.queries(),
        aAll: c.req.queries('a'),
        bAll: c.req.queries('b'),
        twice: c.req.queries(),
        url: c.req.url,
      }),
    )
    const res = await app.request('http://local.test/q?a=1&a=2&b=x')
    expect(await res.json()).toEqual({
      query: { a: '3', b: 'clean', n: 5 },
      a: '3',
      b: 'clean',
      missing: null,
      inherited: null,
      queries: { a: ['3', '4'], b: ['clean'], n: [5] },
      aAll: ['3', '4'],
      bAll: ['clean'],
      twice: { a: ['3', '4'], b: ['clean'], n: [5] },
      // The raw URL stays as received.
      url: 'http://local.test/q?a=1&a=2&b=x',
    })
  })

  it("validator('query') after rampart() validates the replaced query", async () => {
    const app = new Hono()
    app.use(rampart(replaceQuery({ b: 'clean' })))
    app.get(
      '/q',
      validator('query', (value) => value),
      (c) => c.json(c.req.valid('query')),
    )
    expect(await (await app.request('/q?b=x&c=1')).json()).toEqual({ b: 'clean' })
  })

  it('a guard on the route reads c.req.param() and its replacement reaches both forms', async () => {
    const seen: unknown[] = []
    const app = new Hono()
    app.get('/items/:id', rampart(replaceParams({ id: 'x' }, seen)), (c) =>
      c.json({ all: c.req.param(), id: c.req.param('id'), other: c.req.param('other') ?? null }),
    )
    const res = await app.request('/items/42')
    expect(seen).toEqual([{ id: '42' }])
    expect(await res.json()).toEqual({ all: { id: 'x' }, id: 'x', other: null })
  })

  it("params replaced app-wide (where they are unknown) leave the route's own params alone", async () => {
    const seen: unknown[] = []
    const app = new Hono()
    app.use(rampart(replaceParams({ id: 'from-app-level' }, seen)))
    app.use(async (c, next) => {
      // Another app-wide middleware shares the app-level route path, so it sees the replacement.
      c.header('x-app-level-id', c.req.param('id') ?? '')
      await next()
    })
    app.get('/items/:id', (c) => c.json({ all: c.req.param(), id: c.req.param('id') }))
    const res = await app.request('/items/42')
    expect(seen).toEqual([undefined])
    expect(res.headers.get('x-app-level-id')).toBe('from-app-level')
    expect(await res.json()).toEqual({ all: { id: '42' }, id: '42' })
  })

  it('a middleware registered on the same path shares the replacement with the handler', async () => {
    const app = new Hono()
    app.use('/items/:id', rampart(replaceParams({ id: 'x' })))
    app.get('/items/:id', (c) => c.json({ id: c.req.param('id') }))
    expect(await (await app.request('/items/42')).json()).toEqual({ id: 'x' })
  })
})
