/**
 * What the three rbac suites share: the source guides' ERP policy (a 4-role hierarchy viewer ⊂
 * editor ⊂ manager ⊂ admin over partners and products, with field permissions), the principals
 * holding each role, the records, and a generated 100-role / 1,000-grant policy for the compile
 * case.
 * @module
 */
import type { PolicyConfig, RbacPrincipal } from '@rampart/rbac'
import { erpConfig, erpPartners, erpPolicy, type Partner } from '@rampart/rbac/testing'

export { erpConfig, type Partner }

/** The ERP policy, compiled once. */
export const POLICY = erpPolicy()

/** The four roles, lowest first. */
export const ROLES = ['viewer', 'editor', 'manager', 'admin'] as const
export type Role = (typeof ROLES)[number]

/** The permissions the type-level cases ask about. */
export type TypePermission = 'partner:read' | 'partner:delete' | 'product:update' | 'product:read'

/**
 * The type-level checks every rbac suite times: eight over four roles, none that depends on a
 * record (CASL answers `true` to `can('update', 'Partner')` for an editor who may update only
 * their own partners; ours answers `conditional`), so every side's answers can be checked equal.
 */
export const TYPE_CHECKS: readonly (readonly [Role, TypePermission])[] = [
  ['viewer', 'partner:read'],
  ['viewer', 'partner:delete'],
  ['editor', 'product:read'],
  ['editor', 'product:update'],
  ['manager', 'product:update'],
  ['viewer', 'product:update'],
  ['admin', 'partner:delete'],
  ['admin', 'product:read'],
]

/** One principal per role, all in tenant `acme` (the records' tenant). */
export const PRINCIPALS: Readonly<Record<Role, RbacPrincipal>> = {
  viewer: { id: 'vera', roles: ['viewer'], tenant: 'acme' },
  editor: { id: 'alice', roles: ['editor'], tenant: 'acme' },
  manager: { id: 'max', roles: ['manager'], tenant: 'acme' },
  admin: { id: 'ada', roles: ['admin'], tenant: 'acme' },
}

const partners = erpPartners()
/** A partner alice (the editor) owns, and one bob owns: both in tenant `acme`. */
export const OWN: Partner = partners.p1 as Partner
export const OTHERS: Partner = partners.p2 as Partner

/** Every top-level partner field. */
export const PARTNER_FIELDS = Object.keys(OWN)
/** What viewers and editors may read: every partner field but the credit limit and VAT id. */
export const PARTNER_PUBLIC = PARTNER_FIELDS.filter((f) => f !== 'creditLimit' && f !== 'vatId')
export const PRODUCT_FIELDS = ['id', 'name', 'price', 'cost', 'stock']
export const PRODUCT_PUBLIC = PRODUCT_FIELDS.filter((f) => f !== 'cost')

const RESOURCES = 10
const ACTIONS = ['read', 'create', 'update', 'delete', 'export']
const FIELDS = ['id', 'name', 'email', 'owner', 'secret', 'address.city', 'address.street']

/**
 * 100 roles with 10 grants each (1,000 grants) over 10 resources × 5 actions: each role
 * inherits from up to two earlier roles; grants mix plain permissions, resource and action
 * wildcards, `own` possession and field lists with negations. Deterministic.
 */
export function largeConfig(): PolicyConfig {
  const resources: Record<string, { actions: string[]; fields: string[]; owner: string }> = {}
  for (let r = 0; r < RESOURCES; r++) {
    resources[`res${r}`] = { actions: ACTIONS, fields: FIELDS, owner: 'owner' }
  }
  const roles: Record<string, { inherits?: string[]; grants: unknown[] }> = {}
  for (let i = 0; i < 100; i++) {
    const grants: unknown[] = []
    for (let g = 0; g < 10; g++) {
      const n = i * 10 + g
      const resource = `res${n % RESOURCES}`
      const action = ACTIONS[(n >> 1) % ACTIONS.length] as string
      switch (n % 5) {
        case 0:
          grants.push(`${resource}:${action}`)
          break
        case 1:
          grants.push(`${resource}:${action}:own`)
          break
        case 2:
          grants.push({ allow: `${resource}:*`, fields: ['*', '!secret'] })
          break
        case 3:
          grants.push({ allow: `*:${action}`, fields: ['name', 'address.*'] })
          break
        default:
          grants.push({ allow: [`${resource}:${action}`], possession: 'own', fields: ['**'] })
      }
    }
    const inherits = i === 0 ? undefined : [`role${(i * 7) % i}`, `role${i - 1}`]
    roles[`role${i}`] = {
      ...(inherits === undefined ? {} : { inherits: [...new Set(inherits)] }),
      grants,
    }
  }
  return { resources, roles } as PolicyConfig
}
