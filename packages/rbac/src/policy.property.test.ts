// Properties over random small policies: declaration order never changes a decision, denies
// only ever take away, grants only ever add.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { definePolicy, type Policy } from './policy.js'
import type {
  Condition,
  DenyConfig,
  GrantConfig,
  PolicyConfig,
  RbacPrincipal,
  ResourceConfig,
  RoleConfig,
} from './types.js'

const ACTIONS = ['x', 'y', 'z']
const FIELDS = ['o', 'f1', 'f2', 'g.h']
const FIELD_PATTERNS = ['f1', 'f2', 'g', 'g.h', '*', '**', '!f1', '!g.h', 'g.*']
const PATHS = ['o', 'f1', 'f2', 'g', 'g.h', 'g.k', 'other']
const CONDITIONS: Record<string, Condition> = {
  flagged: (_p, r) => (r as { flag?: boolean }).flag === true,
  unflagged: (_p, r) => (r as { flag?: boolean }).flag !== true,
  u1: (p) => p.id === 'u1',
  throws: () => {
    throw new Error('condition failed to run')
  },
}

/** A policy config built from plain data, so it can be shuffled and rebuilt. */
interface Spec {
  readonly resources: readonly string[]
  /** Which resources declare an owner (the first always does). */
  readonly owned: readonly boolean[]
  readonly roles: readonly RoleSpec[]
}
interface RoleSpec {
  readonly inherits: readonly number[]
  readonly grants: readonly RuleSpec[]
  readonly deny: readonly RuleSpec[]
}
interface RuleSpec {
  readonly resource: string
  readonly action: string
  readonly own: boolean
  readonly when: string | undefined
  readonly fields: readonly string[] | undefined
  readonly asString: boolean
}

const ruleArb = (resources: readonly string[], owned: readonly boolean[], deny: boolean) =>
  fc
    .record({
      // Wildcards often, so that rules overlap on the same permissions.
      resource: fc.constantFrom('*', '*', ...resources),
      action: fc.constantFrom('*', '*', ...ACTIONS),
      own: deny ? fc.constant(false) : fc.boolean(),
      when: fc.option(fc.constantFrom(...Object.keys(CONDITIONS)), { nil: undefined }),
      fields: fc.option(
        fc.uniqueArray(fc.constantFrom(...FIELD_PATTERNS), { minLength: 1, maxLength: 3 }),
        {
          nil: undefined,
          freq: 2,
        },
      ),
      asString: fc.boolean(),
    })
    .map((r) => {
      // `own` only where some matched resource has an owner (the first resource always does).
      const ownable = r.resource === '*' || owned[resources.indexOf(r.resource)] === true
      return { ...r, own: r.own && ownable }
    })

const specArb: fc.Arbitrary<Spec> = fc
  .record({
    count: fc.integer({ min: 2, max: 3 }),
    owned: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    roleCount: fc.integer({ min: 1, max: 5 }),
  })
  .chain(({ count, owned, roleCount }) => {
    const resources = ['a', 'b', 'c'].slice(0, count)
    const own = [true, ...owned.slice(1, count)]
    const roles = Array.from({ length: roleCount }, (_, i) =>
      fc.record({
        inherits:
          i === 0
            ? fc.constant([])
            : fc.uniqueArray(fc.integer({ min: 0, max: i - 1 }), { maxLength: 2 }),
        grants: fc.array(ruleArb(resources, own, false), { maxLength: 5 }),
        deny: fc.array(ruleArb(resources, own, true), { maxLength: 2 }),
      }),
    )
    return fc.tuple(...roles).map((r) => ({ resources, owned: own, roles: r }))
  })

function ruleConfig(rule: RuleSpec, deny: boolean): string | GrantConfig | DenyConfig {
  const pattern = `${rule.resource}:${rule.action}`
  const plain = rule.when === undefined && rule.fields === undefined
  if (plain && rule.asString) return rule.own ? `${pattern}:own` : pattern
  const when = rule.when === undefined ? {} : { when: CONDITIONS[rule.when] }
  const fields = rule.fields === undefined ? {} : { fields: rule.fields }
  if (deny) return { deny: pattern, ...when, ...fields }
  return { allow: pattern, ...(rule.own ? { possession: 'own' as const } : {}), ...when, ...fields }
}

/** Builds the config; `shuffle` reorders roles, rules and parents (deterministically by seed). */
function build(spec: Spec, shuffle?: () => number): PolicyConfig {
  const mix = <T>(list: readonly T[]): T[] => {
    const out = [...list]
    if (shuffle === undefined) return out
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(shuffle() * (i + 1))
      ;[out[i], out[j]] = [out[j] as T, out[i] as T]
    }
    return out
  }
  const resources: Record<string, ResourceConfig> = {}
  spec.resources.forEach((name, i) => {
    resources[name] = { actions: ACTIONS, fields: FIELDS, ...(spec.owned[i] ? { owner: 'o' } : {}) }
  })
  const roles: Record<string, RoleConfig> = {}
  for (const i of mix(spec.roles.map((_, k) => k))) {
    const role = spec.roles[i] as RoleSpec
    roles[`r${i}`] = {
      inherits: mix(role.inherits.map((p) => `r${p}`)),
      grants: mix(role.grants.map((g) => ruleConfig(g, false) as string | GrantConfig)),
      deny: mix(role.deny.map((d) => ruleConfig(d, true) as string | DenyConfig)),
    }
  }
  return { resources, roles }
}

