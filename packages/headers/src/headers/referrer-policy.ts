/**
 * `Referrer-Policy`: how much of the page URL the browser sends in `Referer` when following
 * links and loading subresources. Helmet's default, `no-referrer`, leaks nothing.
 * @module
 */
import type { HeaderCompiler, PlannedHeader } from '../header-plan.js'
import { describeValue, didYouMean, listValues, readOptions, withHint } from './option-checks.js'

/**
 * The tokens helmet accepts, in helmet's order. The empty string is the spec's "no policy"
 * token (defer to the next policy source); helmet accepts it, so we do too.
 */
export const REFERRER_POLICY_TOKENS = [
  'no-referrer',
  'no-referrer-when-downgrade',
  'same-origin',
  'origin',
  'strict-origin',
  'origin-when-cross-origin',
  'strict-origin-when-cross-origin',
  'unsafe-url',
  '',
] as const

/** A `Referrer-Policy` token. */
export type ReferrerPolicyToken = (typeof REFERRER_POLICY_TOKENS)[number]

/** Options for `referrerPolicy`, as in helmet. */
export interface ReferrerPolicyOptions {
  /**
   * One token, or several as fallbacks for browsers that do not know the later ones (the
   * browser uses the last it understands). Default `'no-referrer'`.
   */
  readonly policy?: ReferrerPolicyToken | readonly ReferrerPolicyToken[]
}

const NAMED_TOKENS = REFERRER_POLICY_TOKENS.filter((token) => token !== '')

/**
 * Compiles `referrerPolicy`: `undefined`/`true`/`{}` → `no-referrer`, `false` → no header,
 * `{ policy }` → the tokens joined with `,` (no space, byte for byte as helmet). Unknown and
 * repeated tokens and an empty list are issues.
 */
export const compileReferrerPolicy: HeaderCompiler = function compileReferrerPolicy(
  value,
  path,
  issues,
): readonly PlannedHeader[] {
  // Count from here: the sink may already hold other options' issues.
  const start = issues.length
  const options = readOptions(value, path, issues, {
    header: 'Referrer-Policy',
    defaultOn: true,
    keys: ['policy'],
  })
  if (options === undefined) return []
  // `=== undefined`, not `??`: helmet's destructuring default leaves `null` alone and throws on it.
  const policy = options.policy === undefined ? 'no-referrer' : options.policy
  const policyPath = `${path}.policy`
  let tokens: readonly unknown[]
  if (typeof policy === 'string') tokens = [policy]
  else if (Array.isArray(policy)) tokens = policy
  else {
    issues.push({
      path: policyPath,
      message: `must be a Referrer-Policy token or an array of them, received ${describeValue(policy)}`,
    })
    return []
  }
  if (tokens.length === 0) {
    issues.push({
      path: policyPath,
      message: `must list at least one token, received an empty array. Use 'no-referrer' to send no referrer, or set referrerPolicy: false to omit the header`,
    })
    return []
  }
  const seen = new Map<string, number>()
  // An index loop, not forEach: a hole in a sparse array is a mistake to report, not to skip.
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]
    const tokenPath = typeof policy === 'string' ? policyPath : `${policyPath}[${i}]`
    if (
      typeof token !== 'string' ||
      !(REFERRER_POLICY_TOKENS as readonly string[]).includes(token)
    ) {
      issues.push({
        path: tokenPath,
        message: withHint(
          `must be a Referrer-Policy token: ${listValues(NAMED_TOKENS)} (or '' for none), received ${describeValue(token)}`,
          didYouMean(token, NAMED_TOKENS),
        ),
      })
      continue
    }
    const first = seen.get(token)
    if (first !== undefined) {
      issues.push({
        path: tokenPath,
        message: `duplicate token ${describeValue(token)} (already at ${policyPath}[${first}]); list each token once`,
      })
      continue
    }
    seen.set(token, i)
  }
  if (issues.length > start) return []
  return [{ name: 'Referrer-Policy', value: (tokens as readonly string[]).join(',') }]
}
