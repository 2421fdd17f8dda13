/**
 * The error `definePolicy()` throws for a policy it cannot compile, with a stable code per
 * problem so tools and tests can tell a role cycle from a typo.
 * @module
 */
import { type ConfigIssue, RampartConfigError } from '@rampart/core'

/** Every {@link PolicyIssueCode}, for documentation and exhaustive tests. */
export const POLICY_ISSUE_CODES = [
  'role-cycle',
  'unknown-parent',
  'reserved-name',
  'malformed-name',
  'not-a-function',
  'unknown-resource',
  'unknown-action',
  'unknown-field',
  'bad-pattern',
  'own-without-owner',
  'invalid',
] as const

/**
 * What is wrong with one part of a policy:
 * - `role-cycle`: roles inherit from each other in a loop (the message shows the whole loop);
 * - `unknown-parent`: `inherits` names a role the policy does not declare;
 * - `reserved-name`: `__proto__`, `constructor` or `prototype` used as a name or path segment;
 * - `malformed-name`: an empty name, or one with `:`, `*` or whitespace, or over 128 characters;
 * - `not-a-function`: a `when` or `owner` condition that is not a function;
 * - `unknown-resource` / `unknown-action` / `unknown-field`: a rule names something the
 *   policy does not declare;
 * - `bad-pattern`: a permission or field pattern that does not parse;
 * - `own-without-owner`: an `own` grant on resources that declare no `owner`;
 * - `invalid`: anything else the schema refuses (a wrong type, an unknown option).
 */
export type PolicyIssueCode = (typeof POLICY_ISSUE_CODES)[number]

/** One problem in a policy: where (`roles.editor.grants[2].allow`), what, and its code. */
export interface PolicyIssue extends ConfigIssue {
  readonly code: PolicyIssueCode
}

/** Config error code of `@rampart/rbac`. */
export const RBAC_CONFIG_CODE = 'ERR_RBAC_CONFIG'

/**
 * Thrown by `definePolicy()` for a policy it cannot compile. `issues` lists every problem found,
 * not only the first, each with its option path, a message naming the culprit and a code.
 */
export class PolicyConfigError extends RampartConfigError {
  /** Every problem found, each with a stable {@link PolicyIssueCode}. */
  declare readonly issues: readonly PolicyIssue[]

  constructor(issues: readonly PolicyIssue[]) {
    super('@rampart/rbac definePolicy', issues, RBAC_CONFIG_CODE)
    this.name = 'PolicyConfigError'
  }
}
