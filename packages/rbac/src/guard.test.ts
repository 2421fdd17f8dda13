// policy.require()'s options are checked when the guard is built: a typo in an option or a
// permission would otherwise refuse (or fail to filter) every request of the route.
import { RampartConfigError } from '@rampart/core'
import { testApp } from '@rampart/core/testing'
import { describe, expect, it } from 'vitest'
import { definePolicy } from './policy.js'
import { erpPolicy } from './testing/erp.js'

const policy = erpPolicy()
const build = (permission: string, options: unknown) => () =>
  policy.require(permission as never, options as never)

describe('policy.require() options', () => {
  it('accepts every documented option', () => {
    expect(
      build('partner:update', {
        load: () => undefined,
        tenant: () => 'acme',
        hide: true,
        body: 'strip',
        merge: 'replace',
        read: 'partner:read',
      }),
    ).not.toThrow()
    expect(build('partner:read', { body: false })).not.toThrow()
  })

  it('names a misspelled option and a wrong value', () => {
    expect(build('partner:read', { laod: () => undefined })).toThrow(/Did you mean 'load'/)
    expect(build('partner:update', { body: 'Strip' })).toThrow(
      /body: expected 'reject', 'strip' or false/,
    )
    expect(build('partner:update', { merge: 'replac' })).toThrow(/Did you mean 'replace'/)
    expect(build('partner:read', { load: 'partners' })).toThrow(RampartConfigError)
  })

  it('refuses a permission the policy does not declare', () => {
    expect(build('partner:delet', {})).toThrow(
      /'partner:delet' is not a declared permission \(resource:action\)\. Did you mean 'partner:delete'\?/,
    )
    expect(build('partner:read', { read: 'partner:view' })).toThrow(/read: 'partner:view'/)
    expect(build('__proto__:read', {})).toThrow(RampartConfigError)
    let thrown: unknown
    try {
      build('partner', {})()
    } catch (error) {
      thrown = error
    }
    expect(thrown).toMatchObject({ name: 'RampartConfigError', code: 'ERR_RBAC_CONFIG' })
  })
})

describe('policy.require() on a bulk creation', () => {
  const docs = definePolicy({
    resources: { doc: { actions: ['create'], owner: 'ownerId' } },
    roles: { author: { grants: ['doc:create:own'] } },
  })
  const alice = { id: 'alice', roles: ['author'] }

  it('passes when every record is the principal’s own, refuses when one is not', async () => {
    const app = testApp([docs.require('doc:create')])
    const own = [{ ownerId: 'alice' }, { ownerId: 'alice' }]
    expect((await app.send({ method: 'POST', principal: alice, body: own })).status).toBe(200)
    const mixed = [{ ownerId: 'alice' }, { ownerId: 'bob' }]
    expect((await app.send({ method: 'POST', principal: alice, body: mixed })).status).toBe(403)
    expect((await app.send({ method: 'POST', principal: alice, body: [] })).status).toBe(403)
  })
})

describe('access.filter()', () => {
  it('says which read permission is missing instead of filtering everything away', async () => {
    const orders = definePolicy({
      resources: { order: { actions: ['create'] } },
      roles: { buyer: { grants: ['order:create'] } },
    })
    const guard = orders.require('order:create')
    const app = testApp([guard])
    const sent = await app.send({
      method: 'POST',
      principal: { id: 'b', roles: ['buyer'] },
      body: {},
    })
    expect(sent.status).toBe(200)
    const access = sent.state.get(guard.access)
    expect(() => access?.filter({ id: 1 })).toThrow(
      /'order:read' is not declared; pass require\(\)'s 'read' option/,
    )
  })
})
