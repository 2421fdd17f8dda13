import { describe, expect, it } from 'vitest'
import { definePolicy, type Policy } from './policy.js'
import type { Decision, RbacPrincipal } from './types.js'

const user = (id: string, ...roles: string[]): RbacPrincipal => ({ id, roles })

const policy = definePolicy({
  resources: {
    partner: {
      actions: ['read', 'update', 'delete', 'approve'],
      fields: ['id', 'name', 'ownerId', 'creditLimit', 'status', 'address.city'],
      owner: 'ownerId',
    },
    ticket: {
      actions: ['read', 'close'],
      // Ownership by predicate: the reporter or an assignee.
      owner: (principal, resource) =>
        (resource as { assignees?: string[] }).assignees?.includes(principal.id) === true,
    },
  },
  roles: {
    anyUpdater: { grants: ['partner:update'] },
    ownUpdater: { grants: ['partner:update:own'] },
    both: { inherits: ['anyUpdater', 'ownUpdater'] },
    denyFirst: { deny: ['partner:delete'], grants: ['partner:*'] },
    denyLast: { grants: ['partner:*'], deny: ['partner:delete'] },
    denyParent: { deny: ['partner:delete'] },
    inheritsDeny: { inherits: ['denyParent'], grants: ['*'] },
    lockedDeny: {
      grants: ['partner:*'],
      deny: [
        { deny: 'partner:update', when: (_p, r) => (r as { status?: string }).status === 'locked' },
      ],
    },
    approver: {
      grants: [
        {
          allow: 'partner:approve',
          when: (_p, r) => (r as { status?: string }).status === 'pending',
        },
      ],
    },
    ownApprover: {
      grants: [
        {
          allow: 'partner:approve',
          possession: 'own',
          when: (_p, r) => (r as { status?: string }).status === 'pending',
        },
      ],
    },
    thrower: {
      grants: [
        {
          allow: 'partner:read',
          when: () => {
            throw new Error('boom')
          },
        },
        'partner:update',
      ],
      deny: [
        {
          deny: 'partner:update',
          when: () => {
            throw new Error('boom')
          },
        },
      ],
    },
    ticketOwner: { grants: ['ticket:close:own', 'ticket:read'] },
    fieldReader: {
      grants: [
        { allow: 'partner:read', fields: ['*', '!creditLimit'] },
        { allow: 'partner:read', possession: 'own', fields: ['creditLimit'] },
      ],
      deny: [
        {
          deny: 'partner:read',
          fields: ['address'],
          when: (_p, r) => (r as { status?: string }).status === 'secret',
        },
      ],
    },
    fieldDenied: {
      grants: ['partner:read'],
      deny: [{ deny: 'partner:*', fields: ['creditLimit'] }],
    },
  },
})

const mine = { id: 'p1', ownerId: 'u1', name: 'ACME', status: 'open', creditLimit: 5000 }
const theirs = { id: 'p2', ownerId: 'u2', name: 'Other', status: 'open', creditLimit: 9000 }

