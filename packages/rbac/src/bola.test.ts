// BOLA sweep (OWASP API1): an editor may touch exactly the partners it owns, whatever it asks
// and however it shapes a write body.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { definePolicy } from './policy.js'
import type { RbacPrincipal } from './types.js'

const policy = definePolicy({
  resources: {
    partner: {
      actions: ['read', 'update', 'delete'],
      fields: ['id', 'name', 'ownerId', 'address.city'],
      owner: 'ownerId',
    },
  },
  roles: {
    editor: { grants: ['partner:read', 'partner:update:own', 'partner:delete:own'] },
  },
})

const users = ['u0', 'u1', 'u2', 'u3', 'u4']
const editor: RbacPrincipal = { id: 'u1', roles: ['editor'] }

interface Partner {
  readonly id: string
  readonly name: string
  readonly ownerId: string | number
}

const partnerArb = fc.record({
  id: fc.uuid(),
  name: fc.string(),
  ownerId: fc.oneof(fc.constantFrom(...users), fc.constant(1), fc.string()),
})

describe('BOLA sweep', () => {
  it('update and delete: true exactly for own partners (100 random partners)', () => {
    fc.assert(
      fc.property(fc.array(partnerArb, { minLength: 100, maxLength: 100 }), (partners) => {
        for (const p of partners) {
          const own = String(p.ownerId) === editor.id
          expect(policy.can(editor, 'partner:update', p)).toBe(own)
          expect(policy.can(editor, 'partner:delete', p)).toBe(own)
          expect(policy.can(editor, 'partner:read', p)).toBe(true)
          expect(policy.explain(editor, 'partner:update', p)).toMatchObject(
            own ? { effect: 'allow' } : { effect: 'deny', reason: 'condition_failed' },
          )
        }
        // A list is filtered item by item.
        const updatable = policy.filter(editor, 'partner:update', partners)
        expect(updatable).toEqual(partners.filter((p) => String(p.ownerId) === editor.id))
      }),
      { numRuns: 20 },
    )
  })

  it('without the record, update is only conditional', () => {
    expect(policy.explain(editor, 'partner:update')).toMatchObject({ effect: 'conditional' })
    expect(policy.can(editor, 'partner:update')).toBe(false)
  })

  for (const merge of ['patch', 'replace'] as const) {
    describe(`checkWrite, merge '${merge}'`, () => {
      const own: Partner = { id: 'p1', name: 'ACME', ownerId: 'u1' }
      const other: Partner = { id: 'p2', name: 'Other', ownerId: 'u2' }
      // A replace body is the whole new record.
      const body = (changes: Partial<Partner>) =>
        merge === 'replace' ? { ...own, ...changes } : changes

      it('handing an own partner to someone else: condition_failed', () => {
        for (const someoneElse of ['u2', 'u0', '', 7]) {
          const w = policy.checkWrite(editor, 'partner:update', body({ ownerId: someoneElse }), {
            resource: own,
            merge,
          })
          expect(w).toMatchObject({
            ok: false,
            decision: { effect: 'deny', reason: 'condition_failed' },
            forbidden: [],
          })
        }
      })

      it('a harmless change of an own partner: ok', () => {
        const b = body({ name: 'x' })
        expect(policy.checkWrite(editor, 'partner:update', b, { resource: own, merge })).toEqual({
          ok: true,
          body: b,
          stripped: [],
        })
      })

      it("writing another's partner: condition_failed before the body is even looked at", () => {
        const w = policy.checkWrite(
          editor,
          'partner:update',
          { ownerId: 'u1' },
          { resource: other, merge },
        )
        expect(w).toMatchObject({ ok: false, decision: { reason: 'condition_failed' } })
      })

      it('prototype keys never slip through', () => {
        const whole = merge === 'replace' ? '"id":"p1","ownerId":"u1",' : ''
        const evil = JSON.parse(
          `{${whole}"name":"x","__proto__":{"ownerId":"u1"},"constructor":{"prototype":{}}}`,
        )
        const w = policy.checkWrite(editor, 'partner:update', evil, { resource: own, merge })
        expect(w).toMatchObject({
          ok: false,
          decision: { reason: 'field_forbidden' },
          forbidden: ['__proto__', 'constructor'],
        })
        const s = policy.checkWrite(editor, 'partner:update', evil, {
          resource: own,
          merge,
          mode: 'strip',
        })
        expect(s.ok).toBe(true)
        if (s.ok) {
          expect(Object.keys(s.body as object)).toEqual(
            merge === 'replace' ? ['id', 'ownerId', 'name'] : ['name'],
          )
          expect(s.stripped).toEqual(['__proto__', 'constructor'])
        }
        expect(({} as { ownerId?: unknown }).ownerId).toBeUndefined()
      })
    })
  }

  it('random bodies: a write never yields a record the editor does not own', () => {
    const own: Partner = { id: 'p1', name: 'ACME', ownerId: 'u1' }
    fc.assert(
      fc.property(
        fc.record(
          { name: fc.string(), ownerId: fc.oneof(fc.constantFrom(...users, null), fc.integer()) },
          { requiredKeys: [] },
        ),
        fc.constantFrom('patch', 'replace'),
        fc.constantFrom('reject', 'strip'),
        (changes, merge, mode) => {
          const b = merge === 'replace' ? { ...own, ...changes } : changes
          const w = policy.checkWrite(editor, 'partner:update', b, { resource: own, merge, mode })
          const after = merge === 'replace' ? b : { ...own, ...changes }
          const stillOwn = (after as { ownerId?: unknown }).ownerId === 'u1'
          expect(w.ok).toBe(stillOwn)
        },
      ),
    )
  })
})
