// Writes are changes: a PUT of the full record or a PATCH carrying unchanged values is judged
// by what it changes, deletions included. The ERP fixture's editor may not write `creditLimit`,
// `vatId`, `id` or `tenant`, yet must be able to PUT the record it read.
import { describe, expect, it } from 'vitest'
import { definePolicy } from './policy.js'
import { erpPartners, erpPolicy, type Partner } from './testing/erp.js'
import type { PolicyConfig, RbacPrincipal } from './types.js'

const erp = erpPolicy()
const alice: RbacPrincipal = { id: 'alice', tenant: 'acme', roles: ['editor'] }
const max: RbacPrincipal = { id: 'max', tenant: 'acme', roles: ['manager'] }

/** Alice's partner p1, as a client would PUT it back (a fresh deep copy). */
function p1(): Partner {
  return structuredClone(erpPartners().p1 as Partner)
}

const put = (body: unknown, mode?: 'reject' | 'strip') =>
  erp.checkWrite(alice, 'partner:update', body, { resource: p1(), merge: 'replace', mode })
const patch = (body: unknown, mode?: 'reject' | 'strip') =>
  erp.checkWrite(alice, 'partner:update', body, { resource: p1(), mode })

describe('writes to a record are its changes', () => {
  it('a PUT of the full record with only an allowed field changed passes', () => {
    const body = { ...p1(), name: 'Renamed' }
    expect(put(body)).toEqual({ ok: true, body, stripped: [] })
    // The same record unchanged writes nothing.
    expect(put(p1()).ok).toBe(true)
  })

  it('a PUT changing a forbidden field is refused with that path only', () => {
    const w = put({ ...p1(), name: 'Renamed', creditLimit: 1 })
    expect(w).toMatchObject({
      ok: false,
      forbidden: ['creditLimit'],
      decision: { reason: 'field_forbidden', fields: ['creditLimit'] },
    })
  })

  it('a PUT omitting a forbidden field deletes it: refused, also in strip mode', () => {
    const { vatId: _, ...body } = p1()
    expect(put(body)).toMatchObject({ ok: false, forbidden: ['vatId'] })
    expect(put(body, 'strip')).toMatchObject({ ok: false, forbidden: ['vatId'] })
    // Omitting an allowed field is an allowed deletion.
    const { website: __, ...noWebsite } = p1()
    expect(put(noWebsite).ok).toBe(true)
  })

  it('a PATCH with null deletes: a write of that path', () => {
    expect(patch({ vatId: null })).toMatchObject({ ok: false, forbidden: ['vatId'] })
    expect(patch({ website: null }).ok).toBe(true)
    // Deleting an object deletes every path below it.
    const narrow = definePolicy({
      resources: { doc: { actions: ['update'] } },
      roles: { r: { grants: [{ allow: 'doc:update', fields: ['*', '!address.street'] }] } },
    } as PolicyConfig)
    const doc = { address: { street: 's', city: 'c' } }
    const user = { id: 'u', roles: ['r'] }
    expect(
      narrow.checkWrite(user, 'doc:update', { address: null }, { resource: doc }),
    ).toMatchObject({ ok: false, forbidden: ['address.street'] })
    // So does overwriting it with a value.
    expect(
      narrow.checkWrite(user, 'doc:update', { address: 'n/a' }, { resource: doc }),
    ).toMatchObject({ ok: false, forbidden: ['address.street'] })
    expect(
      narrow.checkWrite(user, 'doc:update', { address: { city: 'x' } }, { resource: doc }).ok,
    ).toBe(true)
  })

  it('a PATCH carrying an unchanged forbidden value with a changed allowed one passes', () => {
    expect(patch({ creditLimit: 50_000, vatId: p1().vatId, name: 'Renamed' }).ok).toBe(true)
    expect(patch({ creditLimit: 50_001, name: 'Renamed' })).toMatchObject({
      ok: false,
      forbidden: ['creditLimit'],
    })
  })

  it('strip mode keeps unchanged forbidden values and strips changed ones', () => {
    const body = { ...p1(), name: 'Renamed', creditLimit: 1 }
    // PATCH: the changed forbidden path leaves the body; unchanged ones stay as given.
    const w = patch(body, 'strip')
    expect(w.ok).toBe(true)
    if (!w.ok) return
    expect(w.stripped).toEqual(['creditLimit'])
    const { creditLimit: _, ...rest } = body
    expect(w.body).toEqual(rest)
    expect(body.creditLimit).toBe(1) // the input is not mutated
    // PUT: leaving the path out would delete it, so the record's value stays.
    const replaced = put(body, 'strip')
    expect(replaced).toMatchObject({ ok: true, stripped: ['creditLimit'] })
    if (replaced.ok) expect(replaced.body).toEqual({ ...body, creditLimit: 50_000 })
    // Nothing forbidden changed: the body comes back as given.
    const same = { ...p1(), name: 'x' }
    expect(put(same, 'strip')).toEqual({ ok: true, body: same, stripped: [] })
  })

  it('a PUT handing the record to another user is refused (condition_failed)', () => {
    expect(put({ ...p1(), ownerId: 'bob' })).toMatchObject({
      ok: false,
      forbidden: [],
      decision: { reason: 'condition_failed' },
    })
    // A manager may (any partner of the tenant), but never move it to another tenant.
    expect(
      erp.checkWrite(
        max,
        'partner:update',
        { ...p1(), ownerId: 'bob' },
        {
          resource: p1(),
          merge: 'replace',
        },
      ).ok,
    ).toBe(true)
    expect(
      erp.checkWrite(max, 'partner:update', { tenant: 'globex' }, { resource: p1() }),
    ).toMatchObject({ ok: false, forbidden: ['tenant'] })
  })

  it('arrays are compared deeply', () => {
    const same = p1()
    same.contacts = structuredClone(same.contacts)
    expect(put(same).ok).toBe(true)
    expect(patch({ contacts: p1().contacts }).ok).toBe(true)
    const changed = p1()
    changed.contacts[0]!.phone = '+1'
    expect(put(changed).ok).toBe(true) // the editor may write contacts
    // A manager's mask excludes `id`: an unchanged id passes, a changed one does not.
    const managerPut = (body: unknown) =>
      erp.checkWrite(max, 'partner:update', body, { resource: p1(), merge: 'replace' })
    expect(managerPut({ ...p1(), contacts: [] }).ok).toBe(true)
    expect(managerPut({ ...p1(), id: 'p9' })).toMatchObject({ ok: false, forbidden: ['id'] })
  })

  it('a record whose values are Dates equals the JSON a client read', () => {
    const policy = definePolicy({
      resources: { doc: { actions: ['update'] } },
      roles: { r: { grants: [{ allow: 'doc:update', fields: ['*', '!createdAt'] }] } },
    } as PolicyConfig)
    const doc = { title: 't', createdAt: new Date('2024-01-02T03:04:05.000Z') }
    const user = { id: 'u', roles: ['r'] }
    const body = JSON.parse(JSON.stringify({ ...doc, title: 'u' }))
    expect(
      policy.checkWrite(user, 'doc:update', body, { resource: doc, merge: 'replace' }).ok,
    ).toBe(true)
    expect(
      policy.checkWrite(
        user,
        'doc:update',
        { createdAt: '2020-01-01T00:00:00.000Z' },
        {
          resource: doc,
        },
      ),
    ).toMatchObject({ ok: false, forbidden: ['createdAt'] })
  })

  it('prototype keys are always reported, changed or not', () => {
    const body = JSON.parse('{"name":"x","__proto__":{"isAdmin":true}}')
    expect(patch(body)).toMatchObject({ ok: false, forbidden: ['__proto__'] })
    const stripped = patch(body, 'strip')
    expect(stripped).toMatchObject({ ok: true, stripped: ['__proto__'] })
    if (stripped.ok) {
      expect(Object.hasOwn(stripped.body as object, '__proto__')).toBe(false)
      expect(stripped.body).toEqual({ name: 'x' })
    }
  })

  it('creations are unchanged: every body path is a write', () => {
    const { id: _, ...fresh } = p1()
    expect(erp.checkWrite(alice, 'partner:create', fresh)).toMatchObject({
      ok: false,
      forbidden: ['vatId', 'creditLimit'],
    })
  })
})

