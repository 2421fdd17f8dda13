/**
 * `definePolicy()` validation: the schema's checks of the shape (`schema.ts`), then those a
 * schema cannot make (names, cross references, role cycles, patterns), all collected so one
 * error lists every problem. The output is the normalised policy the compiler trusts.
 * @module
 */
import { closestMatch } from '@rampart/core'
import { PolicyConfigError, type PolicyIssue, type PolicyIssueCode } from './errors.js'
import { walkRoles } from './graph.js'
import { compileMask, patternError } from './mask.js'
import { isReservedName, nameProblem, type ParsedPermission, parsePermission } from './names.js'
import { schemaIssues } from './schema.js'
import type { Condition, RuleRef } from './types.js'

/** A resource type after validation. */
export interface NormalizedResource {
  readonly name: string
  readonly actions: readonly string[]
  /** Declared field paths; `undefined`: any path. */
  readonly fields: readonly string[] | undefined
  /** The owner field's path segments, or the owner predicate. */
  readonly owner: readonly string[] | Condition | undefined
  /** The tenant field's path segments. */
  readonly tenant: readonly string[] | undefined
}

/** One permission pattern of a grant or deny rule after validation. */
export interface NormalizedRule {
  readonly ref: RuleRef
  /** A declared resource, or `'*'`. */
  readonly resource: string
  /** A declared action, or `'*'`. */
  readonly action: string
  /** Grants only: holds on the principal's own resources only. */
  readonly own: boolean
  readonly when: Condition | undefined
  /** Grants: the fields covered (`undefined`: all). Denies: the fields denied (`undefined`: the permission). */
  readonly fields: readonly string[] | undefined
}

/** A role after validation. */
export interface NormalizedRole {
  readonly name: string
  readonly inherits: readonly string[]
  readonly grants: readonly NormalizedRule[]
  readonly denies: readonly NormalizedRule[]
  readonly global: boolean
}

/** A validated policy, ready to compile. */
export interface NormalizedPolicy {
  readonly resources: readonly NormalizedResource[]
  /** In declaration order. */
  readonly roles: readonly NormalizedRole[]
  /** Role names, each after all of its ancestors. */
  readonly order: readonly string[]
}

// --- semantic checks ----------------------------------------------------------------------------

type Dict = Record<string, unknown>

