/**
 * Where per-request nonces go: into `script-src` and `style-src` (and their `-elem`
 * variants, which take precedence for elements), creating `script-src`/`style-src` from
 * `default-src` when absent. Nonces never go into `-attr` directives: they only apply to
 * elements.
 * @module
 */
import type { IssueSink } from '../header-plan.js'
import type { PolicyDirective } from './assemble.js'

/** Directives that get the nonce when present. */
const NONCE_TARGETS: ReadonlySet<string> = new Set([
  'script-src',
  'script-src-elem',
  'style-src',
  'style-src-elem',
])

/** Directives created from `default-src` when absent, so they can carry the nonce. */
const CREATED_FROM_DEFAULT_SRC = ['script-src', 'style-src'] as const

/** A policy directive with its place for the nonce decided. */
export interface PlannedDirective extends PolicyDirective {
  /** Append `'nonce-…'` to this directive on every request. */
  readonly nonce: boolean
}

/**
 * Decides which directives carry the nonce. A directive created from `default-src` copies
 * its entries verbatim: the browser used `default-src` for scripts and styles before, so
 * the same sources plus the nonce block nothing that was allowed. Without `default-src`
 * nothing is created: scripts were unrestricted, and a nonce-only `script-src` would block
 * them all.
 */
export function planNonces(
  policy: ReadonlyMap<string, PolicyDirective>,
  nonce: boolean,
): readonly PlannedDirective[] {
  const planned: PlannedDirective[] = []
  for (const directive of policy.values()) {
    planned.push({ ...directive, nonce: nonce && NONCE_TARGETS.has(directive.name) })
  }
  const defaultSrc = policy.get('default-src')
  if (nonce && defaultSrc !== undefined) {
    for (const name of CREATED_FROM_DEFAULT_SRC) {
      if (!policy.has(name)) planned.push({ ...defaultSrc, name, nonce: true })
    }
  }
  return planned
}

/**
 * `'strict-dynamic'` makes browsers ignore host sources, `'self'` and `'unsafe-inline'` in
 * favour of nonces and hashes. Without either (and no function that could add one), every
 * script is blocked: reported, since helmet would send that policy silently.
 */
export function checkStrictDynamic(planned: readonly PlannedDirective[], issues: IssueSink): void {
  const byName = new Map(planned.map((d) => [d.name, d]))
  const governing =
    byName.get('script-src-elem') ?? byName.get('script-src') ?? byName.get('default-src')
  if (governing === undefined) return
  const { facts } = governing
  if (facts.strictDynamic && !facts.hash && facts.functions === 0 && !governing.nonce) {
    issues.push({
      path: governing.path,
      message:
        "'strict-dynamic' trusts only scripts approved by a nonce or a hash, and this policy has neither, so browsers would block every script. Set `nonce: true`, or add a 'sha256-…' hash.",
    })
  }
}
