import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { defineGuard, type ResponseInfo } from '@rampart/core'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { rampart } from './index.js'

function recorder() {
  const seen: ResponseInfo[] = []
  const guard = defineGuard({
    name: 'response-recorder',
    response(_ctx, res) {
      seen.push(res)
    },
  })
  return { seen, guard }
}

describe('hono: the response phase', () => {
  it('runs once the body was read, off Node (no Node response to watch)', async () => {
    const { seen, guard } = recorder()
    const app = new Hono()
    app.use(rampart(guard))
    app.get('/', (c) => c.json({ ok: true }, 201))
    const res = await app.request('/')
    expect(seen).toEqual([])
    expect(await res.json()).toEqual({ ok: true })
    await new Promise((r) => setTimeout(r, 0))
    expect(seen).toEqual([{ status: 201, aborted: false }])
  })

  it('on @hono/node-server, watches the Node response and leaves the body as the handler made it', async () => {
    const { seen, guard } = recorder()
    const app = new Hono()
    let made: Response | undefined
    let sent: Response | undefined
    app.use(async (c, next) => {
      await next()
      sent = c.res
    })
    app.use(rampart(guard))
    app.get('/', (c) => {
      made = c.json({ ok: true }, 202)
      return made
    })
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
    await new Promise((r) => server.once('listening', r))
    try {
      const { port } = server.address() as AddressInfo
      const res = await fetch(`http://127.0.0.1:${port}/`)
      expect(await res.json()).toEqual({ ok: true })
      for (let i = 0; i < 50 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 5))
      expect(seen).toEqual([{ status: 202, aborted: false }])
      // The response left as the handler made it: @hono/node-server keeps its fast path.
      expect(sent).toBe(made)
    } finally {
      await new Promise((r) => server.close(r))
    }
  })
})
