/**
 * `@rampart/rbac` against CASL on the source guides' ERP policy: viewer ⊂ editor ⊂ manager ⊂ admin
 * over partners and products, credit limit and VAT id readable by managers only.
 *
 * CASL has no role hierarchy, so its abilities are built the way its docs show: one
 * `AbilityBuilder` per user that applies the rules of the user's role and of every role below it
 * (editors may update and delete the partners they own: a `{ ownerId: user.id }` condition).
 * Each ability is built once at load, as an app caches it per user; ours compiles the policy once
 * (`definePolicy`) and answers for any principal.
 * @module
 */
import { AbilityBuilder, createMongoAbility, type MongoAbility, subject } from '@casl/ability'
import { permittedFieldsOf } from '@casl/ability/extra'
import { definePolicy, type RbacPrincipal } from '@rampart/rbac'
import pick from 'lodash.pick'
import { formatNumber } from '../markdown.js'
import { anchorName, type CaseResult, defineSuite, microCase } from '../micro.js'
import {
  largeConfig,
  OTHERS,
  OWN,
  PARTNER_FIELDS,
  PARTNER_PUBLIC,
  type Partner,
  POLICY,
  PRINCIPALS,
  PRODUCT_FIELDS,
  PRODUCT_PUBLIC,
  ROLES,
  type Role,
  TYPE_CHECKS,
  type TypePermission,
} from '../rbac/fixture.js'

// --- CASL's side: one ability per user, the role's rules and those of the roles below it ----

const PARTNER_WRITABLE = PARTNER_FIELDS.filter((f) => f !== 'id' && f !== 'tenant')
const EDITOR_WRITABLE = PARTNER_PUBLIC.filter((f) => f !== 'id' && f !== 'tenant')

function caslAbility(role: Role, userId: string): MongoAbility {
  const { can, build } = new AbilityBuilder(createMongoAbility)
  const level = ROLES.indexOf(role)
  if (level >= 0) {
    can('read', 'Partner', PARTNER_PUBLIC)
    can('read', 'Product', PRODUCT_PUBLIC)
  }
  if (level >= 1) {
    can('create', 'Partner', PARTNER_PUBLIC, { ownerId: userId })
    can('update', 'Partner', EDITOR_WRITABLE, { ownerId: userId })
    can('delete', 'Partner', { ownerId: userId })
  }
  if (level >= 2) {
    can('read', 'Partner')
    can('create', 'Partner')
    can('update', 'Partner', PARTNER_WRITABLE)
    can('read', 'Product')
    can(
      'update',
      'Product',
      PRODUCT_FIELDS.filter((f) => f !== 'id'),
    )
  }
  if (level >= 3) can('manage', 'all')
  return build()
}

const ABILITIES = Object.fromEntries(
  ROLES.map((role) => [role, caslAbility(role, PRINCIPALS[role].id)]),
) as Record<Role, MongoAbility>

// CASL tells a plain object's type from a property `subject()` sets on it (once, here).
const OWN_SUBJECT = subject('Partner', { ...OWN })
const OTHERS_SUBJECT = subject('Partner', { ...OTHERS })

// --- the cases' inputs -------------------------------------------------------------------------

interface TypeCheck {
  readonly principal: RbacPrincipal
  readonly ability: MongoAbility
  readonly permission: TypePermission
  readonly action: string
  readonly subject: string
}

function typeCheck(role: Role, permission: TypeCheck['permission']): TypeCheck {
  const [resource, action] = permission.split(':') as [string, string]
  return {
    principal: PRINCIPALS[role],
    ability: ABILITIES[role],
    permission,
    action,
    subject: resource === 'partner' ? 'Partner' : 'Product',
  }
}

const TYPE_INPUTS: readonly TypeCheck[] = TYPE_CHECKS.map(([role, permission]) =>
  typeCheck(role, permission),
)

interface OwnershipCheck {
  readonly principal: RbacPrincipal
  readonly ability: MongoAbility
  readonly record: Partner
  readonly subject: object
}

function ownership(role: Role, own: boolean): OwnershipCheck {
  return {
    principal: PRINCIPALS[role],
    ability: ABILITIES[role],
    record: own ? OWN : OTHERS,
    subject: own ? OWN_SUBJECT : OTHERS_SUBJECT,
  }
}

/** `partner:update` on a record: the editor owns the first and not the second. */
const OWNERSHIP_CHECKS: readonly OwnershipCheck[] = [
  ownership('editor', true),
  ownership('editor', false),
  ownership('manager', false),
  ownership('viewer', true),
]

const READS: readonly OwnershipCheck[] = [
  ownership('viewer', true),
  ownership('editor', false),
  ownership('manager', true),
]

