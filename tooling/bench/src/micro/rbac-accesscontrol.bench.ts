/**
 * `@rampart/rbac` against accesscontrol on the source guides' ERP policy: reading a partner
 * record filtered to the fields a role may see, and type-level checks.
 *
 * accesscontrol's side is written as its README shows: roles granted with `.extend()` for the
 * hierarchy, attributes as glob lists (`['*', '!creditLimit', '!vatId']`), and per request
 * `ac.can(role).readAny('partner')` then `permission.filter(record)`.
 * @module
 */

import type { RbacPrincipal } from '@rampart/rbac'
import { AccessControl } from 'accesscontrol'
import { anchorName, type CaseResult, defineSuite, microCase } from '../micro.js'
import {
  OTHERS,
  OWN,
  type Partner,
  POLICY,
  PRINCIPALS,
  type Role,
  TYPE_CHECKS,
  type TypePermission,
} from '../rbac/fixture.js'

const ac = new AccessControl()
ac.grant('viewer')
  .readAny('partner', ['*', '!creditLimit', '!vatId'])
  .readAny('product', ['*', '!cost'])
ac.grant('editor').extend('viewer').createOwn('partner', ['*', '!creditLimit', '!vatId'])
ac.grant('manager')
  .extend('editor')
  .readAny('partner', ['*'])
  .createAny('partner', ['*'])
  .readAny('product', ['*'])
  .updateAny('product', ['*', '!id'])
ac.grant('admin')
  .extend('manager')
  .deleteAny('partner', ['*'])
  .deleteAny('product', ['*'])
  .createAny('product', ['*'])

interface Read {
  readonly role: Role
  readonly principal: RbacPrincipal
  readonly record: Partner
}

const read = (role: Role, record: Partner): Read => ({
  role,
  principal: PRINCIPALS[role],
  record,
})

const READS: readonly Read[] = [
  read('viewer', OWN),
  read('editor', OTHERS),
  read('manager', OWN),
  read('admin', OTHERS),
]

interface Check {
  readonly role: Role
  readonly permission: TypePermission
}

const CHECKS: readonly Check[] = TYPE_CHECKS.map(([role, permission]) => ({ role, permission }))

function anchorCheck(c: Check): boolean {
  const [resource, action] = c.permission.split(':') as [string, string]
  const query = ac.can(c.role)
  switch (action) {
    case 'read':
      return query.readAny(resource).granted
    case 'update':
      return query.updateAny(resource).granted
    default:
      return query.deleteAny(resource).granted
  }
}

const FIELDS = 'read fields of a partner (`can(role).readAny()` + `filter()`)'

function summary(cases: readonly CaseResult[]): string | undefined {
  const fields = cases.find((c) => c.name === FIELDS)
  if (fields === undefined) return undefined
  return `**Field filtering: ${fields.ratio.toFixed(2)}× accesscontrol (target: at least 10×, ${fields.ratio >= 10 ? 'met' : 'not met'}).**`
}

export default defineSuite({
  name: 'rbac-accesscontrol',
  title: '@rampart/rbac vs accesscontrol',
  ours: '@rampart/rbac',
  anchor: anchorName('accesscontrol'),
  description:
    "The source guides' ERP policy: a partner record read by each role, filtered to the fields it may see (credit limit and VAT id for managers and admins only), and type-level checks. Ours `policy.filter(principal, 'partner:read', record)` and `policy.can()`; accesscontrol `ac.can(role).readAny('partner').filter(record)` and `.granted`, roles with `.extend()`, attributes as glob lists. Target: at least 10× accesscontrol on field filtering.",
  readmes: ['packages/rbac/README.md'],
  summary,
  cases: [
    microCase({
      name: FIELDS,
      inputs: READS,
      ours: (r: Read) => POLICY.filter(r.principal, 'partner:read', r.record),
      anchor: (r: Read) => ac.can(r.role).readAny('partner').filter(r.record),
      note: 'the same fields on both sides (checked). accesscontrol deep-copies the record while filtering; ours copies the top level and shares the nested values it keeps whole (the input is never mutated).',
    }),
    microCase({
      name: 'type-level check, 4-role hierarchy',
      inputs: CHECKS,
      ours: (c: Check) => POLICY.can(PRINCIPALS[c.role], c.permission),
      anchor: anchorCheck,
      note: 'the CASL suite’s eight checks, answers checked equal.',
    }),
  ],
})
