// The source guides' ERP scenario in a single-tenant app: viewer ⊂ editor ⊂ manager ⊂ admin over
// partners and products, with no tenant field (the conformance cases run the multi-tenant
// fixture of src/testing/erp.ts through the adapters; this one covers the path without tenants).
import { describe, expect, it } from 'vitest'
import { definePolicy } from './policy.js'
import type { RbacPrincipal } from './types.js'

const hidden = ['*', '!creditLimit', '!vatId']

const erp = definePolicy({
  resources: {
    partner: {
      actions: ['read', 'create', 'update', 'delete'],
      fields: [
        'id',
        'name',
        'email',
        'phone',
        'website',
        'vatId',
        'creditLimit',
        'ownerId',
        'address.street',
        'address.city',
        'address.country',
        'contacts',
      ],
      owner: 'ownerId',
    },
    product: {
      actions: ['read', 'create', 'update', 'delete'],
      fields: ['id', 'name', 'price', 'cost', 'stock'],
    },
  },
  roles: {
    viewer: {
      grants: [
        { allow: 'partner:read', fields: hidden },
        { allow: 'product:read', fields: ['*', '!cost'] },
      ],
    },
    editor: {
      inherits: ['viewer'],
      grants: [
        { allow: 'partner:create', fields: hidden },
        { allow: ['partner:update', 'partner:delete'], possession: 'own', fields: hidden },
      ],
    },
    manager: {
      inherits: ['editor'],
      grants: [
        'partner:read',
        'partner:create',
        'partner:update',
        'product:read',
        'product:update',
      ],
    },
    admin: { inherits: ['manager'], grants: ['*'] },
  },
})

const as = (role: string, id = 'u-editor'): RbacPrincipal => ({ id, roles: [role] })
const viewer = as('viewer', 'u-viewer')
const editor = as('editor')
const manager = as('manager', 'u-manager')
const admin = as('admin', 'u-admin')

const ownPartner = {
  id: 'p1',
  name: 'ACME',
  email: 'ap@acme.test',
  phone: '+1 555',
  website: 'https://acme.test',
  vatId: 'DE123',
  creditLimit: 50_000,
  ownerId: 'u-editor',
  address: { street: 'Main 1', city: 'Berlin', country: 'DE' },
  contacts: [{ name: 'Ann', email: 'ann@acme.test' }],
}
const otherPartner = { ...ownPartner, id: 'p2', name: 'Globex', ownerId: 'u-other' }
const product = { id: 'x1', name: 'Widget', price: 10, cost: 4, stock: 7 }

const withoutSecrets = (p: typeof ownPartner) => {
  const { creditLimit: _c, vatId: _v, ...rest } = p
  return rest
}

