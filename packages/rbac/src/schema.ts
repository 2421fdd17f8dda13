/**
 * The policy config's shape as a strict zod schema, and its issues in the package's wording:
 * each with its option path, a did-you-mean for unknown keys, and a {@link PolicyIssueCode}.
 * @module
 */
import { configIssuesOf, describeValue, formatOptionPath, z } from '@rampart/core'
import type { PolicyIssue, PolicyIssueCode } from './errors.js'
import type { Condition } from './types.js'

const RBAC_CODE = 'rbac'

function conditionSchema(what: string, allowString: boolean) {
  return z.custom<Condition | string>().superRefine((value, ctx) => {
    if (typeof value === 'function' || (allowString && typeof value === 'string')) return
    ctx.addIssue({
      code: 'custom',
      message: `expected ${what}, received ${describeValue(value)}`,
      params: { [RBAC_CODE]: 'not-a-function' },
    })
  })
}

const when = conditionSchema('a function (principal, resource, context) => boolean', false)
const patterns = z.union([z.string(), z.array(z.string()).min(1)])
const fieldList = z.array(z.string())

const resourceSchema = z.strictObject({
  actions: z.array(z.string()).min(1, 'declare at least one action'),
  fields: fieldList.optional(),
  owner: conditionSchema(
    "the owner field's path (e.g. 'ownerId') or a function (principal, resource, context) => boolean",
    true,
  ).optional(),
  tenant: z.string().optional(),
})

const grantSchema = z.strictObject({
  allow: patterns,
  possession: z.enum(['any', 'own']).optional(),
  when: when.optional(),
  fields: fieldList.optional(),
})

const denySchema = z.strictObject({
  deny: patterns,
  when: when.optional(),
  fields: fieldList.optional(),
})

const roleSchema = z.strictObject({
  inherits: z.array(z.string()).optional(),
  grants: z.array(z.union([z.string(), grantSchema])).optional(),
  deny: z.array(z.union([z.string(), denySchema])).optional(),
  global: z.boolean().optional(),
})

const policySchema = z.strictObject({
  resources: z.record(z.string(), resourceSchema),
  roles: z.record(z.string(), roleSchema),
})

const KEYS = {
  policy: Object.keys(policySchema.shape),
  resource: Object.keys(resourceSchema.shape),
  role: Object.keys(roleSchema.shape),
  grant: Object.keys(grantSchema.shape),
  deny: Object.keys(denySchema.shape),
}

/** The option names valid at an object path (records of resources and roles skipped). */
function knownKeysAt(path: readonly PropertyKey[]): readonly string[] {
  if (path.length === 0) return KEYS.policy
  if (path.length === 2 && path[0] === 'resources') return KEYS.resource
  if (path[0] !== 'roles') return []
  if (path.length === 2) return KEYS.role
  if (path.length === 4 && path[2] === 'grants') return KEYS.grant
  if (path.length === 4 && path[2] === 'deny') return KEYS.deny
  return []
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input
  for (const part of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) return undefined
    value = (value as Record<PropertyKey, unknown>)[part]
  }
  return value
}

/** What a union position expects, for the message when a value fits no branch. */
function unionExpectation(path: readonly PropertyKey[]): string {
  const last = path[path.length - 1]
  const list = path[path.length - 2]
  if (typeof last === 'number' && list === 'grants') {
    return "a permission ('partner:read', 'partner:update:own') or a grant { allow, possession?, when?, fields? }"
  }
  if (typeof last === 'number' && list === 'deny') {
    return "a permission ('partner:delete') or a deny rule { deny, when?, fields? }"
  }
  return "a permission pattern ('partner:read') or a non-empty list of them"
}

/** A union branch that failed only because the value is of another type. */
function isRootTypeMismatch(issue: z.core.$ZodIssue): boolean {
  return (
    issue.path.length === 0 && (issue.code === 'invalid_type' || issue.code === 'invalid_value')
  )
}

function issuesOf(issue: z.core.$ZodIssue, input: unknown): PolicyIssue[] {
  if (issue.code === 'custom') {
    const code = (issue.params as Record<string, unknown> | undefined)?.[RBAC_CODE]
    return [
      {
        path: formatOptionPath(issue.path),
        message: issue.message,
        code: typeof code === 'string' ? (code as PolicyIssueCode) : 'invalid',
      },
    ]
  }
  if (issue.code === 'invalid_union') {
    const matched = issue.errors.filter((b) => b.length > 0 && !b.every(isRootTypeMismatch))
    if (matched.length === 1) {
      return (matched[0] as z.core.$ZodIssue[]).flatMap((inner) =>
        issuesOf({ ...inner, path: [...issue.path, ...inner.path] }, input),
      )
    }
    return [
      {
        path: formatOptionPath(issue.path),
        message: `expected ${unionExpectation(issue.path)}, received ${describeValue(valueAt(input, issue.path))}`,
        code: 'invalid',
      },
    ]
  }
  return configIssuesOf(issue, knownKeysAt).map((i) => ({ ...i, code: 'invalid' as const }))
}

/**
 * Checks the config's shape (types, unknown keys, functions where conditions go); names, cross
 * references and patterns are checked by `validatePolicy` itself.
 */
export function schemaIssues(input: unknown): PolicyIssue[] {
  const parsed = policySchema.safeParse(input)
  return parsed.success ? [] : parsed.error.issues.flatMap((issue) => issuesOf(issue, input))
}