describe('the record a write produces', () => {
  it('stays in its tenant', () => {
    // A manager's mask excludes `tenant`; an admin's does not, yet cannot move it either.
    const admin: RbacPrincipal = { id: 'root', tenant: 'acme', roles: ['admin'] }
    for (const tenant of [null, '', 'globex', 0]) {
      expect(
        erp.checkWrite(admin, 'partner:update', { tenant }, { resource: p1() }),
        String(tenant),
      ).toMatchObject({ ok: false, decision: { reason: 'tenant_mismatch' } })
    }
    expect(erp.checkWrite(admin, 'partner:update', { tenant: 'acme' }, { resource: p1() }).ok).toBe(
      true,
    )
  })

  it('is decided with its own mask: a grant that held only on the old record lends none', () => {
    const p = definePolicy({
      resources: { partner: { actions: ['update'], owner: 'ownerId' } },
      roles: {
        editor: { grants: ['partner:update:own', { allow: 'partner:update', fields: ['notes'] }] },
      },
    })
    const u1 = { id: 'u1', roles: ['editor'] }
    const mine = { id: 'p1', ownerId: 'u1', notes: '' }
    expect(
      p.checkWrite(u1, 'partner:update', { ownerId: 'bob', notes: 'x' }, { resource: mine }),
    ).toMatchObject({ ok: false, forbidden: ['ownerId'], decision: { reason: 'field_forbidden' } })
    expect(p.checkWrite(u1, 'partner:update', { notes: 'x' }, { resource: mine }).ok).toBe(true)
  })
})

