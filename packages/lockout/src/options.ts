/**
 * `lockout()` options: the zod schema that validates them once at construction, the defaults,
 * and the resolved configuration the per-request path reads.
 * @module
 */
import {
  type Duration,
  durationSchema,
  functionSchema,
  oneOfSchema,
  parseOptions,
  RampartConfigError,
  type RampartStore,
  type SecurityContext,
  type SecurityEventHandler,
  storeSchema,
  wholeNumberSchema,
  z,
} from '@rampart/core'

/** Config error code of `@rampart/lockout`. */
export const LOCKOUT_CONFIG_CODE = 'ERR_RAMPART_LOCKOUT_CONFIG'

/** NIST SP 800-63B §5.2.2: no more than 100 consecutive failed attempts on one account. */
export const NIST_MAX_FAILURES = 100

/** Longest window, lock or delay: 30 days. */
export const MAX_DURATION = 30 * 24 * 3_600_000

/** Longest identity kept (characters, after normalisation); longer ones are cut, then hashed. */
export const MAX_IDENTITY_LENGTH = 512

/** Which account a request is for, e.g. the body's `username`; `undefined` when it has none. */
export type Identify = (ctx: SecurityContext) => unknown

/** Repeated locks of one account+IP pair last longer each time. */
export interface EscalateOptions {
  /** Each lock lasts this many times the previous one. Default 2. */
  readonly factor?: number
  /** Longest lock. Default `'1d'`. */
  readonly max?: Duration
}

/** The (account, IP) counter: consecutive failures lock that pair. */
export interface PairOptions {
  /** Failures that lock the pair. Default 5. */
  readonly failures?: number
  /** Failures count within this window from the first one. Default `'15m'`. */
  readonly within?: Duration
  /** How long the pair stays locked. Default `'15m'`. */
  readonly lockFor?: Duration
  /** Lock longer each time the pair is locked again (default off: every lock lasts `lockFor`). */
  readonly escalate?: EscalateOptions | boolean
}

/** The per-IP counter: failures on any account from one IP (password spraying) block the IP. */
export interface IpOptions {
  /** Failures from one IP, across all accounts, that block it. Default 100. */
  readonly failures?: number
  /** Failures count within this window from the first one. Default `'1h'`. */
  readonly within?: Duration
  /** How long the IP stays blocked. Default `'1h'`. */
  readonly lockFor?: Duration
}

/** The per-account counter, from any IP: growing delays, then the NIST ceiling. */
export interface AccountOptions {
  /** Failures (from any IP) after which each attempt must wait. Default 5. */
  readonly delayAfter?: number
  /** The first wait; it doubles with every further failure. Default `'1s'`. */
  readonly delay?: Duration
  /** Longest wait. Default `'1h'`. */
  readonly maxDelay?: Duration
  /** Failures that lock the account outright: at most 100 (NIST's ceiling). Default 100. */
  readonly failures?: number
  /** Failures count within this window from the first one. Default `'1d'`. */
  readonly within?: Duration
  /** How long the account stays locked at the ceiling (or until `unlock()`). Default `'1d'`. */
  readonly lockFor?: Duration
}

/** Options of {@link lockout}. */
export interface LockoutOptions {
  /**
   * Which account a request is for, e.g. `async (ctx) => (await ctx.body())?.username`. A missing
   * or non-string answer leaves only the per-IP counter. Omitted: the guard counts per IP only
   * (the programmatic API takes the identity as an argument).
   */
  readonly identify?: Identify
  /**
   * Key of the HMAC that turns identities into store keys (at least 16 characters). Required with
   * a shared store (every instance must derive the same keys); a random per-process secret
   * otherwise.
   */
  readonly secret?: string
  /** Where counters and locks live. Default: a memory store of this lockout's own. */
  readonly store?: RampartStore
  /** Prefix of every key. Default `'lockout:'`; give each lockout on one store its own. */
  readonly prefix?: string
  /** The (account, IP) counter, or `false` for none. */
  readonly pair?: PairOptions | false
  /** The per-IP spraying counter, or `false` for none. */
  readonly ip?: IpOptions | false
  /** The per-account counter (delays and the NIST ceiling), or `false` for none. */
  readonly account?: AccountOptions | false
  /** Compare identities case-sensitively (after trimming and NFKC). Default `false`. */
  readonly caseSensitive?: boolean
  /**
   * Response statuses (3xx or 4xx) that count as a failed attempt. Default `[401]`. A form login
   * that redirects back to its form on a failure lists that redirect here.
   */
  readonly failureStatuses?: readonly number[]
  /**
   * Response statuses (2xx or 3xx) that count as a success. Default: any 2xx. A form login that
   * redirects on success lists that redirect here (and one that redirects either way settles the
   * attempt itself through the `lockoutAttempt` state).
   */
  readonly successStatuses?: readonly number[]
  /**
   * While the store fails: `'closed'` (default) answers 503, so a login never becomes unlimited;
   * `'open'` lets attempts through uncounted.
   */
  readonly onStoreFailure?: 'closed' | 'open'
  /** Receives events of programmatic calls made outside a request. */
  readonly onEvent?: SecurityEventHandler
}

