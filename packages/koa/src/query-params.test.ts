import type { AddressInfo } from 'node:net'
import Koa, { type Context } from 'koa'
import { afterEach, describe, expect, it } from 'vitest'
import { rampart } from './index.js'

const servers: { close(): void }[] = []
afterEach(() => {
  for (const server of servers.splice(0)) server.close()
})

async function get(app: Koa, path: string): Promise<unknown> {
  const server = app.listen(0, '127.0.0.1')
  servers.push(server)
  await new Promise((resolve) => server.once('listening', resolve))
  const { port } = server.address() as AddressInfo
  const res = await fetch(`http://127.0.0.1:${port}${path}`)
  expect(res.status).toBe(200)
  return res.json()
}

type Routed = Context & { params?: Record<string, string> }

describe('koa: query and params', () => {
  it("Koa's own ctx.query setter rewrites the query string: why the adapter does not use it", async () => {
    const app = new Koa()
    app.use((ctx) => {
      ctx.query = { n: 5, nested: { deep: true } } as never
      ctx.body = { query: ctx.query, querystring: ctx.querystring }
    })
    expect(await get(app, '/q?b=x')).toEqual({
      query: { n: '5', nested: '' },
      querystring: 'n=5&nested=',
    })
  })

  it('a replaced query is the object ctx.query and ctx.request.query return', async () => {
    const clean = { a: ['3', '4'], n: 5, nested: { deep: true } }
    const seen: unknown[] = []
    const app = new Koa()
    app.use(
      rampart({
        name: 'replace-query',
        request(ctx) {
          seen.push({ ...ctx.query() })
          ctx.setQuery(clean)
        },
      }),
    )
    app.use((ctx) => {
      const first: unknown = ctx.query
      ctx.body = {
        same: first === clean && ctx.request.query === first && ctx.query === first,
        query: ctx.query,
        querystring: ctx.querystring,
        url: ctx.url,
      }
    })
    expect(await get(app, '/q?a=1&a=2&b=x')).toEqual({
      same: true,
      query: clean,
      querystring: 'a=1&a=2&b=x',
      url: '/q?a=1&a=2&b=x',
    })
    expect(seen).toEqual([{ a: ['1', '2'], b: 'x' }])
  })

  it('params are undefined without a router, and a replacement sets ctx.params and ctx.request.params', async () => {
    const seen: unknown[] = []
    const app = new Koa()
    app.use(rampart({ name: 'app-level', request: (ctx) => void seen.push(ctx.params() ?? null) }))
    // What @koa/router does for `router.get('/items/:id', rampart(...), handler)`.
    const route = rampart({
      name: 'route-level',
      request(ctx) {
        seen.push(ctx.params())
        ctx.setParams({ id: 'x' })
      },
    })
    app.use(async (ctx: Routed) => {
      ctx.params = { id: ctx.path.slice('/items/'.length) }
      await route(ctx, async () => {
        const request = ctx.request as { params?: unknown }
        ctx.body = { params: ctx.params, same: request.params === ctx.params }
      })
    })
    expect(await get(app, '/items/42')).toEqual({ params: { id: 'x' }, same: true })
    expect(seen).toEqual([null, { id: '42' }])
  })
})
