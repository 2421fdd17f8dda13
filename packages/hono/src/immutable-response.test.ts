import { stageProbe } from '@rampart/core/testing'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { rampart } from './index.js'

describe('hono: staged headers on responses with immutable headers', () => {
  it('copies a fetch() response before adding headers, keeping its body and status', async () => {
    const app = new Hono()
    app.use(rampart(stageProbe({ default: { 'X-Staged': 'yes' } })))
    app.get('/proxied', () => fetch('data:text/plain,proxied-body'))
    const res = await app.request('/proxied')
    expect(res.status).toBe(200)
    expect(res.headers.get('x-staged')).toBe('yes')
    expect(await res.text()).toBe('proxied-body')
  })

  it('adds headers to a Response.redirect() (immutable headers)', async () => {
    const app = new Hono()
    app.use(rampart(stageProbe({ default: { 'X-Staged': 'yes' } })))
    app.get('/go', () => Response.redirect('https://example.test/next', 302))
    const res = await app.request('/go')
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('https://example.test/next')
    expect(res.headers.get('x-staged')).toBe('yes')
  })
})