describe('possession', () => {
  it("'any' satisfies 'own', never the reverse", () => {
    expect(policy.can(user('u1', 'anyUpdater'), 'partner:update', theirs)).toBe(true)
    expect(policy.can(user('u1', 'anyUpdater'), 'partner:update')).toBe(true)
    expect(policy.can(user('u1', 'ownUpdater'), 'partner:update', mine)).toBe(true)
    expect(policy.can(user('u1', 'ownUpdater'), 'partner:update', theirs)).toBe(false)
    expect(policy.explain(user('u1', 'ownUpdater'), 'partner:update', theirs)).toEqual({
      effect: 'deny',
      reason: 'condition_failed',
      rule: { role: 'ownUpdater', kind: 'grant', index: 0, pattern: 'partner:update:own' },
    })
    expect(policy.explain(user('u1', 'both'), 'partner:update')).toMatchObject({
      effect: 'allow',
      rule: { role: 'anyUpdater' },
    })
    expect(policy.can(user('u1', 'both'), 'partner:update', theirs)).toBe(true)
  })

  it('owner values compare as strings; missing or empty owners are nobody', () => {
    const u = user('42', 'ownUpdater')
    expect(policy.can(u, 'partner:update', { ownerId: 42 })).toBe(true)
    expect(policy.can(u, 'partner:update', { ownerId: '42' })).toBe(true)
    expect(policy.can(u, 'partner:update', { ownerId: 420 })).toBe(false)
    expect(policy.can(u, 'partner:update', {})).toBe(false)
    expect(policy.can(u, 'partner:update', null)).toBe(false)
    expect(policy.can(u, 'partner:update', 'p1')).toBe(false)
    expect(policy.can(u, 'partner:update', { ownerId: { toString: () => '42' } })).toBe(false)
    expect(policy.can(user('', 'ownUpdater'), 'partner:update', { ownerId: '' })).toBe(false)
  })

  it('ownership by predicate', () => {
    const u = user('u1', 'ticketOwner')
    expect(policy.can(u, 'ticket:close', { assignees: ['u1', 'u3'] })).toBe(true)
    expect(policy.can(u, 'ticket:close', { assignees: ['u3'] })).toBe(false)
    expect(policy.can(u, 'ticket:close', {})).toBe(false)
  })
})

describe('deny rules', () => {
  it('an explicit deny wins, declared before or after the grant', () => {
    for (const role of ['denyFirst', 'denyLast']) {
      expect(policy.explain(user('u1', role), 'partner:delete', mine)).toEqual({
        effect: 'deny',
        reason: 'denied_by_rule',
        rule: { role, kind: 'deny', index: 0, pattern: 'partner:delete' },
      })
      expect(policy.can(user('u1', role), 'partner:delete')).toBe(false)
      expect(policy.can(user('u1', role), 'partner:update')).toBe(true)
    }
  })

  it('an inherited deny wins over the child grant', () => {
    expect(policy.explain(user('u1', 'inheritsDeny'), 'partner:delete')).toMatchObject({
      reason: 'denied_by_rule',
      rule: { role: 'denyParent' },
    })
    expect(policy.can(user('u1', 'inheritsDeny'), 'ticket:close')).toBe(true)
  })

  it('a conditional deny: conditional without the resource, decided with it', () => {
    const u = user('u1', 'lockedDeny')
    expect(policy.explain(u, 'partner:update')).toEqual({
      effect: 'conditional',
      rule: { role: 'lockedDeny', kind: 'deny', index: 0, pattern: 'partner:update' },
    })
    expect(policy.can(u, 'partner:update')).toBe(false)
    expect(policy.can(u, 'partner:update', mine)).toBe(true)
    expect(policy.explain(u, 'partner:update', { ...mine, status: 'locked' })).toMatchObject({
      effect: 'deny',
      reason: 'denied_by_rule',
    })
    // Other permissions of the role are untouched by it.
    expect(policy.can(u, 'partner:read')).toBe(true)
  })
})

