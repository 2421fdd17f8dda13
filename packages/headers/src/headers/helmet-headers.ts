/**
 * The table of helmet's headers (all but Content-Security-Policy, which `src/csp/` compiles),
 * in the order helmet applies them, with helmet's legacy alias for each option.
 * @module
 */
import type { HeaderCompiler } from '../header-plan.js'
import { compileCrossOriginEmbedderPolicy } from './cross-origin-embedder-policy.js'
import { compileCrossOriginOpenerPolicy } from './cross-origin-opener-policy.js'
import { compileCrossOriginResourcePolicy } from './cross-origin-resource-policy.js'
import { compileOriginAgentCluster } from './origin-agent-cluster.js'
import { compileReferrerPolicy } from './referrer-policy.js'
import type { RemovalCompiler } from './remove-headers.js'
import { compileStrictTransportSecurity } from './strict-transport-security.js'
import { compileXContentTypeOptions } from './x-content-type-options.js'
import { compileXDnsPrefetchControl } from './x-dns-prefetch-control.js'
import { compileXDownloadOptions } from './x-download-options.js'
import { compileXFrameOptions } from './x-frame-options.js'
import { compileXPermittedCrossDomainPolicies } from './x-permitted-cross-domain-policies.js'
import { compileXPoweredBy } from './x-powered-by.js'
import { compileXXssProtection } from './x-xss-protection.js'

/** Fields every entry of {@link HELMET_HEADERS} has. */
interface HelmetEntryBase<O extends string> {
  /** helmet's canonical option name, e.g. `strictTransportSecurity`. */
  readonly option: O
  /**
   * helmet's legacy option names for the same header (`hsts`). helmet throws when an option
   * and its alias are both given; that check belongs to the factory.
   */
  readonly aliases: readonly string[]
  /** Whether the header is on when the option is not given (`compile(undefined)` is not empty). */
  readonly defaultOn: boolean
}

/** A helmet option that sets a header. */
export interface HelmetSetEntry<O extends string = HelmetOption> extends HelmetEntryBase<O> {
  /** Sets a header. */
  readonly kind: 'set'
  /** Compiles the option's value (`undefined` when absent) into the header. */
  readonly compile: HeaderCompiler
}

/** A helmet option that removes a header (only `xPoweredBy`). */
export interface HelmetRemoveEntry<O extends string = HelmetOption> extends HelmetEntryBase<O> {
  /** Removes a header. */
  readonly kind: 'remove'
  /** Compiles the option's value into the names of the headers to remove. */
  readonly compile: RemovalCompiler
}

/** One row of {@link HELMET_HEADERS}. */
export type HelmetHeaderEntry = HelmetSetEntry | HelmetRemoveEntry

/** helmet's canonical option names handled here (everything but `contentSecurityPolicy`). */
export type HelmetOption =
  | 'crossOriginEmbedderPolicy'
  | 'crossOriginOpenerPolicy'
  | 'crossOriginResourcePolicy'
  | 'originAgentCluster'
  | 'referrerPolicy'
  | 'strictTransportSecurity'
  | 'xContentTypeOptions'
  | 'xDnsPrefetchControl'
  | 'xDownloadOptions'
  | 'xFrameOptions'
  | 'xPermittedCrossDomainPolicies'
  | 'xPoweredBy'
  | 'xXssProtection'

/**
 * helmet 8's headers in helmet's order (helmet puts `contentSecurityPolicy` first, before all
 * of these). Aliases are helmet 8.3's legacy names: `hsts`, `noSniff`, `dnsPrefetchControl`,
 * `ieNoOpen`, `frameguard`, `permittedCrossDomainPolicies`, `hidePoweredBy`, `xssFilter`.
 */
export const HELMET_HEADERS: readonly HelmetHeaderEntry[] = deepFreeze([
  {
    kind: 'set',
    option: 'crossOriginEmbedderPolicy',
    aliases: [],
    compile: compileCrossOriginEmbedderPolicy,
    defaultOn: false,
  },
  {
    kind: 'set',
    option: 'crossOriginOpenerPolicy',
    aliases: [],
    compile: compileCrossOriginOpenerPolicy,
    defaultOn: true,
  },
  {
    kind: 'set',
    option: 'crossOriginResourcePolicy',
    aliases: [],
    compile: compileCrossOriginResourcePolicy,
    defaultOn: true,
  },
  {
    kind: 'set',
    option: 'originAgentCluster',
    aliases: [],
    compile: compileOriginAgentCluster,
    defaultOn: true,
  },
  {
    kind: 'set',
    option: 'referrerPolicy',
    aliases: [],
    compile: compileReferrerPolicy,
    defaultOn: true,
  },
  {
    kind: 'set',
    option: 'strictTransportSecurity',
    aliases: ['hsts'],
    compile: compileStrictTransportSecurity,
    defaultOn: true,
  },
  {
    kind: 'set',
    option: 'xContentTypeOptions',
    aliases: ['noSniff'],
    compile: compileXContentTypeOptions,
    defaultOn: true,
  },
  {
    kind: 'set',
    option: 'xDnsPrefetchControl',
    aliases: ['dnsPrefetchControl'],
    compile: compileXDnsPrefetchControl,
    defaultOn: true,
  },
  {
    kind: 'set',
    option: 'xDownloadOptions',
    aliases: ['ieNoOpen'],
    compile: compileXDownloadOptions,
    defaultOn: true,
  },
  {
    kind: 'set',
    option: 'xFrameOptions',
    aliases: ['frameguard'],
    compile: compileXFrameOptions,
    defaultOn: true,
  },
  {
    kind: 'set',
    option: 'xPermittedCrossDomainPolicies',
    aliases: ['permittedCrossDomainPolicies'],
    compile: compileXPermittedCrossDomainPolicies,
    defaultOn: true,
  },
  {
    kind: 'remove',
    option: 'xPoweredBy',
    aliases: ['hidePoweredBy'],
    compile: compileXPoweredBy,
    defaultOn: true,
  },
  {
    kind: 'set',
    option: 'xXssProtection',
    aliases: ['xssFilter'],
    compile: compileXXssProtection,
    defaultOn: true,
  },
])

/** The table is shared by every guard built in the process: freeze it, rows and aliases too. */
function deepFreeze(rows: readonly HelmetHeaderEntry[]): readonly HelmetHeaderEntry[] {
  for (const row of rows) {
    Object.freeze(row.aliases)
    Object.freeze(row)
  }
  return Object.freeze(rows)
}
