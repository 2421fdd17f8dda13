/**
 * `@rampart/rbac` against casbin on type-level checks of the source guides' 4-role hierarchy
 * (viewer ⊂ editor ⊂ manager ⊂ admin over partners and products).
 *
 * casbin's side is its RBAC model as its docs write it: `p = sub, obj, act`, `g = _, _` for the
 * role hierarchy and the users' roles, `m = g(r.sub, p.sub) && r.obj == p.obj && r.act ==
 * p.act`, the policy loaded from CSV text (`StringAdapter`), `enforceSync(user, obj, act)`.
 * @module
 */
import { newEnforcer, newModelFromString, StringAdapter } from 'casbin'
import { anchorName, defineSuite, microCase } from '../micro.js'
import {
  POLICY,
  PRINCIPALS,
  ROLES,
  type Role,
  TYPE_CHECKS,
  type TypePermission,
} from '../rbac/fixture.js'

const MODEL = `
[request_definition]
r = sub, obj, act

[policy_definition]
p = sub, obj, act

[role_definition]
g = _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = g(r.sub, p.sub) && r.obj == p.obj && r.act == p.act
`

/**
 * The ERP policy's unconditional grants (casbin's RBAC model has no ownership): each role's
 * own, the hierarchy as `g` lines, each user's role.
 */
const CSV = [
  'p, viewer, partner, read',
  'p, viewer, product, read',
  'p, editor, partner, create',
  'p, manager, product, update',
  ...['partner', 'product'].flatMap((obj) =>
    ['read', 'create', 'update', 'delete'].map((act) => `p, admin, ${obj}, ${act}`),
  ),
  'g, editor, viewer',
  'g, manager, editor',
  'g, admin, manager',
  ...ROLES.map((role) => `g, ${PRINCIPALS[role].id}, ${role}`),
].join('\n')

const enforcer = await newEnforcer(newModelFromString(MODEL), new StringAdapter(CSV))

interface Check {
  readonly role: Role
  readonly permission: TypePermission
  readonly obj: string
  readonly act: string
}

const CHECKS: readonly Check[] = TYPE_CHECKS.map(([role, permission]) => {
  const [obj, act] = permission.split(':') as [string, string]
  return { role, permission, obj, act }
})

export default defineSuite({
  name: 'rbac-casbin',
  title: '@rampart/rbac vs casbin',
  ours: '@rampart/rbac',
  anchor: anchorName('casbin'),
  description:
    "Type-level checks on the source guides' 4-role hierarchy (viewer ⊂ editor ⊂ manager ⊂ admin): ours `policy.can(principal, 'partner:read')`, casbin `enforceSync(user, 'partner', 'read')` with its RBAC model (`g(r.sub, p.sub) && r.obj == p.obj && r.act == p.act`, the hierarchy and users' roles as `g` lines) loaded from CSV text.",
  readmes: ['packages/rbac/README.md'],
  cases: [
    microCase({
      name: 'type-level check, 4-role hierarchy',
      inputs: CHECKS,
      ours: (c: Check) => POLICY.can(PRINCIPALS[c.role], c.permission),
      anchor: (c: Check) => enforcer.enforceSync(PRINCIPALS[c.role].id, c.obj, c.act),
      note: 'eight checks over four roles (the same as the CASL suite), answers checked equal.',
    }),
  ],
})