describe('bulk creation', () => {
  const bulk = definePolicy({
    resources: { doc: { actions: ['create'], owner: 'ownerId', tenant: 'tenantId' } },
    roles: {
      member: { grants: [{ allow: 'doc:create', fields: ['*', '!secret'] }] },
      own: { grants: ['doc:create:own'] },
    },
  } as PolicyConfig)
  const member = { id: 'm', tenant: 'A', roles: ['member'] }

  it('decides every element as a record', () => {
    const body = [{ tenantId: 'A', title: 'a' }, { tenantId: 'A' }]
    expect(bulk.checkWrite(member, 'doc:create', body, { tenant: 'A' })).toEqual({
      ok: true,
      body,
      stripped: [],
    })
    expect(
      bulk.checkWrite(member, 'doc:create', [{ tenantId: 'A' }, { tenantId: 'B' }], {
        tenant: 'A',
      }),
    ).toMatchObject({ ok: false, decision: { reason: 'tenant_mismatch' } })
    const owner = { id: 'o', tenant: 'A', roles: ['own'] }
    expect(bulk.checkWrite(owner, 'doc:create', [{ tenantId: 'A', ownerId: 'o' }]).ok).toBe(true)
    expect(
      bulk.checkWrite(owner, 'doc:create', [
        { tenantId: 'A', ownerId: 'o' },
        { tenantId: 'A', ownerId: 'x' },
      ]),
    ).toMatchObject({ ok: false, decision: { reason: 'condition_failed' } })
  })

  it('reports forbidden paths with their index, and strips per element', () => {
    const body = [{ tenantId: 'A', secret: 1 }, { tenantId: 'A' }, { tenantId: 'A', secret: 2 }]
    expect(bulk.checkWrite(member, 'doc:create', body)).toMatchObject({
      ok: false,
      forbidden: ['[0].secret', '[2].secret'],
      decision: { reason: 'field_forbidden', fields: ['[0].secret', '[2].secret'] },
    })
    expect(bulk.checkWrite(member, 'doc:create', body, { mode: 'strip' })).toEqual({
      ok: true,
      body: [{ tenantId: 'A' }, { tenantId: 'A' }, { tenantId: 'A' }],
      stripped: ['[0].secret', '[2].secret'],
    })
  })

  it('refuses elements that are not records, and decides other bodies without a record', () => {
    expect(
      bulk.checkWrite(member, 'doc:create', [{ tenantId: 'A' }, [{ tenantId: 'A' }]]),
    ).toMatchObject({
      ok: false,
      forbidden: ['[1]'],
      decision: { reason: 'field_forbidden' },
    })
    expect(bulk.checkWrite(member, 'doc:create', ['x']).ok).toBe(false)
    // Not a record: no owner to check, so an own grant never passes it.
    const owner = { id: 'o', tenant: 'A', roles: ['own'] }
    expect(bulk.checkWrite(owner, 'doc:create', 'text')).toMatchObject({
      ok: false,
      decision: { reason: 'condition_failed' },
    })
    expect(bulk.checkWrite(owner, 'doc:create', []).ok).toBe(false)
    // A plain yes with a partial mask still refuses a value that is no record.
    expect(bulk.checkWrite(member, 'doc:create', 'text')).toMatchObject({
      ok: false,
      forbidden: [''],
    })
    expect(bulk.checkWrite(member, 'doc:create', []).ok).toBe(true)
  })
})

describe('never throws', () => {
  it('a record whose getter throws, or a cyclic patch, is refused', () => {
    const hostile = {
      ...p1(),
      get website(): string {
        throw new Error('boom')
      },
    }
    expect(
      erp.checkWrite(alice, 'partner:update', { name: 'x' }, { resource: hostile }),
    ).toMatchObject({ ok: false, decision: { reason: 'condition_failed' } })
    const cyclic: Record<string, unknown> = {}
    cyclic.address = cyclic
    const w = erp.checkWrite(alice, 'partner:update', cyclic, { resource: p1() })
    expect(w.ok).toBe(false)
  })
})
