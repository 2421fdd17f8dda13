/**
 * Merges the user's directives into helmet's defaults (or an empty policy with
 * `useDefaults: false`) the way helmet does: a changed default keeps its place, a new
 * directive goes last, `null` removes one, and `default-src` is required.
 * @module
 */
import type { IssueSink } from '../header-plan.js'
import { HELMET_DEFAULT_DIRECTIVES } from './defaults.js'
import { DIRECTIVE_KINDS } from './directive-names.js'
import { checkDirectiveValue, type DirectiveEntry, type DirectiveFacts } from './directive-value.js'
import type { ReadDirectives } from './read-directives.js'

/** One directive of the final policy. */
export interface PolicyDirective {
  /** Kebab-case name. */
  readonly name: string
  /** Its sources and functions, in order. */
  readonly entries: readonly DirectiveEntry[]
  /** What the nonce and `'strict-dynamic'` checks need to know about the entries. */
  readonly facts: DirectiveFacts
  /** Issue path of the option that set it (for defaults, where it would have been set). */
  readonly path: string
}

/** helmet's defaults as policy directives, keyed for a given issue path prefix. */
function defaultPolicy(base: string): Map<string, PolicyDirective> {
  const policy = new Map<string, PolicyDirective>()
  const ignored: IssueSink = []
  for (const [name, entries] of Object.entries(HELMET_DEFAULT_DIRECTIVES)) {
    const path = `${base}.${name}`
    const kind = DIRECTIVE_KINDS.get(name) ?? 'sources'
    const facts = checkDirectiveValue(name, kind, entries, path, () => path, ignored)
    policy.set(name, { name, entries, facts, path })
  }
  return policy
}

/**
 * Builds the policy's directives in sending order. Returns them even when a structural
 * problem (no directives, no `default-src`) was reported, so later checks can still run.
 * @param base issue path of `directives`, e.g. `contentSecurityPolicy.directives`.
 */
export function assemblePolicy(
  read: ReadDirectives,
  useDefaults: boolean,
  base: string,
  issues: IssueSink,
): ReadonlyMap<string, PolicyDirective> {
  const policy = useDefaults ? defaultPolicy(base) : new Map<string, PolicyDirective>()
  let defaultSrcDisabled = false
  for (const directive of read.directives) {
    const change = directive.change
    if (change.type === 'remove') policy.delete(directive.name)
    else if (change.type === 'disable-default-src') {
      policy.delete('default-src')
      defaultSrcDisabled = true
    } else {
      // Map#set keeps an existing key's position: an overridden default stays where it was.
      policy.set(directive.name, {
        name: directive.name,
        entries: change.entries,
        facts: change.facts,
        path: directive.path,
      })
    }
  }
  if (policy.size === 0 && read.invalid.size === 0) {
    issues.push({
      path: base,
      message:
        'the policy has no directives: set some, or set contentSecurityPolicy to false to send no Content-Security-Policy header.',
    })
  } else if (
    !policy.has('default-src') &&
    !defaultSrcDisabled &&
    !read.invalid.has('default-src')
  ) {
    issues.push({
      path: base,
      message:
        'the policy has no default-src, so every resource type it does not list is unrestricted. Add defaultSrc (e.g. ["\'self\'"]), or, if you really mean it, set defaultSrc to dangerouslyDisableDefaultSrc.',
    })
  }
  return policy
}
