import { describe, expect, it } from 'vitest'
import { compilePolicy } from './compile.js'
import { definePolicy, type Policy } from './policy.js'
import type { PolicyConfig, RbacPrincipal } from './types.js'
import { validatePolicy } from './validate.js'

const as = (...roles: string[]): RbacPrincipal => ({ id: 'u1', roles })

/** A policy from a config built at run time (no literal types to check against). */
const dynamic = (config: PolicyConfig): Policy => definePolicy(config)

describe('role hierarchy', () => {
  const policy = definePolicy({
    resources: { doc: { actions: ['read', 'write', 'share', 'delete'] } },
    roles: {
      base: { grants: ['doc:read'] },
      writer: { inherits: ['base'], grants: ['doc:write'] },
      sharer: { inherits: ['base'], grants: ['doc:share'] },
      // The diamond: both branches reach `base`.
      lead: { inherits: ['writer', 'sharer'] },
      boss: { inherits: ['lead'], grants: ['doc:delete'] },
    },
  })

  it('flattens a diamond: the top holds every branch and the shared base once', () => {
    for (const p of ['doc:read', 'doc:write', 'doc:share'] as const) {
      expect(policy.can(as('lead'), p)).toBe(true)
    }
    expect(policy.can(as('lead'), 'doc:delete')).toBe(false)
    expect(policy.can(as('boss'), 'doc:delete')).toBe(true)
    expect(policy.can(as('writer'), 'doc:share')).toBe(false)
    expect(policy.explain(as('lead'), 'doc:read')).toEqual({
      effect: 'allow',
      rule: { role: 'base', kind: 'grant', index: 0, pattern: 'doc:read' },
    })
  })

  it('counts a rule reached through both sides of a diamond once', () => {
    const compiled = compilePolicy(
      validatePolicy({
        resources: { doc: { actions: ['read'], owner: 'ownerId' } },
        roles: {
          base: { grants: ['doc:read:own'] },
          left: { inherits: ['base'], grants: [{ allow: 'doc:read', when: () => true }] },
          right: { inherits: ['base'], grants: [{ allow: 'doc:read', when: () => false }] },
          top: { inherits: ['left', 'right'] },
        },
      }),
    )
    const entry = compiled.roles.get('top')?.table.get(0)
    expect(entry?.condGrants.map((a) => a.ref.role).sort()).toEqual(['base', 'left', 'right'])
  })

  it('stacked diamonds stay linear (no rule duplicated per path)', () => {
    const roles: Record<string, { inherits?: string[]; grants?: unknown[] }> = {
      l0: { grants: [{ allow: 'doc:read', when: () => true }] },
    }
    for (let i = 1; i <= 30; i++) {
      roles[`a${i}`] = {
        inherits: [`l${i - 1}`],
        grants: [{ allow: 'doc:read', possession: 'own' }],
      }
      roles[`b${i}`] = { inherits: [`l${i - 1}`] }
      roles[`l${i}`] = { inherits: [`a${i}`, `b${i}`] }
    }
    const compiled = compilePolicy(
      validatePolicy({ resources: { doc: { actions: ['read'], owner: 'o' } }, roles }),
    )
    // 2^30 paths, 31 distinct rules.
    expect(compiled.roles.get('l30')?.table.get(0)?.condGrants).toHaveLength(31)
  })

  it('a chain of depth 1,000: the leaf holds the root grant, the middle its own', () => {
    const roles: Record<string, { inherits?: string[]; grants?: string[] }> = {
      r0: { grants: ['doc:read'] },
    }
    for (let i = 1; i <= 1_000; i++) roles[`r${i}`] = { inherits: [`r${i - 1}`] }
    roles.r500 = { inherits: ['r499'], grants: ['doc:write'] }
    const deep = dynamic({ resources: { doc: { actions: ['read', 'write'] } }, roles })
    expect(deep.can(as('r1000'), 'doc:read')).toBe(true)
    expect(deep.can(as('r1000'), 'doc:write')).toBe(true)
    expect(deep.can(as('r499'), 'doc:write')).toBe(false)
    expect(deep.explain(as('r1000'), 'doc:write')).toMatchObject({ rule: { role: 'r500' } })
  })

  it('multiple parents, declared in any order', () => {
    const p = definePolicy({
      resources: { a: { actions: ['x'] }, b: { actions: ['x'] }, c: { actions: ['x'] } },
      roles: {
        child: { inherits: ['pc', 'pa', 'pb'] },
        pa: { grants: ['a:x'] },
        pb: { grants: ['b:x'] },
        pc: { inherits: ['pa'], grants: ['c:x'] },
      },
    })
    expect(['a:x', 'b:x', 'c:x'].every((x) => p.can(as('child'), x as 'a:x'))).toBe(true)
  })
})