describe('conditional grants', () => {
  it('type-level checks on own / when grants answer conditional, and can() is false', () => {
    for (const [role, pattern] of [
      ['ownUpdater', 'partner:update:own'],
      ['approver', 'partner:approve'],
      ['ownApprover', 'partner:approve'],
    ] as const) {
      const permission = pattern.startsWith('partner:update') ? 'partner:update' : 'partner:approve'
      expect(policy.explain(user('u1', role), permission)).toEqual({
        effect: 'conditional',
        rule: { role, kind: 'grant', index: 0, pattern },
      })
      expect(policy.can(user('u1', role), permission)).toBe(false)
    }
  })

  it('own and when must both hold', () => {
    const u = user('u1', 'ownApprover')
    expect(policy.can(u, 'partner:approve', { ...mine, status: 'pending' })).toBe(true)
    expect(policy.can(u, 'partner:approve', { ...mine, status: 'open' })).toBe(false)
    expect(policy.can(u, 'partner:approve', { ...theirs, status: 'pending' })).toBe(false)
    expect(
      policy.can(user('u1', 'approver'), 'partner:approve', { ...theirs, status: 'pending' }),
    ).toBe(true)
  })

  it('predicates that throw fail closed both ways', () => {
    const u = user('u1', 'thrower')
    // A grant whose condition throws does not hold.
    expect(policy.explain(u, 'partner:read', mine)).toMatchObject({ reason: 'condition_failed' })
    // A deny whose condition throws holds.
    expect(policy.explain(u, 'partner:update', mine)).toMatchObject({ reason: 'denied_by_rule' })
    const throwingOwner = definePolicy({
      resources: {
        doc: {
          actions: ['read'],
          owner: () => {
            throw new Error('db down')
          },
        },
      },
      roles: { r: { grants: ['doc:read:own'] } },
    })
    expect(throwingOwner.can(user('u1', 'r'), 'doc:read', {})).toBe(false)
  })

  it('a resource whose getters throw reads as missing', () => {
    const hostile = Object.defineProperty({}, 'ownerId', {
      get() {
        throw new Error('lazy load failed')
      },
    })
    expect(policy.can(user('u1', 'ownUpdater'), 'partner:update', hostile)).toBe(false)
  })

  it('conditions receive the principal, the resource and options.context', () => {
    const seen: unknown[] = []
    const p = definePolicy({
      resources: { doc: { actions: ['read'] } },
      roles: {
        r: {
          grants: [
            {
              allow: 'doc:read',
              when: (principal, resource, context) => {
                seen.push(principal.id, resource, context)
                return true
              },
            },
          ],
        },
      },
    })
    const doc = { id: 'd' }
    expect(p.can(user('u9', 'r'), 'doc:read', doc, { context: 'ctx' })).toBe(true)
    expect(seen).toEqual(['u9', doc, 'ctx'])
  })

  it('a condition answering a non-boolean: grants need true, denies hold unless false', () => {
    const p = definePolicy({
      resources: { doc: { actions: ['read', 'write'] } },
      roles: {
        r: {
          grants: [{ allow: 'doc:read', when: () => 1 as unknown as boolean }, 'doc:write'],
          deny: [{ deny: 'doc:write', when: () => undefined as unknown as boolean }],
        },
      },
    })
    expect(p.can(user('u', 'r'), 'doc:read', {})).toBe(false)
    expect(p.can(user('u', 'r'), 'doc:write', {})).toBe(false)
  })
})

describe('principals, roles and empty policies', () => {
  it('no principal: no_grant', () => {
    expect(policy.explain(undefined, 'partner:read')).toEqual({
      effect: 'deny',
      reason: 'no_grant',
    })
    expect(policy.can(null as unknown as RbacPrincipal, 'partner:read')).toBe(false)
    expect(policy.can('admin' as unknown as RbacPrincipal, 'partner:read')).toBe(false)
  })

  it('roles that throw when read are refused by every check, the type-level one included', () => {
    const hostile = {
      id: 'u1',
      get roles(): string[] {
        throw new Error('boom')
      },
    } as RbacPrincipal
    const proxied = {
      id: 'u1',
      roles: new Proxy(['anyUpdater'], {
        get(target, key) {
          if (key === '0') throw new Error('boom')
          return Reflect.get(target, key)
        },
      }),
    }
    for (const principal of [hostile, proxied]) {
      expect(policy.can(principal, 'partner:update')).toBe(false)
      expect(policy.can(principal, 'partner:update', mine)).toBe(false)
      expect(policy.explain(principal, 'partner:update').effect).toBe('deny')
    }
  })

  it('unknown roles: unknown_role; no roles: no_grant', () => {
    expect(policy.explain(user('u1', 'superuser'), 'partner:read', mine)).toEqual({
      effect: 'deny',
      reason: 'unknown_role',
    })
    expect(policy.explain(user('u1'), 'partner:read', mine)).toEqual({
      effect: 'deny',
      reason: 'no_grant',
    })
    expect(policy.explain(user('u1', 'ticketOwner'), 'partner:read')).toEqual({
      effect: 'deny',
      reason: 'no_grant',
    })
  })

  it('an empty policy denies everything, without throwing', () => {
    const empty = definePolicy({ resources: {}, roles: {} }) as unknown as Policy
    const u = user('u1', 'admin')
    expect(empty.can(u, 'partner:read')).toBe(false)
    expect(empty.explain(u, 'partner:read', mine)).toEqual({
      effect: 'deny',
      reason: 'unknown_role',
    })
    expect(empty.explain(user('u1'), 'x:y')).toEqual({ effect: 'deny', reason: 'no_grant' })
    expect(empty.filter(u, 'partner:read', [mine])).toEqual([])
    expect(empty.checkWrite(u, 'partner:update', {}, { resource: mine }).ok).toBe(false)
    expect(empty.fieldMask(u, 'partner:read').none).toBe(true)
  })
})

