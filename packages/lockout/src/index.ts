/**
 * `@rampart/lockout`: brute-force protection for logins in Express, Koa and Hono — attempts
 * reserved before the secret is checked, per account+IP locks, password-spraying blocks,
 * per-account delays up to the NIST ceiling, no user enumeration, memory or Redis stores.
 * @packageDocumentation
 */
export type { LockoutCounter } from './events.js'
export { normalizeIdentity } from './identity.js'
export {
  type Attempt,
  type BeginResult,
  type CounterStatus,
  type Lockout,
  type LockoutStatus,
  lockout,
  lockoutAttempt,
  type Refusal,
} from './lockout.js'
export {
  type AccountOptions,
  type EscalateOptions,
  type Identify,
  type IpOptions,
  LOCKOUT_CONFIG_CODE,
  type LockoutOptions,
  MAX_DURATION,
  MAX_IDENTITY_LENGTH,
  NIST_MAX_FAILURES,
  type PairOptions,
} from './options.js'
export { UNAVAILABLE_RETRY_SECONDS } from './problems.js'