function isObject(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

function hint(input: string, candidates: Iterable<string>): string {
  const near = closestMatch(input, candidates)
  return near === undefined ? '' : ` Did you mean '${near}'?`
}

/** Collects the problems of one policy and builds its normalised form. */
class Checker {
  readonly issues: PolicyIssue[] = []
  /** Field lists compiled so far (joined by newlines): the error, or `''` when they compiled. */
  private readonly compiled = new Map<string, string>()
  readonly resources = new Map<string, NormalizedResource>()
  /** Resources whose config is broken: rules naming them are not checked further. */
  readonly broken = new Set<string>()
  readonly allActions = new Set<string>()
  /** Per resource: its actions, its declared fields, and those fields with their ancestors. */
  readonly shapes = new Map<
    string,
    { actions: Set<string>; fields: Set<string> | undefined; prefixes: Set<string> }
  >()

  report(path: string, code: PolicyIssueCode, message: string): void {
    this.issues.push({ path, code, message })
  }

  /** A record given as an object literal with a `__proto__` key has a foreign prototype. */
  checkPrototype(value: Dict, path: string): void {
    const proto = Object.getPrototypeOf(value)
    if (proto !== Object.prototype && proto !== null) {
      this.report(
        path,
        'reserved-name',
        "has a custom prototype (a '__proto__' key in an object literal?): declare plain names only",
      )
    }
  }

  name(name: string, path: string, what: string): boolean {
    const problem = nameProblem(name)
    if (problem === undefined) return true
    this.report(path, problem.code, `${what} ${problem.message}`)
    return false
  }

  /** A declared field, owner or tenant path: plain dotted keys, no pattern syntax. */
  plainPath(path: string, at: string): readonly string[] | undefined {
    const segments = path.split('.')
    const reserved = segments.find(isReservedName)
    if (reserved !== undefined) {
      this.report(at, 'reserved-name', `'${path}': segment '${reserved}' is a prototype key`)
      return undefined
    }
    const error = patternError(path)
    if (error !== undefined || path.includes('*') || path.startsWith('!')) {
      this.report(
        at,
        'bad-pattern',
        `'${path}' is not a plain field path${error === undefined ? ": no '*' or '!' here" : `: ${error}`}`,
      )
      return undefined
    }
    return segments
  }

  resource(name: string, value: unknown): void {
    const path = `resources.${name}`
    const ok = this.name(name, path, 'resource')
    // Rules naming a broken resource are not checked further: its problems are reported here
    // (an empty action list by the schema), not once more per rule.
    if (!ok || !isObject(value) || !Array.isArray(value.actions) || value.actions.length === 0) {
      this.broken.add(name)
    }
    if (!isObject(value) || !Array.isArray(value.actions)) return
    const actions: string[] = []
    value.actions.forEach((action, i) => {
      if (typeof action !== 'string') return
      if (this.name(action, `${path}.actions[${i}]`, 'action') && !actions.includes(action)) {
        actions.push(action)
      }
    })
    // A malformed name's actions are checked, but it declares nothing.
    if (!ok) return
    for (const action of actions) this.allActions.add(action)
    let fields: string[] | undefined
    if (Array.isArray(value.fields)) {
      fields = []
      value.fields.forEach((field, i) => {
        if (typeof field === 'string' && this.plainPath(field, `${path}.fields[${i}]`)) {
          ;(fields as string[]).push(field)
        }
      })
    } else if (value.fields !== undefined) {
      this.broken.add(name)
    }
    const prefixes = new Set<string>()
    for (const field of fields ?? []) {
      prefixes.add(field)
      for (let dot = field.indexOf('.'); dot !== -1; dot = field.indexOf('.', dot + 1)) {
        prefixes.add(field.slice(0, dot))
      }
    }
    this.shapes.set(name, {
      actions: new Set(actions),
      fields: fields === undefined ? undefined : new Set(fields),
      prefixes,
    })
    const owner = this.fieldRef(value.owner, fields, `${path}.owner`, name)
    const tenant = this.fieldRef(value.tenant, fields, `${path}.tenant`, name)
    this.resources.set(name, {
      name,
      actions,
      fields,
      owner: typeof value.owner === 'function' ? (value.owner as Condition) : owner,
      tenant,
    })
  }

  /** An owner or tenant field: a plain path, among the declared fields when there are some. */
  fieldRef(
    value: unknown,
    fields: readonly string[] | undefined,
    at: string,
    resource: string,
  ): readonly string[] | undefined {
    if (typeof value !== 'string') return undefined
    const segments = this.plainPath(value, at)
    if (segments === undefined || fields === undefined) return segments
    if (!this.underField(resource, value)) {
      this.report(
        at,
        'unknown-field',
        `'${value}' is not a declared field of '${resource}'.${hint(value, fields) || ' Add it to fields.'}`,
      )
    }
    return segments
  }

  /** Whether `path` is a declared field of `resource` or lies below one. */
  underField(resource: string, path: string): boolean {
    const fields = this.shapes.get(resource)?.fields
    if (fields === undefined) return false
    for (let end = path.length; end > 0; end = path.lastIndexOf('.', end - 1)) {
      if (fields.has(end === path.length ? path : path.slice(0, end))) return true
    }
    return false
  }

  /** Whether a pattern's concrete prefix names a declared field, an ancestor or a descendant. */
  knowsField(resource: string, prefix: string): boolean {
    return (
      this.shapes.get(resource)?.prefixes.has(prefix) === true || this.underField(resource, prefix)
    )
  }

  /** The resources a parsed pattern reaches (for `'*'`: those that have the action). */
  matched(p: ParsedPermission): NormalizedResource[] {
    if (p.resource !== '*') {
      const r = this.resources.get(p.resource)
      return r === undefined ? [] : [r]
    }
    const all = [...this.resources.values()]
    return p.action === '*' ? all : all.filter((r) => r.actions.includes(p.action))
  }

  /** Checks one permission pattern; answers it parsed, or undefined when it is wrong. */
  permission(
    pattern: string,
    at: string,
    grant: boolean,
    own: boolean,
  ): ParsedPermission | undefined {
    const parsed = parsePermission(pattern, grant)
    if (typeof parsed === 'string') {
      const whole =
        !pattern.includes(':') && this.resources.has(pattern) ? ` Did you mean '${pattern}:*'?` : ''
      this.report(at, 'bad-pattern', whole === '' ? parsed : `${parsed}.${whole}`)
      return undefined
    }
    const { resource, action } = parsed
    if (resource !== '*' && this.broken.has(resource)) return undefined
    if (resource !== '*' && !this.resources.has(resource)) {
      this.report(
        at,
        'unknown-resource',
        `'${resource}' (in '${pattern}') is not a declared resource.${hint(resource, this.resources.keys())}`,
      )
      return undefined
    }
    if (action !== '*') {
      const actions =
        resource === '*' ? this.allActions : (this.shapes.get(resource)?.actions ?? new Set())
      if (!actions.has(action)) {
        const of = resource === '*' ? 'any resource' : `'${resource}'`
        this.report(
          at,
          'unknown-action',
          `'${action}' (in '${pattern}') is not an action of ${of}.${hint(action, actions)}`,
        )
        return undefined
      }
    }
    if (own || parsed.own) {
      const owned = this.matched(parsed).filter((r) => r.owner !== undefined)
      if (owned.length === 0) {
        const which =
          resource === '*'
            ? `no resource matched by '${pattern}' declares`
            : `resource '${resource}' declares no`
        this.report(
          at,
          'own-without-owner',
          `${which} owner: an 'own' grant could never hold. Add owner: 'ownerId' (or a predicate) to the resource`,
        )
        return undefined
      }
    }
    return parsed
  }

  /**
   * Field patterns of a rule. Under a wildcard resource a pattern is checked against every
   * matched resource that declares fields: it must name a field of at least one (a resource
   * that declares none accepts any path, so then nothing is checked).
   */
  fieldPatterns(
    value: unknown,
    at: string,
    reached: readonly NormalizedResource[],
    grant: boolean,
  ): void {
    if (!Array.isArray(value)) return
    const checkable = reached.length > 0 && reached.every((r) => r.fields !== undefined)
    let wellFormed = true
    value.forEach((pattern, i) => {
      if (typeof pattern !== 'string') return
      const error = patternError(pattern)
      if (error !== undefined) {
        this.report(`${at}[${i}]`, 'bad-pattern', `'${pattern}': ${error}`)
        wellFormed = false
        return
      }
      if (!checkable) return
      const prefix = concretePrefix(pattern)
      if (prefix === '' || reached.some((r) => this.knowsField(r.name, prefix))) return
      const names = reached.map((r) => `'${r.name}'`).join(', ')
      const declared = reached.flatMap((r) => r.fields ?? [])
      this.report(
        `${at}[${i}]`,
        'unknown-field',
        `'${prefix}' (in '${pattern}') is not a declared field of ${names}.${hint(prefix, declared)}`,
      )
    })
    if (wellFormed) this.compiles(strings(value), at, grant)
  }

  /**
   * Compiles a rule's field list as checks will (a deny's leading `!` means nothing special), so
   * patterns too complex to compile are refused here, once, rather than failing closed to "no
   * fields" at every check.
   */
  compiles(patterns: readonly string[], at: string, grant: boolean): void {
    if (patterns.length === 0) return
    const list = grant ? patterns : patterns.map((p) => (p.startsWith('!') ? p.slice(1) : p))
    // Large policies repeat a few field lists across many rules: each distinct list compiles once.
    const key = list.join('\n')
    let problem = this.compiled.get(key)
    if (problem === undefined) {
      problem = ''
      try {
        compileMask([list])
      } catch (error) {
        problem = error instanceof Error ? error.message : String(error)
      }
      this.compiled.set(key, problem)
    }
    if (problem !== '') this.report(at, 'bad-pattern', problem)
  }

  /** Checks one grant or deny rule and appends its normalised patterns to `out`. */
  rule(role: string, kind: 'grant' | 'deny', index: number, value: unknown, out: NormalizedRule[]) {
    const base = `roles.${role}.${kind === 'grant' ? 'grants' : 'deny'}[${index}]`
    const grant = kind === 'grant'
    let list: { pattern: string; at: string }[]
    let rule: Dict = {}
    if (typeof value === 'string') {
      list = [{ pattern: value, at: base }]
    } else if (isObject(value)) {
      rule = value
      const key = grant ? 'allow' : 'deny'
      const given = rule[key]
      list =
        typeof given === 'string'
          ? [{ pattern: given, at: `${base}.${key}` }]
          : strings(given).map((pattern, i) => ({ pattern, at: `${base}.${key}[${i}]` }))
    } else {
      return
    }
    const possession = rule.possession
    const when = typeof rule.when === 'function' ? (rule.when as Condition) : undefined
    const fields = Array.isArray(rule.fields) ? strings(rule.fields) : undefined
    if (Array.isArray(rule.fields) && rule.fields.length === 0) {
      this.report(
        `${base}.fields`,
        'invalid',
        grant
          ? 'an empty list covers no field; omit the grant, or list the fields it covers'
          : 'an empty list denies no field: list the fields to deny, or omit fields to deny the permission',
      )
    }
    const reached: NormalizedResource[] = []
    for (const { pattern, at } of list) {
      const parsed = this.permission(pattern, at, grant, possession === 'own')
      if (parsed === undefined) continue
      if (parsed.own && possession === 'any') {
        this.report(
          `${base}.possession`,
          'invalid',
          `'any' contradicts '${pattern}' (an ':own' pattern): drop one of them`,
        )
        continue
      }
      for (const r of this.matched(parsed)) if (!reached.includes(r)) reached.push(r)
      out.push({
        ref: Object.freeze({ role, kind, index, pattern }),
        resource: parsed.resource,
        action: parsed.action,
        own: parsed.own || possession === 'own',
        when,
        fields: fields === undefined ? undefined : Object.freeze(fields),
      })
    }
    this.fieldPatterns(rule.fields, `${base}.fields`, reached, grant)
  }
}

/**
 * The leading concrete segments of a field pattern, before any `*`: what must name a declared
 * field (`'!address.*'` → `'address'`).
 */
function concretePrefix(pattern: string): string {
  const body = pattern.startsWith('!') ? pattern.slice(1) : pattern
  const star = body.indexOf('*')
  if (star === -1) return body
  // Validated: a '*' fills its whole segment, so the prefix ends at the dot before it.
  return star === 0 ? '' : body.slice(0, star - 1)
}

/**
 * Validates a policy config and normalises it.
 * @throws PolicyConfigError listing every problem found, each with its path and code.
 */
export function validatePolicy(input: unknown): NormalizedPolicy {
  const check = new Checker()
  check.issues.push(...schemaIssues(input))
  const config = isObject(input) ? input : {}
  const resourcesIn = isObject(config.resources) ? config.resources : {}
  const rolesIn = isObject(config.roles) ? config.roles : {}
  if (isObject(config.resources)) check.checkPrototype(resourcesIn, 'resources')
  if (isObject(config.roles)) check.checkPrototype(rolesIn, 'roles')
  for (const name of Object.keys(resourcesIn)) check.resource(name, resourcesIn[name])

  const names = Object.keys(rolesIn)
  const declared = new Set(names)
  const parents = new Map<string, string[]>()
  const roles: NormalizedRole[] = []
  for (const name of names) {
    const value = rolesIn[name]
    check.name(name, `roles.${name}`, 'role')
    const role: Dict = isObject(value) ? value : {}
    const inherits: string[] = []
    strings(role.inherits).forEach((parent, i) => {
      if (declared.has(parent)) {
        if (!inherits.includes(parent)) inherits.push(parent)
        return
      }
      check.report(
        `roles.${name}.inherits[${i}]`,
        'unknown-parent',
        `'${parent}' is not a declared role.${hint(parent, names)}`,
      )
    })
    parents.set(name, inherits)
    const grants: NormalizedRule[] = []
    const denies: NormalizedRule[] = []
    if (Array.isArray(role.grants)) {
      role.grants.forEach((g, i) => {
        check.rule(name, 'grant', i, g, grants)
      })
    }
    if (Array.isArray(role.deny)) {
      role.deny.forEach((d, i) => {
        check.rule(name, 'deny', i, d, denies)
      })
    }
    roles.push({ name, inherits, grants, denies, global: role.global === true })
  }

  const walk = walkRoles(names, (name) => parents.get(name) ?? [])
  for (const cycle of walk.cycles) {
    check.report(
      `roles.${cycle.role}.inherits[${indexOfParent(rolesIn, cycle)}]`,
      'role-cycle',
      `roles inherit from each other in a loop: ${cycle.path.join(' → ')}`,
    )
  }
  if (check.issues.length > 0) throw new PolicyConfigError(check.issues)
  return { resources: [...check.resources.values()], roles, order: walk.order }
}

/** The position of the loop-closing parent in the role's own `inherits` list, as written. */
function indexOfParent(rolesIn: Dict, cycle: { role: string; path: readonly string[] }): number {
  const parent = cycle.path[cycle.path.length - 1]
  const role = rolesIn[cycle.role]
  return isObject(role) && Array.isArray(role.inherits) ? role.inherits.indexOf(parent) : 0
}