describe('fields', () => {
  it('checks the asked fields against the mask, with and without the resource', () => {
    const u = user('u1', 'fieldReader')
    expect(policy.can(u, 'partner:read', undefined, { fields: ['name', 'address.city'] })).toBe(
      false,
    )
    // Without the resource the conditional field deny on address counts: ask with the record.
    expect(
      policy.explain(u, 'partner:read', undefined, { fields: ['address.city'] }),
    ).toMatchObject({
      effect: 'conditional',
      rule: { role: 'fieldReader', kind: 'deny', index: 0 },
    })
    expect(policy.can(u, 'partner:read', mine, { fields: ['name', 'address.city'] })).toBe(true)
    expect(
      policy.explain(
        u,
        'partner:read',
        { ...mine, status: 'secret' },
        { fields: ['address.city', 'name'] },
      ),
    ).toEqual({
      effect: 'deny',
      reason: 'field_forbidden',
      rule: { role: 'fieldReader', kind: 'deny', index: 0, pattern: 'partner:read' },
      fields: ['address.city'],
    })
    // creditLimit: only through the own grant.
    expect(policy.explain(u, 'partner:read', undefined, { fields: ['creditLimit'] })).toMatchObject(
      {
        reason: 'field_forbidden',
        fields: ['creditLimit'],
      },
    )
    expect(policy.can(u, 'partner:read', mine, { fields: ['creditLimit'] })).toBe(true)
    expect(policy.can(u, 'partner:read', theirs, { fields: ['creditLimit'] })).toBe(false)
  })

  it('a field deny names itself as the rule', () => {
    expect(
      policy.explain(user('u1', 'fieldDenied'), 'partner:read', mine, {
        fields: ['creditLimit', 'name'],
      }),
    ).toEqual({
      effect: 'deny',
      reason: 'field_forbidden',
      rule: { role: 'fieldDenied', kind: 'deny', index: 0, pattern: 'partner:*' },
      fields: ['creditLimit'],
    })
    expect(policy.can(user('u1', 'fieldDenied'), 'partner:read', mine)).toBe(true)
  })

  it('fieldMask: the union of the holding grants minus the holding field denies', () => {
    const u = user('u1', 'fieldReader')
    const typeLevel = policy.fieldMask(u, 'partner:read')
    expect(['name', 'id', 'creditLimit', 'address'].map((f) => typeLevel.allows(f))).toEqual([
      true,
      true,
      false,
      false,
    ])
    const own = policy.fieldMask(u, 'partner:read', mine)
    expect(['name', 'creditLimit', 'address'].map((f) => own.allows(f))).toEqual([true, true, true])
    const secret = policy.fieldMask(u, 'partner:read', { ...theirs, status: 'secret' })
    expect(['name', 'creditLimit', 'address'].map((f) => secret.allows(f))).toEqual([
      true,
      false,
      false,
    ])
    // The same set of holding rules gives the same compiled mask.
    expect(policy.fieldMask(u, 'partner:read', { ...mine })).toBe(own)
    expect(policy.fieldMask(u, 'partner:update').none).toBe(true)
    expect(policy.fieldMask(user('u1', 'anyUpdater'), 'partner:update').all).toBe(true)
  })

  it('filter: each list item decided on its own, no input mutation', () => {
    const u = user('u1', 'fieldReader')
    const list = [mine, theirs, { ...theirs, id: 'p3', status: 'secret', address: { city: 'X' } }]
    const before = structuredClone(list)
    expect(policy.filter(u, 'partner:read', list)).toEqual([
      { id: 'p1', ownerId: 'u1', name: 'ACME', status: 'open', creditLimit: 5000 },
      { id: 'p2', ownerId: 'u2', name: 'Other', status: 'open' },
      { id: 'p3', ownerId: 'u2', name: 'Other', status: 'secret' },
    ])
    expect(list).toEqual(before)
    // Items the principal may not access at all are dropped; a single one gives undefined.
    const own = user('u1', 'ownUpdater')
    expect(policy.filter(own, 'partner:update', [mine, theirs])).toEqual([mine])
    expect(policy.filter(own, 'partner:update', theirs)).toBeUndefined()
    expect(policy.filter(undefined, 'partner:read', [mine])).toEqual([])
  })

  it('filter: lists keep records only; other values need a plain yes over every field', () => {
    const any = user('u1', 'anyUpdater')
    const own = user('u1', 'ownUpdater')
    // Nested lists and primitives in a list are no records: dropped, never passed through.
    expect(policy.filter(any, 'partner:update', [mine, [theirs], 'x', null, 3])).toEqual([mine])
    expect(policy.filter(own, 'partner:update', [[mine]])).toEqual([])
    // A single value that is no record: whole under a plain yes with every field, else nothing.
    expect(policy.filter(any, 'partner:update', 'x')).toBe('x')
    expect(policy.filter(own, 'partner:update', 'x')).toBeUndefined()
    expect(policy.filter(user('u1', 'fieldReader'), 'partner:read', 'x')).toBeUndefined()
    const record = new (class Partner {
      ownerId = 'u1'
    })()
    expect(policy.filter(own, 'partner:update', record)).toBeUndefined()
  })
})