describe('wildcards', () => {
  const policy = definePolicy({
    resources: {
      partner: { actions: ['read', 'update', 'delete'] },
      'partner-note': { actions: ['read', 'update'] },
      invoice: { actions: ['read', 'pay'] },
    },
    roles: {
      partnerAll: { grants: ['partner:*'] },
      reader: { grants: ['*:read'] },
      root: { grants: ['*'] },
      star: { grants: ['*:*'] },
    },
  })

  it('partner:* does not match partner-note:read', () => {
    expect(policy.can(as('partnerAll'), 'partner:delete')).toBe(true)
    expect(policy.can(as('partnerAll'), 'partner-note:read')).toBe(false)
    expect(policy.can(as('partnerAll'), 'invoice:read')).toBe(false)
  })

  it("*:read matches every resource's read and nothing else", () => {
    for (const p of ['partner:read', 'partner-note:read', 'invoice:read'] as const) {
      expect(policy.explain(as('reader'), p)).toMatchObject({
        effect: 'allow',
        rule: { pattern: '*:read' },
      })
    }
    expect(policy.can(as('reader'), 'invoice:pay')).toBe(false)
  })

  it("'*' and '*:*' match every declared permission", () => {
    for (const role of ['root', 'star']) {
      for (const [r, actions] of Object.entries(policy.resources)) {
        for (const a of actions)
          expect(policy.can(as(role), `${r}:${a}` as 'invoice:pay')).toBe(true)
      }
    }
  })

  it('an unknown permission at run time (from JavaScript) is no_grant, never a throw', () => {
    const js = policy as unknown as Policy
    for (const p of [
      'partner:archive',
      'nope:read',
      'partner',
      '',
      '*',
      '*:*',
      'partner:*',
      '__proto__:read',
      'constructor',
    ]) {
      const permission = p as `${string}:${string}`
      expect(js.can(as('root'), permission)).toBe(false)
      expect(js.explain(as('root'), permission)).toEqual({ effect: 'deny', reason: 'no_grant' })
      expect(js.explain(as('root'), permission, { id: 1 })).toEqual({
        effect: 'deny',
        reason: 'no_grant',
      })
    }
    expect(js.can(as('root'), 42 as unknown as 'a:b')).toBe(false)
  })

  it('exposes the declared roles and resources', () => {
    expect(policy.roles).toEqual(['partnerAll', 'reader', 'root', 'star'])
    expect(policy.resources.invoice).toEqual(['read', 'pay'])
    expect(Object.isFrozen(policy.resources)).toBe(true)
  })
})

