/**
 * `policy.require()` behaviour every adapter must show, on the harness's `/items/:id` route
 * (guards mounted on the route, the principal from `x-user` / `x-roles` / `x-tenant`, the
 * handler answering from the guard's state) and on `/echo` for what the handler's framework
 * sees of a stripped body: pass these to `runConformanceSuite(harness, [rbacCases])`.
 * @module
 */
import type { SecurityContext, SecurityEvent } from '@rampart/core'
import type { AppSpec, ConformanceCases, RunningApp } from '@rampart/core/testing'
import { describe, expect, it } from 'vitest'
import type { RequireGuard } from '../guard.js'
import { erpPartners, erpPolicy, type Partner } from './erp.js'

interface Who {
  readonly user?: string
  readonly roles?: string
  readonly tenant?: string
}

function send(
  app: RunningApp,
  method: string,
  path: string,
  who: Who,
  body?: unknown,
): Promise<Response> {
  const headers: Record<string, string> = {}
  if (who.user !== undefined) headers['x-user'] = who.user
  if (who.roles !== undefined) headers['x-roles'] = who.roles
  if (who.tenant !== undefined) headers['x-tenant'] = who.tenant
  if (body !== undefined) headers['content-type'] = 'application/json'
  return fetch(`${app.origin}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
}

const alice: Who = { user: 'alice', roles: 'editor', tenant: 'acme' }
const viewer: Who = { user: 'vera', roles: 'viewer', tenant: 'acme' }
const manager: Who = { user: 'max', roles: 'manager', tenant: 'acme' }

/** A loader over the fixture's partners that counts its calls. */
function loader(key: (ctx: SecurityContext) => string | undefined) {
  const partners = erpPartners()
  const counter = {
    calls: 0,
    load: (ctx: SecurityContext): Partner | undefined => {
      counter.calls++
      const id = key(ctx)
      return id !== undefined && Object.hasOwn(partners, id) ? partners[id] : undefined
    },
  }
  return counter
}

const byParam = (ctx: SecurityContext) => ctx.params()?.id
const byQuery = (ctx: SecurityContext) => {
  const id = ctx.query().id
  return typeof id === 'string' ? id : undefined
}

/** A handler that counts its calls: route guards run after the harness's own counter. */
function counted(respond: NonNullable<AppSpec['itemResponse']> = () => 'done') {
  const handler = {
    calls: 0,
    respond: ((read) => {
      handler.calls++
      return respond(read)
    }) as NonNullable<AppSpec['itemResponse']>,
  }
  return handler
}

/** The handler's answer: the loaded record through the guard's read filter. */
function filtered(guard: RequireGuard<Partner>): NonNullable<AppSpec['itemResponse']> {
  return (read) => {
    const access = read(guard.access)
    return access === undefined ? { missing: 'access' } : access.filter(access.resource)
  }
}

/** Conformance cases for `@rampart/rbac`. */
/** Conformance cases for `@rampart/rbac`. */
export const rbacCases: ConformanceCases = (_harness, start) => {
  describe('rbac', () => {
    const policy = erpPolicy()

    /**
     * An app with `guard` mounted on `/items/:id`, the principal from the request headers, a
     * handler that counts its calls (answering with `respond`), and the events raised.
     */
    const onRoute = async (
      guard: RequireGuard<Partner>,
      options: { parser?: AppSpec['parser']; respond?: NonNullable<AppSpec['itemResponse']> } = {},
    ) => {
      const handler = counted(options.respond)
      const events: SecurityEvent[] = []
      const app = await start({
        guards: [],
        parser: options.parser,
        principalFromHeader: true,
        routeGuards: [guard],
        itemResponse: handler.respond,
        onEvent: (e) => events.push(e),
      })
      return { app, handler, events }
    }

    it('answers 401 without a principal, before loading anything', async () => {
      const records = loader(byParam)
      const { app, handler } = await onRoute(policy.require('partner:read', { load: records.load }))
      const res = await send(app, 'GET', '/items/p1', {})
      expect(res.status).toBe(401)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      expect(await res.json()).toMatchObject({ type: 'urn:rampart:problem:unauthenticated' })
      expect(records.calls).toBe(0)
      expect(handler.calls).toBe(0)
    })

    it('hands the loaded record to the handler, filtered by the read mask (ERP fields)', async () => {
      const records = loader(byParam)
      const guard = policy.require('partner:read', { load: records.load })
      const { app } = await onRoute(guard, { respond: filtered(guard) })
      const seen = (await (await send(app, 'GET', '/items/p2', viewer)).json()) as Partial<Partner>
      expect(seen.name).toBe('Partner p2')
      expect(seen.address).toEqual({ street: 'Hauptstraße 1', city: 'Berlin', country: 'DE' })
      expect(seen).not.toHaveProperty('creditLimit')
      expect(seen).not.toHaveProperty('vatId')
      const full = (await (await send(app, 'GET', '/items/p2', manager)).json()) as Partner
      expect(full.creditLimit).toBe(50_000)
      expect(full.vatId).toMatch(/^DE/)
      expect(records.calls).toBe(2)
    })

    it('answers 404 for a missing record and 403 before loading when no grant could apply', async () => {
      const records = loader(byParam)
      const { app } = await onRoute(policy.require('partner:read', { load: records.load }))
      const missing = await send(app, 'GET', '/items/nope', viewer)
      expect(missing.status).toBe(404)
      expect(await missing.json()).toMatchObject({ type: 'urn:rampart:problem:not-found' })
      const deleting = await onRoute(policy.require('partner:delete', { load: records.load }))
      const before = records.calls
      const refused = await send(deleting.app, 'DELETE', '/items/p1', viewer)
      expect(refused.status).toBe(403)
      expect(await refused.json()).toMatchObject({ type: 'urn:rampart:problem:forbidden' })
      expect(records.calls).toBe(before)
      expect(deleting.handler.calls).toBe(0)
    })

    for (const parser of ['none', 'before', 'after'] as const) {
      it(`BOLA: an editor updates its own partner only, by PATCH or PUT (parser ${parser})`, async () => {
        const update = policy.require('partner:update', { load: loader(byParam).load })
        const { app, handler, events } = await onRoute(update, { parser })
        for (const method of ['PATCH', 'PUT']) {
          const other = await send(app, method, '/items/p2', alice, { name: 'Hijacked' })
          expect(other.status).toBe(403)
          await other.text()
        }
        const own = await send(app, 'PATCH', '/items/p1', alice, { name: 'Renamed' })
        expect(own.status).toBe(200)
        await own.text()
        // A PUT carries the whole record: unchanged fields the editor may not write are no
        // write, and the record it leaves must still be alice's.
        const record = erpPartners().p1 as Partner
        const put = await send(app, 'PUT', '/items/p1', alice, { ...record, name: 'Renamed' })
        expect(put.status).toBe(200)
        await put.text()
        const handover = await send(app, 'PUT', '/items/p1', alice, { ...record, ownerId: 'bob' })
        expect(handover.status).toBe(403)
        await handover.text()
        expect(handler.calls).toBe(2)
        const denied = events.filter((e) => e.type === 'rbac.denied')
        expect(denied.map((e) => (e as { reason: string }).reason)).toEqual([
          'condition_failed',
          'condition_failed',
          'condition_failed',
        ])
        expect(denied[0]).toMatchObject({
          permission: 'partner:update',
          status: 403,
          principal: 'alice',
        })
        // No request value in the event: not the record, not the body.
        expect(JSON.stringify(denied)).not.toMatch(/Hijacked|Partner p2|50000/)
      })
    }

    it('refuses a PATCH that would hand the record to someone else', async () => {
      const update = policy.require('partner:update', { load: loader(byParam).load })
      const { app, handler, events } = await onRoute(update)
      const res = await send(app, 'PATCH', '/items/p1', alice, { ownerId: 'mallory' })
      expect(res.status).toBe(403)
      await res.text()
      expect(handler.calls).toBe(0)
      expect(events).toContainEqual(
        expect.objectContaining({ type: 'rbac.denied', reason: 'condition_failed' }),
      )
    })

    it('rejects a body writing forbidden fields, listing their paths, prototype keys included', async () => {
      const { app, handler } = await onRoute(
        policy.require('partner:update', { load: loader(byParam).load }),
      )
      const res = await send(app, 'PATCH', '/items/p1', alice, {
        name: 'ok',
        creditLimit: 1_000_000,
        address: { city: 'Hamburg' },
      })
      expect(res.status).toBe(403)
      expect(await res.json()).toMatchObject({
        type: 'urn:rampart:problem:forbidden-fields',
        forbidden: ['creditLimit'],
      })
      const polluted = await send(
        app,
        'PATCH',
        '/items/p1',
        alice,
        '{"name":"ok","__proto__":{"isAdmin":true}}',
      )
      expect(polluted.status).toBe(403)
      const body = (await polluted.json()) as { forbidden: string[] }
      expect(body.forbidden).toContain('__proto__')
      expect(handler.calls).toBe(0)
      // A manager may write the credit limit.
      const allowed = await send(app, 'PATCH', '/items/p2', manager, { creditLimit: 75_000 })
      expect(allowed.status).toBe(200)
      await allowed.text()
    })

    it('strips forbidden fields when asked: the handler sees only what may be written', async () => {
      const guard = policy.require('partner:update', { load: loader(byQuery).load, body: 'strip' })
      const app = await start({ guards: [guard], parser: 'before', principalFromHeader: true })
      const res = await send(app, 'PATCH', '/echo?id=p1', alice, {
        name: 'New name',
        vatId: 'DE999',
        creditLimit: 1,
      })
      expect(res.status).toBe(200)
      expect(((await res.json()) as { body: unknown }).body).toEqual({ name: 'New name' })
    })

    it('hides existence with 404 when configured', async () => {
      const guard = policy.require('partner:delete', { load: loader(byParam).load, hide: true })
      const { app } = await onRoute(guard)
      const others = await send(app, 'DELETE', '/items/p2', alice)
      const missing = await send(app, 'DELETE', '/items/nope', alice)
      expect(others.status).toBe(404)
      expect(missing.status).toBe(404)
      const strip = async (r: Response) => {
        const { requestId: _, ...rest } = (await r.json()) as Record<string, unknown>
        return rest
      }
      expect(await strip(others)).toEqual(await strip(missing))
      const own = await send(app, 'DELETE', '/items/p1', alice)
      expect(own.status).toBe(200)
      await own.text()
    })

    it('keeps tenants apart: a record of another tenant is refused as tenant_mismatch', async () => {
      const { app, events } = await onRoute(
        policy.require('partner:read', { load: loader(byParam).load }),
      )
      const res = await send(app, 'GET', '/items/g1', manager)
      expect(res.status).toBe(403)
      await res.text()
      expect(events).toContainEqual(
        expect.objectContaining({ type: 'rbac.denied', reason: 'tenant_mismatch' }),
      )
      const home = await send(app, 'GET', '/items/g1', { ...manager, tenant: 'globex' })
      expect(home.status).toBe(200)
      await home.text()
    })

    it('fails closed when the loader throws: 500, nothing leaked, the error in an event', async () => {
      const guard = policy.require('partner:read', {
        load: () => {
          throw new Error('db down: password=hunter2')
        },
      })
      const { app, handler, events } = await onRoute(guard)
      const res = await send(app, 'GET', '/items/p1', viewer)
      expect(res.status).toBe(500)
      expect(await res.text()).not.toContain('hunter2')
      expect(handler.calls).toBe(0)
      expect(events).toContainEqual(
        expect.objectContaining({ type: 'guard.failed', source: 'rbac' }),
      )
    })
  })
}