describe('masks through the policy: nested arrays and nulls', () => {
  const crm = definePolicy({
    resources: {
      account: { actions: ['read', 'update'], fields: ['name', 'contacts', 'notes', 'meta'] },
    },
    roles: {
      sales: {
        grants: [
          { allow: 'account:*', fields: ['name', 'contacts.email', 'contacts.name', 'meta.**'] },
        ],
        deny: [{ deny: 'account:*', fields: ['**.secret'] }],
      },
    },
  })
  const sales = user('s1', 'sales')
  const account = {
    name: 'ACME',
    notes: 'internal',
    contacts: [
      { name: 'Ann', email: 'ann@x.test', phone: '1' },
      null,
      { name: null, email: 'bob@x.test', secret: 's' },
    ],
    meta: { a: { b: [1, 2], secret: 'x' }, c: null },
  }

  // Arrays are transparent to field paths: `contacts.email` is the email of every contact.
  it('filters nested arrays item by item and keeps the input intact', () => {
    const before = structuredClone(account)
    expect(crm.filter(sales, 'account:read', account)).toEqual({
      name: 'ACME',
      contacts: [
        { name: 'Ann', email: 'ann@x.test' },
        { name: null, email: 'bob@x.test' },
      ],
      meta: { a: { b: [1, 2] }, c: null },
    })
    expect(account).toEqual(before)
  })

  it('write masks see nested paths', () => {
    const w = crm.checkWrite(
      sales,
      'account:update',
      { contacts: [{ email: 'e', phone: '2' }], notes: 'n' },
      { resource: account },
    )
    // The new list is written, and the old one it replaces is deleted: its phone, its null
    // contact and its secret are writes this mask does not allow either.
    expect(w).toMatchObject({
      ok: false,
      forbidden: ['contacts[0].phone', 'notes', 'contacts[1]', 'contacts[2].secret'],
    })
    expect(
      crm.checkWrite(sales, 'account:update', { meta: { x: { y: 1 } } }, { resource: account }).ok,
    ).toBe(true)
    expect(
      crm.checkWrite(
        sales,
        'account:update',
        { meta: { x: { secret: 1 } } },
        { resource: account },
      ),
    ).toMatchObject({
      ok: false,
      forbidden: ['meta.x.secret'],
    })
  })
})