const duration = durationSchema({ min: 1, max: MAX_DURATION })

const escalateSchema = z.strictObject({
  factor: z.number().min(1.1).max(100).optional(),
  max: duration.optional(),
})

const pairSchema = z.strictObject({
  failures: wholeNumberSchema('failures that lock the pair', { max: 1_000 }).optional(),
  within: duration.optional(),
  lockFor: duration.optional(),
  escalate: z.union([z.boolean(), escalateSchema]).optional(),
})

const ipSchema = z.strictObject({
  failures: wholeNumberSchema('failures that block the IP', { max: 1_000_000 }).optional(),
  within: duration.optional(),
  lockFor: duration.optional(),
})

const accountSchema = z.strictObject({
  delayAfter: wholeNumberSchema('failures before delays start', {
    max: NIST_MAX_FAILURES,
  }).optional(),
  delay: duration.optional(),
  maxDelay: duration.optional(),
  failures: wholeNumberSchema(
    `NIST SP 800-63B: at most ${NIST_MAX_FAILURES} consecutive failures`,
    {
      max: NIST_MAX_FAILURES,
    },
  ).optional(),
  within: duration.optional(),
  lockFor: duration.optional(),
})

const prefixSchema = z.custom<string>().superRefine((value, ctx) => {
  if (typeof value !== 'string' || value.length === 0 || value.length > 128) {
    ctx.addIssue({ code: 'custom', message: 'expected a string of 1 to 128 characters' })
  } else if (value.includes('{') || value.includes('}')) {
    ctx.addIssue({
      code: 'custom',
      message: "must not contain '{' or '}': lockout keys carry their own Redis Cluster hash tag",
    })
  }
})

const secretSchema = z.custom<string>().superRefine((value, ctx) => {
  if (typeof value === 'string' && value.length >= 16) return
  ctx.addIssue({
    code: 'custom',
    message:
      'expected a secret string of at least 16 characters (e.g. 32 random bytes, base64); it keys the HMAC that hides identities',
  })
})

const statusSchema = (min: number, max: number, what: string) =>
  z.custom<number>().superRefine((value, ctx) => {
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) {
      return
    }
    ctx.addIssue({
      code: 'custom',
      message: `expected ${what} (5xx responses refund the attempt), received ${JSON.stringify(value) ?? String(value)}`,
    })
  })

const optionsSchema = z.strictObject({
  identify: functionSchema<Identify>('(ctx) => string | undefined').optional(),
  secret: secretSchema.optional(),
  store: storeSchema.optional(),
  prefix: prefixSchema.optional(),
  pair: z.union([z.literal(false), pairSchema]).optional(),
  ip: z.union([z.literal(false), ipSchema]).optional(),
  account: z.union([z.literal(false), accountSchema]).optional(),
  caseSensitive: z.boolean().optional(),
  failureStatuses: z
    .array(statusSchema(300, 499, 'a 3xx or 4xx status'))
    .min(1)
    .optional(),
  successStatuses: z
    .array(statusSchema(200, 399, 'a 2xx or 3xx status'))
    .min(1)
    .optional(),
  onStoreFailure: oneOfSchema(['closed', 'open'] as const).optional(),
  onEvent: functionSchema<SecurityEventHandler>('(event) => void').optional(),
})

/** A resolved lock counter (pair or IP). */
export interface CounterConfig {
  readonly failures: number
  readonly within: number
  readonly lockFor: number
  /** Lock growth: `factor` 1 means none. */
  readonly factor: number
  readonly maxLock: number
}

