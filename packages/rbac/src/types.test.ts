// Type-level contract: checked by `tsc` (the typecheck task compiles tests) and run as no-ops.
import { describe, expectTypeOf, it } from 'vitest'
import type { GuardPolicy } from './guard.js'
import type { FieldMask } from './mask.js'
import { definePolicy, type Policy } from './policy.js'
import type {
  CheckOptions,
  Decision,
  FieldOf,
  GrantPattern,
  Permission,
  PolicyConfig,
  RbacPrincipal,
} from './types.js'

const user: RbacPrincipal = { id: 'u1', roles: ['editor'] }

// Lazily built so the runtime test does not depend on validation details.
function makePolicy() {
  return definePolicy({
    resources: {
      partner: {
        actions: ['read', 'create', 'update', 'delete'],
        fields: ['id', 'name', 'creditLimit', 'ownerId', 'address.city'],
        owner: 'ownerId',
      },
      product: { actions: ['read', 'update'] },
    },
    roles: {
      viewer: { grants: ['partner:read', { allow: '*:read', fields: ['**'] }] },
      editor: {
        inherits: ['viewer'],
        grants: [
          'partner:update:own',
          { allow: ['partner:create', 'partner:delete'], possession: 'own' },
          // Conditions are typed from the config's constraint, without annotations.
          {
            allow: 'product:update',
            when: (principal, resource, context) => {
              expectTypeOf(principal).toEqualTypeOf<RbacPrincipal>()
              expectTypeOf(resource).toBeUnknown()
              expectTypeOf(context).toBeUnknown()
              return principal.id !== ''
            },
          },
        ],
        deny: [{ deny: 'partner:*', fields: ['creditLimit'] }],
      },
    },
  })
}
type P = ReturnType<typeof makePolicy>
type C = P extends Policy<infer X> ? X : never

describe('inferred names', () => {
  it('permissions are the declared resource:action pairs', () => {
    expectTypeOf<Permission<C>>().toEqualTypeOf<
      | 'partner:read'
      | 'partner:create'
      | 'partner:update'
      | 'partner:delete'
      | 'product:read'
      | 'product:update'
    >()
    expectTypeOf<FieldOf<C, 'partner'>>().toEqualTypeOf<
      'id' | 'name' | 'creditLimit' | 'ownerId' | 'address.city'
    >()
    // A resource without declared fields takes any path.
    expectTypeOf<FieldOf<C, 'product'>>().toEqualTypeOf<string>()
    expectTypeOf<P['resources']['partner']>().toEqualTypeOf<
      readonly ('read' | 'create' | 'update' | 'delete')[]
    >()
  })

  it('can() and explain() take declared permissions only', () => {
    const check = (policy: P) => {
      expectTypeOf(policy.can(user, 'partner:read')).toEqualTypeOf<boolean>()
      expectTypeOf(policy.explain(user, 'product:update', {})).toEqualTypeOf<Decision>()
      // @ts-expect-error a typo in the action
      policy.can(user, 'partner:delet')
      // @ts-expect-error an undeclared resource
      policy.explain(user, 'invoice:read')
      // @ts-expect-error product has no delete
      policy.can(user, 'product:delete')
      // @ts-expect-error patterns are for rules, not checks
      policy.can(user, 'partner:*')
    }
    void check
  })

  it('fields are typed by the permission resource', () => {
    const check = (policy: P) => {
      policy.can(user, 'partner:read', undefined, { fields: ['name', 'address.city'] })
      // @ts-expect-error not a declared field of partner
      policy.can(user, 'partner:read', undefined, { fields: ['nmae'] })
      // product declares no fields: any path
      policy.explain(user, 'product:read', undefined, { fields: ['anything.at.all'] })
      policy.checkWrite(user, 'partner:update', { name: 'x' }, { resource: {}, mode: 'strip' })
      expectTypeOf(policy.fieldMask(user, 'partner:read')).toEqualTypeOf<FieldMask>()
    }
    void check
  })

  it('filter keeps the value type, partially', () => {
    const check = (policy: P) => {
      const one = policy.filter(user, 'partner:read', { id: 1, name: 'a' })
      expectTypeOf(one).toEqualTypeOf<Partial<{ id: number; name: string }> | undefined>()
      const many = policy.filter(user, 'partner:read', [{ id: 1 }])
      expectTypeOf(many).toEqualTypeOf<Partial<{ id: number }>[]>()
    }
    void check
  })

  it('an untyped policy takes any resource:action', () => {
    const check = (policy: Policy) => {
      policy.can(user, 'whatever:read')
      expectTypeOf<Permission<PolicyConfig>>().toEqualTypeOf<`${string}:${string}`>()
      expectTypeOf<CheckOptions['fields']>().toEqualTypeOf<readonly string[] | undefined>()
    }
    void check
  })
})

describe('config checking', () => {
  it('rule patterns must name declared resources and actions', () => {
    type G = GrantPattern<C>
    expectTypeOf<'partner:*'>().toExtend<G>()
    expectTypeOf<'*:read'>().toExtend<G>()
    expectTypeOf<'*'>().toExtend<G>()
    expectTypeOf<'*:*:own'>().toExtend<G>()
    expectTypeOf<'partner:update:own'>().toExtend<G>()
    expectTypeOf<'partner:delet'>().not.toExtend<G>()
    expectTypeOf<'*:own'>().not.toExtend<G>()
    expectTypeOf<'*:nope'>().not.toExtend<G>()
  })

  it('definePolicy refuses unknown patterns and parents at compile time', () => {
    const bad = () => {
      definePolicy({
        resources: { partner: { actions: ['read'] } },
        // @ts-expect-error 'partner:raed' is not a declared permission
        roles: { viewer: { grants: ['partner:raed'] } },
      })
      definePolicy({
        resources: { partner: { actions: ['read'] } },
        // @ts-expect-error 'viewr' is not a declared role
        roles: { viewer: { grants: ['partner:read'] }, editor: { inherits: ['viewr'] } },
      })
      definePolicy({
        resources: { partner: { actions: ['read'] } },
        // @ts-expect-error deny rules have no ':own'
        roles: { viewer: { deny: ['partner:read:own'] } },
      })
    }
    void bad
  })

  it('a config built at run time is accepted, and checked at run time only', () => {
    const config: PolicyConfig = { resources: {}, roles: {} }
    const make = () => definePolicy(config)
    expectTypeOf(make).returns.toEqualTypeOf<Policy<PolicyConfig>>()
  })
})

describe('the guard', () => {
  it('any policy fits what requireGuard needs', () => {
    const check = (typed: P, untyped: Policy) => {
      const a: GuardPolicy = typed
      const b: GuardPolicy = untyped
      typed.require('partner:update', { hide: true })
      // @ts-expect-error require takes declared permissions only
      typed.require('partner:upd')
      void a
      void b
    }
    void check
  })
})