describe('ERP scenario', () => {
  it('viewer reads partners without creditLimit and vatId, products without cost', () => {
    expect(erp.filter(viewer, 'partner:read', [ownPartner, otherPartner])).toEqual([
      withoutSecrets(ownPartner),
      withoutSecrets(otherPartner),
    ])
    expect(erp.filter(viewer, 'product:read', product)).toEqual({
      id: 'x1',
      name: 'Widget',
      price: 10,
      stock: 7,
    })
    expect(
      erp.can(viewer, 'partner:read', undefined, { fields: ['name', 'address.city', 'contacts'] }),
    ).toBe(true)
    expect(
      erp.explain(viewer, 'partner:read', undefined, { fields: ['name', 'creditLimit', 'vatId'] }),
    ).toEqual({
      effect: 'deny',
      reason: 'field_forbidden',
      rule: { role: 'viewer', kind: 'grant', index: 0, pattern: 'partner:read' },
      fields: ['creditLimit', 'vatId'],
    })
    expect(erp.explain(viewer, 'partner:update', ownPartner)).toEqual({
      effect: 'deny',
      reason: 'no_grant',
    })
    expect(erp.can(viewer, 'product:update')).toBe(false)
  })

  it('the viewer filter leaves nulls, nested objects and arrays intact and the input untouched', () => {
    const record = { ...ownPartner, address: null, contacts: [], creditLimit: null }
    const before = structuredClone(record)
    expect(erp.filter(viewer, 'partner:read', record)).toEqual({
      ...withoutSecrets(ownPartner),
      address: null,
      contacts: [],
    })
    expect(record).toEqual(before)
  })

  it('editor creates partners, updates and deletes its own (not creditLimit or vatId)', () => {
    expect(erp.can(editor, 'partner:create', undefined, { fields: ['name', 'email'] })).toBe(true)
    expect(erp.can(editor, 'partner:update', ownPartner)).toBe(true)
    expect(erp.can(editor, 'partner:delete', ownPartner)).toBe(true)
    expect(erp.explain(editor, 'partner:delete', otherPartner)).toMatchObject({
      effect: 'deny',
      reason: 'condition_failed',
      rule: { role: 'editor', kind: 'grant', index: 1, pattern: 'partner:delete' },
    })
    expect(erp.explain(editor, 'partner:update')).toMatchObject({ effect: 'conditional' })
    expect(erp.filter(editor, 'partner:read', ownPartner)).toEqual(withoutSecrets(ownPartner))
  })

  it('editor writes: creditLimit is refused by name, or stripped', () => {
    const body = { name: 'ACME Corp', creditLimit: 1_000_000, address: { city: 'Hamburg' } }
    expect(erp.checkWrite(editor, 'partner:update', body, { resource: ownPartner })).toEqual({
      ok: false,
      decision: {
        effect: 'deny',
        reason: 'field_forbidden',
        rule: { role: 'editor', kind: 'grant', index: 1, pattern: 'partner:update' },
        fields: ['creditLimit'],
      },
      forbidden: ['creditLimit'],
    })
    const stripped = erp.checkWrite(editor, 'partner:update', body, {
      resource: ownPartner,
      mode: 'strip',
    })
    expect(stripped).toEqual({
      ok: true,
      body: { name: 'ACME Corp', address: { city: 'Hamburg' } },
      stripped: ['creditLimit'],
    })
    expect(body.creditLimit).toBe(1_000_000)
    // A creation is checked on the record it would create.
    expect(erp.checkWrite(editor, 'partner:create', { name: 'New', vatId: 'X' })).toMatchObject({
      ok: false,
      forbidden: ['vatId'],
    })
    expect(erp.checkWrite(editor, 'partner:create', { name: 'New', ownerId: 'u-editor' }).ok).toBe(
      true,
    )
    // Someone else's partner: refused before the body matters.
    expect(
      erp.checkWrite(editor, 'partner:update', { name: 'x' }, { resource: otherPartner }),
    ).toMatchObject({
      ok: false,
      decision: { reason: 'condition_failed' },
      forbidden: [],
    })
  })

  it('manager reads and writes everything on partners, updates products, deletes only its own', () => {
    expect(erp.filter(manager, 'partner:read', otherPartner)).toEqual(otherPartner)
    expect(
      erp.checkWrite(
        manager,
        'partner:update',
        { creditLimit: 1, vatId: 'FR1' },
        { resource: otherPartner },
      ).ok,
    ).toBe(true)
    expect(erp.explain(manager, 'product:update', product)).toMatchObject({
      effect: 'allow',
      rule: { role: 'manager' },
    })
    expect(erp.filter(manager, 'product:read', product)).toEqual(product)
    expect(erp.explain(manager, 'partner:delete', otherPartner)).toMatchObject({
      reason: 'condition_failed',
    })
    expect(erp.can(manager, 'product:delete')).toBe(false)
  })

  it('admin does everything, deletes included', () => {
    for (const p of ['partner:delete', 'product:delete', 'product:create'] as const) {
      expect(erp.explain(admin, p, p.startsWith('partner') ? otherPartner : product)).toEqual({
        effect: 'allow',
        rule: { role: 'admin', kind: 'grant', index: 0, pattern: '*' },
      })
    }
    expect(erp.fieldMask(admin, 'partner:read').all).toBe(true)
  })
})
