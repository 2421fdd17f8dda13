import { describe, expect, it } from 'vitest'
import { POLICY_ISSUE_CODES, PolicyConfigError, type PolicyIssue } from './errors.js'
import { definePolicy } from './policy.js'
import type { PolicyConfig } from './types.js'

/** Runs an (untyped) config and answers the issues it raises. */
function issues(config: unknown): readonly PolicyIssue[] {
  try {
    definePolicy(config as PolicyConfig)
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyConfigError)
    const e = error as PolicyConfigError
    expect(e.code).toBe('ERR_RBAC_CONFIG')
    expect(e.name).toBe('PolicyConfigError')
    return e.issues
  }
  throw new Error('expected a PolicyConfigError')
}

function only(config: unknown): PolicyIssue {
  const found = issues(config)
  expect(found).toHaveLength(1)
  return found[0] as PolicyIssue
}

const partner = {
  actions: ['read', 'update', 'delete'],
  fields: ['id', 'name', 'ownerId', 'address.city', 'contacts'],
  owner: 'ownerId',
}

describe('definePolicy validation', () => {
  it('accepts a valid policy and the empty one', () => {
    expect(() => definePolicy({ resources: {}, roles: {} })).not.toThrow()
    expect(() =>
      definePolicy({
        resources: { partner, note: { actions: ['read'] } },
        roles: {
          a: {
            grants: ['partner:read', '*:read', 'partner:*', '*', '*:*:own', 'partner:update:own'],
          },
          b: { inherits: ['a'], deny: ['partner:delete', { deny: '*:read', fields: ['ownerId'] }] },
        },
      }),
    ).not.toThrow()
  })

  it('role-cycle: the whole loop is named', () => {
    const issue = only({
      resources: {},
      roles: { admin: { inherits: ['manager'] }, manager: { inherits: ['admin'] } },
    })
    expect(issue).toEqual({
      code: 'role-cycle',
      path: 'roles.manager.inherits[0]',
      message: 'roles inherit from each other in a loop: admin → manager → admin',
    })
  })

  it('role-cycle: a role inheriting from itself, and a longer loop', () => {
    expect(only({ resources: {}, roles: { a: { inherits: ['a'] } } }).message).toContain('a → a')
    const issue = only({
      resources: {},
      roles: {
        admin: { inherits: ['manager'] },
        manager: { inherits: ['viewer', 'editor'] },
        editor: { inherits: ['admin'] },
        viewer: {},
      },
    })
    expect(issue.message).toContain('admin → manager → editor → admin')
    expect(issue.path).toBe('roles.editor.inherits[0]')
  })

  it('unknown-parent with a did-you-mean', () => {
    expect(only({ resources: {}, roles: { viewer: {}, editor: { inherits: ['viewr'] } } })).toEqual(
      {
        code: 'unknown-parent',
        path: 'roles.editor.inherits[0]',
        message: "'viewr' is not a declared role. Did you mean 'viewer'?",
      },
    )
    expect(only({ resources: {}, roles: { editor: { inherits: ['zzz'] } } }).message).toBe(
      "'zzz' is not a declared role.",
    )
  })

  it('reserved-name: prototype keys as names', () => {
    const fromJson = JSON.parse(
      '{"resources":{"__proto__":{"actions":["read"]}},"roles":{"constructor":{}}}',
    )
    const found = issues(fromJson)
    expect(found.map((i) => [i.code, i.path])).toEqual([
      ['reserved-name', 'resources.__proto__'],
      ['reserved-name', 'roles.constructor'],
    ])
    expect(found[1]?.message).toContain("'constructor' is reserved")
    // An object literal's `__proto__:` sets the prototype instead of a key: caught too.
    const literal = { resources: {}, roles: { __proto__: { grants: [] } } }
    expect(only(literal)).toMatchObject({ code: 'reserved-name', path: 'roles' })
    expect(only({ resources: { p: { actions: ['prototype'] } }, roles: {} })).toMatchObject({
      code: 'reserved-name',
      path: 'resources.p.actions[0]',
    })
    expect(
      only({ resources: { p: { actions: ['read'], fields: ['a.__proto__'] } }, roles: {} }),
    ).toMatchObject({ code: 'reserved-name', path: 'resources.p.fields[0]' })
  })

  it('malformed-name: empty, colon, star, whitespace, too long', () => {
    const found = issues({
      resources: { 'a:b': { actions: ['read', 'x*', ''] } },
      roles: { 'has space': {}, ['r'.repeat(129)]: {} },
    })
    expect(found.every((i) => i.code === 'malformed-name')).toBe(true)
    // A malformed resource name does not hide its malformed actions.
    expect(found.map((i) => i.path)).toEqual([
      'resources.a:b',
      'resources.a:b.actions[1]',
      'resources.a:b.actions[2]',
      'roles.has space',
      `roles.${'r'.repeat(129)}`,
    ])
    const actions = issues({ resources: { p: { actions: ['read', 'x*', ''] } }, roles: {} })
    expect(actions.map((i) => [i.code, i.path])).toEqual([
      ['malformed-name', 'resources.p.actions[1]'],
      ['malformed-name', 'resources.p.actions[2]'],
    ])
    expect(actions[0]?.message).toContain("'x*' must not contain ':', '*' or whitespace")
    expect(actions[1]?.message).toBe('action name must not be empty')
    expect(only({ resources: {}, roles: { '': {} } }).message).toBe('role name must not be empty')
  })

  it('a resource without actions: only the empty list is reported, not the rules naming it', () => {
    expect(
      only({ resources: { p: { actions: [] } }, roles: { r: { grants: ['p:read', 'p:*'] } } }),
    ).toEqual({
      code: 'invalid',
      path: 'resources.p.actions',
      message: 'declare at least one action',
    })
  })

  it('an empty field list: a grant that covers no field is refused like a deny', () => {
    const found = issues({
      resources: { p: { actions: ['read'] } },
      roles: {
        r: { grants: [{ allow: 'p:read', fields: [] }], deny: [{ deny: 'p:read', fields: [] }] },
      },
    })
    expect(found.map((i) => [i.code, i.path])).toEqual([
      ['invalid', 'roles.r.grants[0].fields'],
      ['invalid', 'roles.r.deny[0].fields'],
    ])
    expect(found[0]?.message).toContain('covers no field; omit the grant')
    expect(found[1]?.message).toContain('denies no field')
  })

  it('bad-pattern: field patterns too complex to compile are refused at definition', () => {
    const stars = Array.from({ length: 14 }, () => '*').join('.')
    const found = issues({
      resources: { p: { actions: ['read'] } },
      roles: {
        r: {
          grants: [{ allow: 'p:read', fields: ['name', `**.a.${stars}`] }],
          deny: [{ deny: 'p:read', fields: [`!**.a.${stars}`] }],
        },
      },
    })
    expect(found.map((i) => [i.code, i.path])).toEqual([
      ['bad-pattern', 'roles.r.grants[0].fields'],
      ['bad-pattern', 'roles.r.deny[0].fields'],
    ])
    expect(found[0]?.message).toMatch(/complex/)
    // Plain lists, however long, compile.
    const fields = Array.from({ length: 400 }, (_, i) => `f${i}`)
    expect(() =>
      definePolicy({
        resources: { p: { actions: ['read'] } },
        roles: { r: { grants: [{ allow: 'p:read', fields }] } },
      }),
    ).not.toThrow()
  })

  it('not-a-function: when and owner', () => {
    const found = issues({
      resources: { p: { actions: ['read'], owner: 42 } },
      roles: {
        r: { grants: [{ allow: 'p:read', when: 'yes' }], deny: [{ deny: 'p:read', when: {} }] },
      },
    })
    expect(found.map((i) => [i.code, i.path])).toEqual([
      ['not-a-function', 'resources.p.owner'],
      ['not-a-function', 'roles.r.grants[0].when'],
      ['not-a-function', 'roles.r.deny[0].when'],
    ])
    expect(found[1]?.message).toBe(
      "expected a function (principal, resource, context) => boolean, received 'yes'",
    )
  })

  it('unknown-resource and unknown-action with a did-you-mean', () => {
    const found = issues({
      resources: { partner },
      roles: {
        r: {
          grants: ['partnr:read', { allow: ['partner:read', 'partner:delet'] }, '*:raed'],
          deny: ['partner:nope'],
        },
      },
    })
    expect(found).toEqual([
      {
        code: 'unknown-resource',
        path: 'roles.r.grants[0]',
        message: "'partnr' (in 'partnr:read') is not a declared resource. Did you mean 'partner'?",
      },
      {
        code: 'unknown-action',
        path: 'roles.r.grants[1].allow[1]',
        message:
          "'delet' (in 'partner:delet') is not an action of 'partner'. Did you mean 'delete'?",
      },
      {
        code: 'unknown-action',
        path: 'roles.r.grants[2]',
        message: "'raed' (in '*:raed') is not an action of any resource. Did you mean 'read'?",
      },
      {
        code: 'unknown-action',
        path: 'roles.r.deny[0]',
        message: "'nope' (in 'partner:nope') is not an action of 'partner'.",
      },
    ])
  })

  it('unknown-field: patterns must start with a declared field', () => {
    const found = issues({
      resources: { partner, free: { actions: ['read'] } },
      roles: {
        r: {
          grants: [
            {
              allow: 'partner:read',
              fields: ['name', 'address.city', 'address', 'contacts.*.email', '*', '**', '!id'],
            },
            { allow: 'partner:update', fields: ['nmae', 'address.zip'] },
            // A resource without declared fields accepts anything.
            { allow: 'free:read', fields: ['whatever.deep'] },
          ],
          deny: [{ deny: 'partner:read', fields: ['!ownerid'] }],
        },
      },
    })
    expect(found).toEqual([
      {
        code: 'unknown-field',
        path: 'roles.r.grants[1].fields[0]',
        message: "'nmae' (in 'nmae') is not a declared field of 'partner'. Did you mean 'name'?",
      },
      {
        code: 'unknown-field',
        path: 'roles.r.grants[1].fields[1]',
        message:
          "'address.zip' (in 'address.zip') is not a declared field of 'partner'. Did you mean 'address.city'?",
      },
      {
        code: 'unknown-field',
        path: 'roles.r.deny[0].fields[0]',
        message:
          "'ownerid' (in '!ownerid') is not a declared field of 'partner'. Did you mean 'ownerId'?",
      },
    ])
  })

  it('unknown-field under a wildcard resource: a field of at least one matched resource', () => {
    const resources = {
      partner,
      product: { actions: ['read'], fields: ['id', 'price'] },
    }
    expect(() =>
      definePolicy({
        resources,
        roles: { r: { grants: [{ allow: '*:read', fields: ['price', 'name'] }] } },
      }),
    ).not.toThrow()
    expect(
      only({ resources, roles: { r: { grants: [{ allow: '*:read', fields: ['cost'] }] } } }),
    ).toMatchObject({
      code: 'unknown-field',
      message: "'cost' (in 'cost') is not a declared field of 'partner', 'product'.",
    })
    // One matched resource without declared fields: nothing to check against.
    expect(() =>
      definePolicy({
        resources: { ...resources, note: { actions: ['read'] } },
        roles: { r: { grants: [{ allow: '*:read', fields: ['cost'] }] } },
      }),
    ).not.toThrow()
  })

  it('unknown-field: owner and tenant paths', () => {
    const found = issues({
      resources: {
        p: { actions: ['read'], fields: ['id', 'ownerId'], owner: 'owner', tenant: 'tenantId' },
      },
      roles: {},
    })
    expect(found.map((i) => [i.code, i.path, i.message])).toEqual([
      [
        'unknown-field',
        'resources.p.owner',
        "'owner' is not a declared field of 'p'. Did you mean 'ownerId'?",
      ],
      [
        'unknown-field',
        'resources.p.tenant',
        "'tenantId' is not a declared field of 'p'. Add it to fields.",
      ],
    ])
  })

  it('bad-pattern: permissions and field patterns', () => {
    const found = issues({
      resources: { partner },
      roles: {
        r: {
          grants: [
            'partner',
            'partner:read:any',
            'part*:read',
            { allow: 'partner:read', fields: ['a..b', 'name*', '!!x'] },
          ],
          deny: ['partner:read:own'],
        },
      },
    })
    expect(found.map((i) => [i.code, i.path])).toEqual([
      ['bad-pattern', 'roles.r.grants[0]'],
      ['bad-pattern', 'roles.r.grants[1]'],
      ['bad-pattern', 'roles.r.grants[2]'],
      ['bad-pattern', 'roles.r.grants[3].fields[0]'],
      ['bad-pattern', 'roles.r.grants[3].fields[1]'],
      ['bad-pattern', 'roles.r.grants[3].fields[2]'],
      ['bad-pattern', 'roles.r.deny[0]'],
    ])
    expect(found[0]?.message).toMatch(/ or one of them with ':own'\. Did you mean 'partner:\*'\?$/)
    expect(found[6]?.message).toContain('deny rules have no possession')
    expect(
      only({ resources: { p: { actions: ['a'], fields: ['x.*'] } }, roles: {} }),
    ).toMatchObject({
      code: 'bad-pattern',
      path: 'resources.p.fields[0]',
    })
  })

  it('own-without-owner, also through wildcards', () => {
    const resources = { partner, note: { actions: ['read', 'update'] } }
    expect(only({ resources, roles: { r: { grants: ['note:update:own'] } } })).toMatchObject({
      code: 'own-without-owner',
      path: 'roles.r.grants[0]',
      message: expect.stringContaining("resource 'note' declares no owner"),
    })
    expect(
      only({ resources, roles: { r: { grants: [{ allow: 'note:read', possession: 'own' }] } } }),
    ).toMatchObject({ code: 'own-without-owner', path: 'roles.r.grants[0].allow' })
    // '*:update:own' reaches partner, which has an owner: fine (it does not apply to note).
    expect(() =>
      definePolicy({ resources, roles: { r: { grants: ['*:update:own'] } } }),
    ).not.toThrow()
    expect(
      only({ resources: { note: resources.note }, roles: { r: { grants: ['*:*:own'] } } }).message,
    ).toContain("no resource matched by '*:*:own' declares owner")
  })

  it('invalid: unknown options with did-you-mean, wrong types, conflicts', () => {
    const found = issues({
      resources: { p: { actions: ['read'], owner: 'ownerId', feilds: [] } },
      roles: {
        r: { grant: ['p:read'], global: 'yes' },
        s: {
          grants: [
            { allow: 'p:read', posession: 'own' },
            42,
            { allow: 'p:read:own', possession: 'any' },
          ],
        },
        t: { deny: [{ deny: 'p:read', fields: [] }] },
      },
      role: {},
    })
    const pairs = found.map((i) => [i.code, i.path, i.message])
    expect(pairs).toContainEqual(['invalid', 'role', "unknown option. Did you mean 'roles'?"])
    expect(pairs).toContainEqual([
      'invalid',
      'resources.p.feilds',
      "unknown option. Did you mean 'fields'?",
    ])
    expect(pairs).toContainEqual([
      'invalid',
      'roles.r.grant',
      "unknown option. Did you mean 'grants'?",
    ])
    expect(pairs).toContainEqual([
      'invalid',
      'roles.s.grants[0].posession',
      "unknown option. Did you mean 'possession'?",
    ])
    expect(found.find((i) => i.path === 'roles.s.grants[1]')?.message).toContain('received 42')
    expect(found.find((i) => i.path === 'roles.r.global')?.code).toBe('invalid')
    expect(found.find((i) => i.path === 'roles.s.grants[2].possession')?.message).toContain(
      "'any' contradicts 'p:read:own'",
    )
    expect(found.find((i) => i.path === 'roles.t.deny[0].fields')?.message).toContain(
      'denies no field',
    )
    expect(found.every((i) => (POLICY_ISSUE_CODES as readonly string[]).includes(i.code))).toBe(
      true,
    )
    expect(issues(null)[0]).toMatchObject({ code: 'invalid', path: '' })
    expect(issues({ resources: {} })[0]).toMatchObject({ code: 'invalid', path: 'roles' })
  })

  it('reports every problem at once, and the message lists them all', () => {
    try {
      definePolicy({
        resources: { partner },
        roles: {
          a: { inherits: ['b', 'ghost'], grants: ['partner:raed'] },
          b: { inherits: ['a'], grants: [{ allow: 'partner:read', when: 1 }] },
        },
      } as unknown as PolicyConfig)
      expect.unreachable()
    } catch (error) {
      const e = error as PolicyConfigError
      expect(e.issues.map((i) => i.code).sort()).toEqual([
        'not-a-function',
        'role-cycle',
        'unknown-action',
        'unknown-parent',
      ])
      expect(e.message).toContain('roles.a.inherits[1]')
      expect(e.message).toContain('a → b → a')
    }
  })

  it('a 10,000-role chain compiles; a 10,000-role cycle is reported', () => {
    const roles: Record<string, { inherits?: string[]; grants?: string[] }> = {
      r0: { grants: ['partner:read'] },
    }
    for (let i = 1; i < 10_000; i++) roles[`r${i}`] = { inherits: [`r${i - 1}`] }
    const policy = definePolicy({ resources: { partner }, roles } as PolicyConfig)
    expect(policy.can({ id: 'u', roles: ['r9999'] }, 'partner:read')).toBe(true)
    roles.r0 = { inherits: ['r9999'] }
    const issue = only({ resources: { partner }, roles })
    expect(issue.code).toBe('role-cycle')
    // In inheritance order: r0 inherits r9999, which inherits r9998, ... r1 inherits r0.
    expect(
      issue.message.startsWith('roles inherit from each other in a loop: r0 → r9999 → r9998'),
    ).toBe(true)
    expect(issue.message.endsWith('r2 → r1 → r0')).toBe(true)
    expect(issue.message.split(' → ')).toHaveLength(10_001)
  })
})
