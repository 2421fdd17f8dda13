import type { AddressInfo } from 'node:net'
import express, { type Express } from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { rampart } from './index.js'

const servers: { close(): void }[] = []
afterEach(() => {
  for (const server of servers.splice(0)) server.close()
})

async function get(app: Express, path: string): Promise<unknown> {
  const server = app.listen(0, '127.0.0.1')
  servers.push(server)
  await new Promise((resolve) => server.once('listening', resolve))
  const { port } = server.address() as AddressInfo
  const res = await fetch(`http://127.0.0.1:${port}${path}`)
  expect(res.status).toBe(200)
  return res.json()
}

describe('express: query and params', () => {
  it('req.query is a getter that parses again on every read, and cannot be assigned', async () => {
    const app = express()
    app.get('/q', (req, res) => {
      let assigned = true
      try {
        ;(req as { query: unknown }).query = { b: 'assigned' }
      } catch {
        assigned = false
      }
      const first = req.query
      res.json({ fresh: first !== req.query, assigned, query: req.query })
    })
    expect(await get(app, '/q?b=x')).toEqual({ fresh: true, assigned: false, query: { b: 'x' } })
  })

  it('a replaced query is the same object on every read, on that request only', async () => {
    const clean = { b: 'clean', nested: { n: 1 } }
    const app = express()
    app.set('query parser', 'extended')
    app.use(
      rampart({
        name: 'replace-on-q',
        request: (ctx) => (ctx.path === '/q' ? ctx.setQuery(clean) : undefined),
      }),
    )
    app.get('/q', (req, res) => {
      const first: unknown = req.query
      res.json({
        same: first === clean && req.query === first,
        own: Object.hasOwn(req, 'query'),
        query: req.query,
        url: req.originalUrl,
      })
    })
    app.get('/other', (req, res) =>
      res.json({ own: Object.hasOwn(req, 'query'), query: req.query }),
    )
    expect(await get(app, '/q?b=x&a[b]=1')).toEqual({
      same: true,
      own: true,
      query: clean,
      url: '/q?b=x&a[b]=1',
    })
    expect(await get(app, '/other?a[b]=2')).toEqual({ own: false, query: { a: { b: '2' } } })
  })

  it('route-level rampart() reads req.params and its replacement reaches the handler', async () => {
    const seen: unknown[] = []
    const app = express()
    app.use(rampart({ name: 'app-level', request: (ctx) => void seen.push({ app: ctx.params() }) }))
    app.get(
      '/items/:id',
      rampart({
        name: 'route-level',
        request(ctx) {
          seen.push({ route: ctx.params() })
          ctx.setParams({ id: 'x' })
        },
      }),
      (req, res) => res.json({ params: req.params, id: req.params.id }),
    )
    expect(await get(app, '/items/42')).toEqual({ params: { id: 'x' }, id: 'x' })
    // App-wide, before routing, the params are unknown (as in Koa and Hono), not an empty route's.
    expect(seen).toEqual([{ app: undefined }, { route: { id: '42' } }])
  })
})