const caslRead = (r: OwnershipCheck) =>
  pick(
    r.record,
    permittedFieldsOf(r.ability, 'read', r.subject as never, {
      fieldsFrom: (rule) => rule.fields ?? PARTNER_FIELDS,
    }),
  )

// --- compiling ---------------------------------------------------------------------------------

const LARGE = largeConfig()
/** The large policy's rules per role, flattened (CASL has no hierarchy: its users do this). */
const LARGE_RULES = (() => {
  const compiled = definePolicy(LARGE)
  return compiled.roles.map((role) => {
    const rules: { action: string; subject: string; fields?: string[] }[] = []
    for (const [resource, actions] of Object.entries(compiled.resources)) {
      for (const action of actions as readonly string[]) {
        if (compiled.can({ id: 'x', roles: [role] }, `${resource}:${action}` as never)) {
          rules.push({ action, subject: resource })
        }
      }
    }
    return rules
  })
})()

/** definePolicy of the large config, timed on its own: the absolute target is 50 ms. */
function compileMs(): number {
  const times: number[] = []
  for (let i = 0; i < 15; i++) {
    const start = performance.now()
    definePolicy(LARGE)
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)] as number
}

// --- the suite ---------------------------------------------------------------------------------

const TYPE = 'type-level check (`can(user, "partner:read")`)'
const OWNERSHIP = 'ownership check on a record (`partner:update`)'
const FIELDS = 'read fields of a partner (CASL: `permittedFieldsOf` + `pick`)'

function summary(cases: readonly CaseResult[]): string | undefined {
  const ratio = (name: string) => cases.find((c) => c.name === name)?.ratio
  const type = ratio(TYPE)
  const own = ratio(OWNERSHIP)
  if (type === undefined || own === undefined) return undefined
  const ms = compileMs()
  return [
    `**Type-level checks: ${type.toFixed(2)}× CASL (target: at least 1×, ${type >= 1 ? 'met' : 'not met'}).**`,
    `**Ownership checks: ${own.toFixed(2)}× CASL (target: at least 2×, ${own >= 2 ? 'met' : 'not met'}).**`,
    `**Compiling 100 roles / 1,000 grants: ${formatNumber(ms, 1)} ms, median of 15 (target: under 50 ms, ${ms < 50 ? 'met' : 'not met'}).**`,
  ].join(' ')
}

export default defineSuite({
  name: 'rbac-casl',
  title: '@rampart/rbac vs CASL',
  ours: '@rampart/rbac',
  anchor: anchorName('@casl/ability'),
  description:
    "The source guides' ERP policy (viewer ⊂ editor ⊂ manager ⊂ admin over partners and products; credit limit and VAT id for managers; editors update and delete their own partners). Ours: one `definePolicy()`, `policy.can()` / `policy.filter()` for any principal. CASL: one `createMongoAbility` per user built with `AbilityBuilder` (its roles' rules applied from the lowest up, as its docs show, since CASL has no hierarchy), `ability.can()`, `permittedFieldsOf` + lodash `pick`. Targets: at least CASL's speed on type-level checks, 2× on ownership checks, compiling 100 roles / 1,000 grants under 50 ms.",
  readmes: ['packages/rbac/README.md'],
  summary,
  cases: [
    microCase({
      name: TYPE,
      inputs: TYPE_INPUTS,
      ours: (c: TypeCheck) => POLICY.can(c.principal, c.permission),
      anchor: (c: TypeCheck) => c.ability.can(c.action, c.subject),
      note: 'eight checks over four roles, none conditional (CASL would answer `true` to `update Partner` for an editor who may update only their own partners; ours answers `conditional`).',
    }),
    microCase({
      name: OWNERSHIP,
      inputs: OWNERSHIP_CHECKS,
      ours: (c: OwnershipCheck) => POLICY.can(c.principal, 'partner:update', c.record),
      anchor: (c: OwnershipCheck) => c.ability.can('update', c.subject as never),
      note: "an editor on the partner it owns and on another's, a manager, a viewer. Ours also checks the record's tenant against the principal's.",
    }),
    microCase({
      name: FIELDS,
      inputs: READS,
      ours: (c: OwnershipCheck) => POLICY.filter(c.principal, 'partner:read', c.record),
      anchor: caslRead,
      note: 'the same fields on both sides (checked): viewers and editors without `creditLimit` and `vatId`, managers everything.',
    }),
    microCase({
      name: 'compile 100 roles / 1,000 grants (CASL: 100 abilities)',
      inputs: [LARGE],
      ours: (config: typeof LARGE) => definePolicy(config).roles.length,
      anchor: () => LARGE_RULES.map((rules) => createMongoAbility(rules)).length,
      note: 'ours validates the config and compiles the hierarchy, wildcards and field masks; CASL builds one ability per role from rules we flattened for it at load (it has no hierarchy or wildcard resolution to do). Both return the role count (checked).',
    }),
  ],
})