describe('tenants', () => {
  const tenants = definePolicy({
    resources: {
      project: { actions: ['read', 'update'], tenant: 'tenantId', owner: 'ownerId' },
      setting: { actions: ['read'] },
    },
    roles: {
      member: { grants: ['project:read', 'setting:read'] },
      maintainer: { inherits: ['member'], grants: ['project:update'] },
      support: { global: true, grants: ['project:read'] },
    },
  })
  const inA = { id: 'pa', tenantId: 'A', ownerId: 'x' }
  const inB = { id: 'pb', tenantId: 'B', ownerId: 'x' }
  const alice: RbacPrincipal = { id: 'alice', tenant: 'A', roles: ['maintainer'] }

  it('roles bound to tenant A never act in B', () => {
    expect(tenants.can(alice, 'project:update', inA)).toBe(true)
    expect(tenants.explain(alice, 'project:update', inB)).toEqual({
      effect: 'deny',
      reason: 'tenant_mismatch',
    })
    expect(tenants.explain(alice, 'setting:read', undefined, { tenant: 'B' })).toEqual({
      effect: 'deny',
      reason: 'tenant_mismatch',
    })
    expect(tenants.can(alice, 'setting:read', undefined, { tenant: 'A' })).toBe(true)
  })

  it('a record of tenant B loaded while acting in A: tenant_mismatch', () => {
    expect(tenants.explain(alice, 'project:read', inB, { tenant: 'A' })).toEqual({
      effect: 'deny',
      reason: 'tenant_mismatch',
    })
    // Even for a global role: the record is not of the tenant in play.
    const ops: RbacPrincipal = { id: 'ops', roles: ['support'] }
    expect(tenants.explain(ops, 'project:read', inB, { tenant: 'A' })).toMatchObject({
      reason: 'tenant_mismatch',
    })
  })

  it('the tenant comes from the resource when no option names it', () => {
    const bob: RbacPrincipal = { id: 'bob', tenant: 'B', roles: ['member'] }
    expect(tenants.can(bob, 'project:read', inB)).toBe(true)
    expect(tenants.can(bob, 'project:read', inA)).toBe(false)
    // A record of a multi-tenant type with no tenant and no option cannot be placed.
    expect(tenants.explain(bob, 'project:read', { id: 'p' })).toEqual({
      effect: 'deny',
      reason: 'tenant_mismatch',
    })
    // Nor can a tenant option place it: it is no record of that tenant (nor is a list).
    expect(tenants.explain(bob, 'project:read', { id: 'p' }, { tenant: 'B' })).toEqual({
      effect: 'deny',
      reason: 'tenant_mismatch',
    })
    expect(tenants.can(bob, 'project:read', { id: 'p', tenantId: '' }, { tenant: 'B' })).toBe(false)
    expect(tenants.can(bob, 'project:read', [inB], { tenant: 'B' })).toBe(false)
    expect(tenants.can(bob, 'project:read', [inB])).toBe(false)
  })

  it('tenantRoles bind roles per tenant', () => {
    const carol: RbacPrincipal = {
      id: 'carol',
      tenant: 'A',
      roles: ['member'],
      tenantRoles: { B: ['maintainer'] },
    }
    expect(tenants.can(carol, 'project:update', inB)).toBe(true)
    expect(tenants.can(carol, 'project:update', inA)).toBe(false)
    expect(tenants.can(carol, 'project:read', inA)).toBe(true)
    expect(tenants.explain(carol, 'project:read', { tenantId: 'C' })).toEqual({
      effect: 'deny',
      reason: 'tenant_mismatch',
    })
    const proto: RbacPrincipal = {
      id: 'p',
      tenantRoles: JSON.parse('{"__proto__":["maintainer"]}'),
    }
    expect(tenants.can(proto, 'project:update', { tenantId: '__proto__' })).toBe(true)
    expect(tenants.can(proto, 'project:update', { tenantId: 'toString' })).toBe(false)
  })

  it('global roles act in every tenant, wherever they are held', () => {
    const ops: RbacPrincipal = { id: 'ops', tenant: 'A', roles: ['support', 'maintainer'] }
    expect(tenants.can(ops, 'project:read', inB)).toBe(true)
    expect(tenants.can(ops, 'project:update', inB)).toBe(false)
    const held: RbacPrincipal = { id: 'ops', tenantRoles: { Z: ['support'] } }
    expect(tenants.can(held, 'project:read', inB)).toBe(true)
    expect(tenants.explain(held, 'setting:read', undefined, { tenant: 'B' })).toMatchObject({
      reason: 'no_grant',
    })
  })

  it('without any tenant in play, the principal roles apply', () => {
    expect(tenants.can(alice, 'setting:read')).toBe(true)
    expect(tenants.can({ id: 'n', roles: ['member'] }, 'setting:read')).toBe(true)
  })

  it('unknown roles in the tenant: unknown_role; none there: tenant_mismatch', () => {
    const dave: RbacPrincipal = { id: 'd', tenant: 'A', roles: ['ghost'] }
    expect(tenants.explain(dave, 'project:read', inA)).toEqual({
      effect: 'deny',
      reason: 'unknown_role',
    })
    expect(tenants.explain(dave, 'project:read', inB)).toEqual({
      effect: 'deny',
      reason: 'tenant_mismatch',
    })
    expect(tenants.explain({ id: 'e' }, 'project:read', inB)).toEqual({
      effect: 'deny',
      reason: 'no_grant',
    })
  })

  it('checkWrite cannot move a record to another tenant', () => {
    const w = tenants.checkWrite(alice, 'project:update', { tenantId: 'B' }, { resource: inA })
    expect(w).toMatchObject({ ok: false, decision: { reason: 'tenant_mismatch' } })
    expect(
      tenants.checkWrite(alice, 'project:update', { tenantId: null }, { resource: inA }).ok,
    ).toBe(false)
    expect(tenants.checkWrite(alice, 'project:update', { name: 'n' }, { resource: inA }).ok).toBe(
      true,
    )
  })
})