/** The resolved account counter. */
export interface AccountConfig extends CounterConfig {
  readonly delayAfter: number
  readonly delay: number
  readonly maxDelay: number
}

/** Options after validation and defaults, in milliseconds. */
export interface ResolvedOptions {
  readonly identify: Identify | undefined
  readonly secret: string | undefined
  readonly store: RampartStore | undefined
  readonly prefix: string
  readonly pair: CounterConfig | undefined
  readonly ip: CounterConfig | undefined
  readonly account: AccountConfig | undefined
  readonly caseSensitive: boolean
  readonly failureStatuses: ReadonlySet<number>
  /** Whether a final status is a success. */
  readonly isSuccess: (status: number) => boolean
  readonly onStoreFailure: 'closed' | 'open'
  readonly onEvent: SecurityEventHandler | undefined
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/**
 * Validates `lockout()` options and fills in the defaults.
 * @throws RampartConfigError (code {@link LOCKOUT_CONFIG_CODE}) listing every invalid option.
 */
export function resolveOptions(input: unknown): ResolvedOptions {
  const o = parseOptions('@rampart/lockout', optionsSchema, input, LOCKOUT_CONFIG_CODE)
  const issues: { path: string; message: string }[] = []
  let pair: CounterConfig | undefined
  if (o.pair !== false) {
    const p = o.pair ?? {}
    const escalate = p.escalate === true ? {} : p.escalate === false ? undefined : p.escalate
    const lockFor = p.lockFor ?? 15 * MINUTE
    pair = {
      failures: p.failures ?? 5,
      within: p.within ?? 15 * MINUTE,
      lockFor,
      factor: escalate === undefined ? 1 : (escalate.factor ?? 2),
      maxLock: escalate === undefined ? lockFor : (escalate.max ?? DAY),
    }
    if (pair.maxLock < lockFor) {
      issues.push({ path: 'pair.escalate.max', message: 'must not be shorter than pair.lockFor' })
    }
  }
  let ip: CounterConfig | undefined
  if (o.ip !== false) {
    const i = o.ip ?? {}
    const lockFor = i.lockFor ?? HOUR
    ip = {
      failures: i.failures ?? 100,
      within: i.within ?? HOUR,
      lockFor,
      factor: 1,
      maxLock: lockFor,
    }
  }
  let account: AccountConfig | undefined
  if (o.account !== false) {
    const a = o.account ?? {}
    const lockFor = a.lockFor ?? DAY
    account = {
      failures: a.failures ?? NIST_MAX_FAILURES,
      within: a.within ?? DAY,
      lockFor,
      factor: 1,
      maxLock: lockFor,
      delayAfter: a.delayAfter ?? 5,
      delay: a.delay ?? 1_000,
      maxDelay: a.maxDelay ?? HOUR,
    }
    if (account.maxDelay < account.delay) {
      issues.push({ path: 'account.maxDelay', message: 'must not be shorter than account.delay' })
    }
  }
  if (pair === undefined && ip === undefined && account === undefined) {
    issues.push({ path: '', message: 'pair, ip and account are all off: nothing would be counted' })
  }
  if (o.store?.shared === true && o.secret === undefined) {
    issues.push({
      path: 'secret',
      message: `required with a shared store ('${o.store.name}'): every instance must derive the same keys from an identity`,
    })
  }
  const failureStatuses = new Set(o.failureStatuses ?? [401])
  const successStatuses = o.successStatuses === undefined ? undefined : new Set(o.successStatuses)
  for (const status of successStatuses ?? []) {
    if (failureStatuses.has(status)) {
      issues.push({
        path: 'successStatuses',
        message: `${status} is also in failureStatuses: a status is a success or a failure, not both`,
      })
    }
  }
  if (issues.length > 0) {
    throw new RampartConfigError('@rampart/lockout', issues, LOCKOUT_CONFIG_CODE)
  }
  return {
    identify: o.identify,
    secret: o.secret,
    store: o.store,
    prefix: o.prefix ?? 'lockout:',
    pair,
    ip,
    account,
    caseSensitive: o.caseSensitive ?? false,
    failureStatuses,
    isSuccess:
      successStatuses === undefined
        ? (status) => status >= 200 && status < 300 && !failureStatuses.has(status)
        : (status) => successStatuses.has(status),
    onStoreFailure: o.onStoreFailure ?? 'closed',
    onEvent: o.onEvent,
  }
}