describe('role sets', () => {
  const policy = definePolicy({
    resources: { doc: { actions: ['read', 'write', 'delete'] } },
    roles: {
      reader: { grants: ['doc:read'] },
      writer: { grants: ['doc:write'] },
      noDelete: { deny: ['doc:delete'] },
      admin: { grants: ['*'] },
    },
  })

  it('several roles combine; a deny in any of them wins', () => {
    expect(policy.can(as('reader', 'writer'), 'doc:write')).toBe(true)
    expect(policy.can(as('writer', 'reader'), 'doc:read')).toBe(true)
    expect(policy.can(as('admin'), 'doc:delete')).toBe(true)
    expect(policy.explain(as('admin', 'noDelete'), 'doc:delete')).toMatchObject({
      reason: 'denied_by_rule',
    })
    expect(policy.explain(as('noDelete', 'admin'), 'doc:delete')).toMatchObject({
      reason: 'denied_by_rule',
    })
  })

  it('undeclared roles are ignored next to declared ones', () => {
    expect(policy.can(as('ghost', 'reader'), 'doc:read')).toBe(true)
    expect(policy.explain(as('ghost'), 'doc:read')).toEqual({
      effect: 'deny',
      reason: 'unknown_role',
    })
    expect(policy.explain(as(), 'doc:read')).toEqual({ effect: 'deny', reason: 'no_grant' })
    expect(policy.explain({ id: 'x' }, 'doc:read')).toEqual({ effect: 'deny', reason: 'no_grant' })
    const weird = { id: 'x', roles: 'reader' } as unknown as RbacPrincipal
    expect(policy.can(weird, 'doc:read')).toBe(false)
    const mixed = { id: 'x', roles: [1, null, 'reader'] } as unknown as RbacPrincipal
    expect(policy.can(mixed, 'doc:read')).toBe(true)
  })

  it('a roles array edited in place is not answered from the cache', () => {
    const roles = ['reader']
    const user = { id: 'u', roles }
    expect(policy.can(user, 'doc:write')).toBe(false)
    roles.push('writer')
    expect(policy.can(user, 'doc:write')).toBe(true)
    roles.splice(0, 2, 'reader')
    expect(policy.can(user, 'doc:write')).toBe(false)
    roles[0] = 'admin'
    expect(policy.can(user, 'doc:delete')).toBe(true)
  })

  it('many distinct role sets: the bounded cache keeps answering right', () => {
    const names = ['reader', 'writer', 'noDelete', 'admin', 'ghost']
    for (let i = 0; i < 3_000; i++) {
      const roles = names.filter((_, k) => (i >> k) & 1)
      const expected = roles.includes('admin') && !roles.includes('noDelete')
      expect(policy.can({ id: 'u', roles: [...roles] }, 'doc:delete')).toBe(expected)
    }
  })
})

describe('compile cost', () => {
  it('100 roles / 1,000 grants over 10 resources × 5 actions, with wildcards and fields', () => {
    const actions = ['read', 'create', 'update', 'delete', 'export']
    const fields = ['id', 'name', 'ownerId', 'price', 'address.city', 'address.street', 'notes']
    const resources: Record<string, object> = {}
    for (let r = 0; r < 10; r++) resources[`res${r}`] = { actions, fields, owner: 'ownerId' }
    let seed = 7
    const rnd = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
      return seed % n
    }
    const roles: Record<string, object> = {}
    for (let i = 0; i < 100; i++) {
      const grants: unknown[] = []
      for (let g = 0; g < 10; g++) {
        const r = `res${rnd(10)}`
        const a = actions[rnd(5)]
        grants.push(
          [
            `${r}:${a}`,
            `${r}:*`,
            { allow: `*:${a}`, fields: ['id', 'name', 'address.*'] },
            `${r}:${a}:own`,
            { allow: `${r}:${a}`, fields: ['*', '!price'] },
            { allow: `${r}:${a}`, when: () => true },
          ][rnd(6)],
        )
      }
      const inherits = i === 0 ? [] : [...new Set([`role${rnd(i)}`, `role${rnd(i)}`])]
      roles[`role${i}`] = { inherits, grants, deny: i % 10 === 0 ? [`res${rnd(10)}:delete`] : [] }
    }
    const config = { resources, roles } as PolicyConfig
    const start = performance.now()
    const policy = dynamic(config)
    const ms = performance.now() - start
    // The target is 50 ms warm; this only catches a quadratic blow-up on a slow CI machine.
    expect(ms).toBeLessThan(3_000)
    expect(policy.roles).toHaveLength(100)
  })
})