function seeded(seed: number): () => number {
  let s = seed >>> 0 || 1
  return () => {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    return (s >>> 0) / 4_294_967_296
  }
}

const principalArb = fc.record({
  id: fc.constantFrom('u1', 'u2'),
  roles: fc.uniqueArray(fc.constantFrom('r0', 'r1', 'r2', 'r3', 'r4', 'ghost'), { maxLength: 3 }),
})
const resourceArb = fc.record(
  {
    o: fc.constantFrom('u1', 'u2'),
    flag: fc.boolean(),
    f1: fc.integer(),
    f2: fc.constant(null),
    g: fc.record({ h: fc.string(), k: fc.integer() }),
  },
  { requiredKeys: ['o'] },
)

/** Every decision and mask a policy gives over the same checks, as comparable data. */
function answers(policy: Policy, spec: Spec, principals: RbacPrincipal[], records: object[]) {
  const out: unknown[] = []
  for (const principal of principals) {
    for (const r of spec.resources) {
      for (const a of ACTIONS) {
        const permission = `${r}:${a}` as const
        for (const resource of [undefined, ...records]) {
          for (const options of [undefined, { fields: ['f1', 'g.h'] }]) {
            const d = policy.explain(principal, permission, resource, options)
            out.push(d.effect === 'deny' ? `deny:${d.reason}:${d.fields ?? ''}` : d.effect)
          }
          const mask = policy.fieldMask(principal, permission, resource)
          out.push(PATHS.map((p) => (mask.allows(p) ? 1 : 0)).join(''))
        }
      }
    }
  }
  return out
}

describe('policy properties', () => {
  it('declaration order never changes a decision or a mask', () => {
    fc.assert(
      fc.property(
        specArb,
        fc.array(principalArb, { minLength: 1, maxLength: 3 }),
        fc.array(resourceArb, { minLength: 1, maxLength: 3 }),
        fc.integer(),
        (spec, principals, records, seed) => {
          const original = answers(definePolicy(build(spec)), spec, principals, records)
          const shuffled = answers(
            definePolicy(build(spec, seeded(seed))),
            spec,
            principals,
            records,
          )
          expect(shuffled).toEqual(original)
        },
      ),
      { numRuns: 150 },
    )
  })

  /** Adds one rule to one role of a spec. */
  const withExtra = (spec: Spec, role: number, rule: RuleSpec, deny: boolean): Spec => ({
    ...spec,
    roles: spec.roles.map((r, i) =>
      i !== role % spec.roles.length
        ? r
        : deny
          ? { ...r, deny: [...r.deny, rule] }
          : { ...r, grants: [...r.grants, rule] },
    ),
  })

  /** Allow answers (and allowed mask paths) as sets of positions, for inclusion checks. */
  const allowed = (policy: Policy, spec: Spec, principals: RbacPrincipal[], records: object[]) => {
    const out: boolean[] = []
    for (const principal of principals) {
      for (const r of spec.resources) {
        for (const a of ACTIONS) {
          for (const resource of [undefined, ...records]) {
            out.push(policy.can(principal, `${r}:${a}` as const, resource))
            out.push(
              policy.can(principal, `${r}:${a}` as const, resource, { fields: ['f1', 'g.h'] }),
            )
            const mask = policy.fieldMask(principal, `${r}:${a}` as const, resource)
            for (const p of PATHS) out.push(mask.allows(p))
          }
        }
      }
    }
    return out
  }

  const extraArb = specArb.chain((spec) =>
    fc.record({
      spec: fc.constant(spec),
      role: fc.nat(),
      grant: ruleArb(spec.resources, spec.owned, false),
      deny: ruleArb(spec.resources, spec.owned, true),
    }),
  )

  it('adding a deny never turns a refusal into an allow (nor widens a mask)', () => {
    fc.assert(
      fc.property(
        extraArb,
        fc.array(principalArb, { minLength: 1, maxLength: 3 }),
        fc.array(resourceArb, { minLength: 1, maxLength: 2 }),
        ({ spec, role, deny }, principals, records) => {
          const before = allowed(definePolicy(build(spec)), spec, principals, records)
          const more = withExtra(spec, role, deny, true)
          const after = allowed(definePolicy(build(more)), spec, principals, records)
          after.forEach((yes, i) => {
            if (yes) expect(before[i]).toBe(true)
          })
        },
      ),
      { numRuns: 150 },
    )
  })

  it('adding a grant never turns an allow into a refusal (nor narrows a mask)', () => {
    fc.assert(
      fc.property(
        extraArb,
        fc.array(principalArb, { minLength: 1, maxLength: 3 }),
        fc.array(resourceArb, { minLength: 1, maxLength: 2 }),
        ({ spec, role, grant }, principals, records) => {
          const before = allowed(definePolicy(build(spec)), spec, principals, records)
          const more = withExtra(spec, role, grant, false)
          const after = allowed(definePolicy(build(more)), spec, principals, records)
          before.forEach((yes, i) => {
            if (yes) expect(after[i]).toBe(true)
          })
        },
      ),
      { numRuns: 150 },
    )
  })
})