describe('decisions carry no request values', () => {
  it('no id, no field value, no tenant from the request', () => {
    const secretId = 'secret-id-7f3a'
    const secretValue = 'secret-value-91bc'
    const record = {
      id: secretId,
      ownerId: 'secret-owner-55',
      name: secretValue,
      status: 'status-secret-x',
      creditLimit: 123_456,
    }
    const decisions: Decision[] = []
    for (const role of [
      'anyUpdater',
      'ownUpdater',
      'lockedDeny',
      'fieldReader',
      'fieldDenied',
      'thrower',
      'ghost',
    ]) {
      const u = user('secret-user-01', role)
      for (const p of [
        'partner:read',
        'partner:update',
        'partner:delete',
        'partner:approve',
      ] as const) {
        decisions.push(
          policy.explain(u, p, record, { fields: ['name', 'creditLimit'], context: secretValue }),
        )
        decisions.push(policy.explain(u, p))
      }
    }
    const text = JSON.stringify(decisions)
    for (const value of [
      secretId,
      secretValue,
      'secret-owner-55',
      '123456',
      'secret-user-01',
      'status-secret-x',
    ]) {
      expect(text).not.toContain(value)
    }
  })

  it('decisions are frozen', () => {
    const d = policy.explain(user('u1', 'anyUpdater'), 'partner:update')
    expect(Object.isFrozen(d)).toBe(true)
    expect(d.effect === 'allow' && Object.isFrozen(d.rule)).toBe(true)
  })
})
