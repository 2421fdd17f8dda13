/**
 * The options of `rateLimit()`: their types, the zod schema that checks them, and the parse step
 * that turns them into one normalised shape (always a list of policies) or a
 * `RampartConfigError` naming every invalid option.
 * @module
 */
import {
  type ConfigIssue,
  cidrEntrySchema,
  closestMatch,
  configIssuesOf,
  type Duration,
  describeValue,
  durationSchema,
  ipv6SubnetSchema,
  oneOfSchema,
  RampartConfigError,
  type RampartStore,
  type SecurityContext,
  type SecurityEventHandler,
  storeSchema,
  z,
} from '@rampart/core'

/** Config error code of `@rampart/rate-limiter`. */
export const RATE_LIMIT_CONFIG_CODE = 'ERR_RAMPART_RATE_LIMIT_CONFIG'

/** Scope named in configuration errors. */
export const SCOPE = '@rampart/rate-limiter rateLimit()'

/**
 * How a policy counts:
 * - `'fixed-window'`: a counter per window, the window starting at the client's first request.
 *   Cheapest; lets up to twice the limit through around a window boundary.
 * - `'sliding-window'` (default): the current window's count plus the previous window's,
 *   weighted by how much of it still overlaps (as Cloudflare does). No boundary burst, O(1) state.
 * - `'token-bucket'`: a bucket of `burst` tokens refilled at `limit` per `window`. Allows short
 *   bursts, then a steady rate.
 * - `'gcra'`: the same admission as a token bucket, stored as one timestamp (generic cell rate
 *   algorithm); spreads requests evenly.
 */
export type RateLimitAlgorithm = 'fixed-window' | 'sliding-window' | 'token-bucket' | 'gcra'

/** Every algorithm, in the order the README compares them. */
export const ALGORITHMS: readonly RateLimitAlgorithm[] = [
  'fixed-window',
  'sliding-window',
  'token-bucket',
  'gcra',
]

/**
 * A limit computed per request (e.g. by plan: `(ctx) => ctx.state.get(plan) === 'pro' ? 1000 : 100`).
 * A result that is not a positive finite number fails the request with a 500 problem and a
 * `guard.failed` event.
 */
export type DynamicLimit = (ctx: SecurityContext) => number | Promise<number>

/** One rate policy: at most `limit` units per `window`. */
export interface RateLimitPolicyOptions {
  /**
   * Name shown in the `RateLimit` headers, problems, events and state. Printable ASCII, at most
   * 64 characters, unique within the limiter. Default: `'<limit>-per-<window>'`, e.g.
   * `'100-per-1m'` (`'dynamic-per-1m'` for a dynamic limit).
   */
  readonly name?: string
  /** Units (requests, unless `cost` says otherwise) allowed per window: a positive integer or a function. */
  readonly limit: number | DynamicLimit
  /** The window: milliseconds or a string such as `'1m'` (1 ms up to a year). */
  readonly window: Duration
  /** Default `'sliding-window'`. */
  readonly algorithm?: RateLimitAlgorithm
  /**
   * `'token-bucket'` and `'gcra'` only: how many units a client may spend at once when idle (the
   * bucket's capacity). Default: `limit`. The refill rate is always `limit` per `window`.
   */
  readonly burst?: number
}

/** The escalation of {@link RateLimitOptions.block}. */
export interface BlockOptions {
  /** Rejections (429s) within `within` that start a block. */
  readonly after: number
  /** How long rejections are remembered, counted from the first one. */
  readonly within: Duration
  /** How long a block lasts. Every request is refused meanwhile, spending nothing. */
  readonly for: Duration
}

/** Options every limiter accepts, whatever its policies. */
export interface RateLimitCommonOptions {
  /**
   * The client key: requests with the same key share their limits. Default: the client IP as the
   * adapter resolved it (trust proxy applied), IPv6 reduced to its `ipv6Subnet`. Return
   * `undefined` (or `''`) when the request has no key: see `onMissingKey`. Derive keys from
   * bounded values (a user id, an API key id), never from raw attacker-sized input.
   */
  readonly key?: (ctx: SecurityContext) => string | undefined | Promise<string | undefined>
  /**
   * Default key only: the prefix length IPv6 clients are keyed by, 32..64, or `false` for the
   * full address. Default 56 (one customer site). IPv4-mapped IPv6 is keyed as IPv4.
   */
  readonly ipv6Subnet?: number | false
  /**
   * What to do with a request that has no key (no client IP, or `key` returned nothing):
   * `'deny'` (default) answers 403 `urn:rampart:problem:unidentified-client`; `'allow'` lets it
   * through unlimited. Either way it never shares a bucket with other keyless requests, and a
   * one-time `RAMPART_RATE_LIMIT_NO_KEY` warning is emitted.
   */
  readonly onMissingKey?: 'deny' | 'allow'
  /**
   * Prefix of every store key. Default `'rl:'` plus a short signature of the policies (so a
   * changed policy never reads state written under another), e.g. `'rl:1x3k9q:'`. Must not
   * contain `{` or `}`: the client key is the Redis Cluster hash tag.
   */
  readonly prefix?: string
  /** Where counters live. Default: a new `memoryStore()` per limiter (per process). */
  readonly store?: RampartStore
  /**
   * A shared store (Redis) only: what to do while it fails or times out. `'fallback'` (default)
   * counts in memory, per instance; `'open'` admits every request; `'closed'` answers 503 with
   * `Retry-After`. A store that is already a `fallbackStore` is used as it is.
   */
  readonly onStoreFailure?: 'fallback' | 'open' | 'closed'
  /** A shared store only: how long one store call may take before it counts as a failure. Default 500 ms; `false` disables. */
  readonly storeTimeout?: Duration | false
  /**
   * How many instances of the app run. With more than one and a store that is not shared
   * (memory), each instance enforces the limits alone: a one-time
   * `RAMPART_RATE_LIMIT_MEMORY_MULTI_INSTANCE` warning says so.
   */
  readonly instances?: number
  /** Units a request spends: a positive number, or a function returning zero or more. Default 1. */
  readonly cost?: number | ((ctx: SecurityContext) => number | Promise<number>)
  /** Requests for which it returns `true` are not limited (nor counted). */
  readonly skip?: (ctx: SecurityContext) => boolean | Promise<boolean>
  /** Refund requests answered with a status below 400. Default `false`. */
  readonly skipSuccessfulRequests?: boolean
  /** Refund requests answered with a status of 400 or more, or aborted by the client. Default `false`. */
  readonly skipFailedRequests?: boolean
  /** Client addresses (CIDRs, addresses, `'loopback'`, ...) that bypass the limiter. */
  readonly allow?: readonly string[]
  /** Client addresses refused with 403 `urn:rampart:problem:ip-denied` (not 429). Wins over `allow`. */
  readonly deny?: readonly string[]
  /** Escalation: block a client for `for` after `after` rejections within `within`. Default: off. */
  readonly block?: BlockOptions
  /**
   * Response headers: `'draft'` (default) sends the IETF draft's `RateLimit` and
   * `RateLimit-Policy`; `'legacy'` sends `X-RateLimit-Limit/Remaining/Reset`; `'both'`; `false`
   * none. `Retry-After` accompanies every 429 regardless.
   */
  readonly headers?: 'draft' | 'legacy' | 'both' | false
  /**
   * Adds the draft's `pk` (partition key) parameter: a truncated HMAC-SHA256 of the client key
   * under `secret` (at least 16 characters), so a client can tell its quota apart without
   * learning its key. Never the IP or an unsalted hash of it.
   */
  readonly partitionKey?: { readonly secret: string }
  /** Put the client key into `rate-limit.*` events (it may be an IP or a user id). Default `false`. */
  readonly includeKeyInEvents?: boolean
  /**
   * Receives what happens outside a request: `store.failover`/`store.recovered` of the wrapped
   * shared store and the events of the programmatic API. Default: store events are emitted
   * through the next request instead, and programmatic events are dropped.
   */
  readonly onEvent?: SecurityEventHandler
}

/** One policy at the top level. */
export interface SinglePolicyOptions extends RateLimitCommonOptions, RateLimitPolicyOptions {
  readonly policies?: never
}

/** Several policies, checked together: a request rejected by one spends nothing from the others. */
export interface MultiPolicyOptions extends RateLimitCommonOptions {
  /** One to ten policies with unique names. */
  readonly policies: readonly RateLimitPolicyOptions[]
  readonly name?: never
  readonly limit?: never
  readonly window?: never
  readonly algorithm?: never
  readonly burst?: never
}

/** Options of `rateLimit()`: one policy at the top level, or `policies`. */
export type RateLimitOptions = SinglePolicyOptions | MultiPolicyOptions

/** Longest window: a year. */
export const MAX_WINDOW = 365 * 86_400_000
/** Most policies per limiter. */
export const MAX_POLICIES = 10
/** Longest policy name. */
const MAX_NAME = 64

const fn = (description: string) =>
  z.custom<(...args: never[]) => unknown>().superRefine((value, ctx) => {
    if (typeof value === 'function') return
    ctx.addIssue({
      code: 'custom',
      message: `expected a function ${description}, received ${describeValue(value)}`,
    })
  })

const positiveInteger = (what: string) =>
  z.custom<number>().superRefine((value, ctx) => {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return
    ctx.addIssue({
      code: 'custom',
      message: `expected a positive integer${what}, received ${describeValue(value)}`,
    })
  })

const limitSchema = z.custom<number | DynamicLimit>().superRefine((value, ctx) => {
  if (typeof value === 'function') return
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return
  ctx.addIssue({
    code: 'custom',
    message: `expected a positive integer or a function (ctx) => number, received ${describeValue(value)}`,
  })
})

const costSchema = z.custom<number | ((ctx: SecurityContext) => number)>().superRefine((v, ctx) => {
  if (typeof v === 'function') return
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return
  ctx.addIssue({
    code: 'custom',
    message: `expected a positive number or a function (ctx) => number, received ${describeValue(v)}`,
  })
})

/** Printable ASCII: what a Structured Fields string may hold. */
function isPrintableAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c < 0x20 || c > 0x7e) return false
  }
  return true
}

const nameSchema = z.custom<string>().superRefine((value, ctx) => {
  if (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_NAME &&
    isPrintableAscii(value)
  ) {
    return
  }
  ctx.addIssue({
    code: 'custom',
    message: `expected 1 to ${MAX_NAME} printable ASCII characters (it is sent in the RateLimit headers), received ${describeValue(value)}`,
  })
})

const windowSchema = durationSchema({ min: 1, max: MAX_WINDOW })

const policyShape = {
  name: nameSchema.optional(),
  limit: limitSchema,
  window: windowSchema,
  algorithm: oneOfSchema(ALGORITHMS).optional(),
  burst: positiveInteger(' (the most units spent at once)').optional(),
}

const policySchema = z.strictObject(policyShape)

const blockSchema = z.strictObject({
  after: positiveInteger(' (rejections that start a block)'),
  within: durationSchema({ min: 1, max: MAX_WINDOW }),
  for: durationSchema({ min: 1, max: MAX_WINDOW }),
})

const partitionKeySchema = z.strictObject({
  secret: z.custom<string>().superRefine((value, ctx) => {
    if (typeof value === 'string' && value.length >= 16) return
    ctx.addIssue({
      code: 'custom',
      message:
        'expected a secret string of at least 16 characters (e.g. 32 random bytes, base64); it keys the HMAC that hides client keys',
    })
  }),
})

const prefixSchema = z.custom<string>().superRefine((value, ctx) => {
  if (typeof value !== 'string' || value.length === 0 || value.length > 128) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a string of 1 to 128 characters, received ${describeValue(value)}`,
    })
  } else if (value.includes('{') || value.includes('}')) {
    ctx.addIssue({
      code: 'custom',
      message:
        "must not contain '{' or '}': the client key is the Redis Cluster hash tag that keeps a client's keys in one slot",
    })
  } else if (!isPrintableAscii(value)) {
    ctx.addIssue({ code: 'custom', message: 'must be printable ASCII' })
  }
})

const commonShape = {
  key: fn('(ctx) => string | undefined').optional(),
  ipv6Subnet: ipv6SubnetSchema.optional(),
  onMissingKey: oneOfSchema(['deny', 'allow'] as const).optional(),
  prefix: prefixSchema.optional(),
  store: storeSchema.optional(),
  onStoreFailure: oneOfSchema(['fallback', 'open', 'closed'] as const).optional(),
  storeTimeout: z.union([z.literal(false), durationSchema({ min: 1, max: 60_000 })]).optional(),
  instances: positiveInteger(' (app instances)').optional(),
  cost: costSchema.optional(),
  skip: fn('(ctx) => boolean').optional(),
  skipSuccessfulRequests: z.boolean().optional(),
  skipFailedRequests: z.boolean().optional(),
  allow: z.array(cidrEntrySchema).optional(),
  deny: z.array(cidrEntrySchema).optional(),
  block: blockSchema.optional(),
  headers: z
    .custom<'draft' | 'legacy' | 'both' | false>()
    .superRefine((value, ctx) => {
      if (value === false || value === 'draft' || value === 'legacy' || value === 'both') return
      const near =
        typeof value === 'string' ? closestMatch(value, ['draft', 'legacy', 'both']) : undefined
      ctx.addIssue({
        code: 'custom',
        message: `expected 'draft', 'legacy', 'both' or false, received ${describeValue(value)}.${near ? ` Did you mean '${near}'?` : ''}`,
      })
    })
    .optional(),
  partitionKey: partitionKeySchema.optional(),
  includeKeyInEvents: z.boolean().optional(),
  onEvent: fn('(event) => void').optional(),
}

const schema = z.strictObject({
  ...commonShape,
  ...policyShape,
  limit: limitSchema.optional(),
  window: windowSchema.optional(),
  policies: z.array(policySchema).optional(),
})

/** Known keys by nesting, for "did you mean" hints on unknown options. */
const KNOWN_KEYS = {
  root: Object.keys(schema.shape),
  policy: Object.keys(policyShape),
  block: ['after', 'within', 'for'],
  partitionKey: ['secret'],
} as const

/** A policy after parsing: durations in ms, defaults not yet applied. */
export interface ParsedPolicy {
  readonly name: string | undefined
  readonly limit: number | DynamicLimit
  readonly window: number
  readonly algorithm: RateLimitAlgorithm
  readonly burst: number | undefined
}

/** Options after parsing: one list of policies, durations in ms, defaults applied. */
export interface ParsedOptions {
  readonly policies: readonly ParsedPolicy[]
  readonly key: RateLimitCommonOptions['key']
  readonly ipv6Subnet: number | false | undefined
  readonly onMissingKey: 'deny' | 'allow'
  readonly prefix: string | undefined
  readonly store: RampartStore | undefined
  readonly onStoreFailure: 'fallback' | 'open' | 'closed'
  /** 0: no timeout. */
  readonly storeTimeout: number
  readonly instances: number | undefined
  readonly cost: number | ((ctx: SecurityContext) => number | Promise<number>)
  readonly skip: RateLimitCommonOptions['skip']
  readonly skipSuccessfulRequests: boolean
  readonly skipFailedRequests: boolean
  readonly allow: readonly string[] | undefined
  readonly deny: readonly string[] | undefined
  readonly block:
    | { readonly after: number; readonly within: number; readonly for: number }
    | undefined
  readonly headers: 'draft' | 'legacy' | 'both' | false
  readonly partitionKey: { readonly secret: string } | undefined
  readonly includeKeyInEvents: boolean
  readonly onEvent: SecurityEventHandler | undefined
}

function knownKeysAt(path: readonly PropertyKey[]): readonly string[] {
  if (path.length === 0) return KNOWN_KEYS.root
  if (path[0] === 'policies' && path.length === 2) return KNOWN_KEYS.policy
  if (path[0] === 'block' && path.length === 1) return KNOWN_KEYS.block
  if (path[0] === 'partitionKey' && path.length === 1) return KNOWN_KEYS.partitionKey
  return []
}

const SINGLE_KEYS = ['name', 'limit', 'window', 'algorithm', 'burst'] as const

/** Checks across options that the schema cannot express one field at a time. */
function crossChecks(o: z.output<typeof schema>, issues: ConfigIssue[]): void {
  const single = SINGLE_KEYS.filter((k) => o[k] !== undefined)
  if (o.policies !== undefined) {
    for (const k of single) {
      issues.push({
        path: k,
        message: 'cannot be combined with policies: give every policy its own limit and window',
      })
    }
    if (o.policies.length === 0 || o.policies.length > MAX_POLICIES) {
      issues.push({
        path: 'policies',
        message: `expected 1 to ${MAX_POLICIES} policies, received ${o.policies.length}`,
      })
    }
    o.policies.forEach((p, i) => {
      policyChecks(p, `policies[${i}].`, issues)
    })
  } else if (o.limit === undefined && o.window === undefined) {
    issues.push({
      path: '',
      message: "no policy: set limit and window (e.g. { limit: 100, window: '1m' }) or policies",
    })
  } else {
    if (o.limit === undefined) {
      issues.push({ path: 'limit', message: 'is required with window (e.g. limit: 100)' })
    }
    if (o.window === undefined) {
      issues.push({ path: 'window', message: "is required with limit (e.g. window: '1m')" })
    }
    policyChecks(o, '', issues)
  }
  if (o.ipv6Subnet !== undefined && o.key !== undefined) {
    issues.push({
      path: 'ipv6Subnet',
      message:
        'only applies to the default key (the client IP); with your own key function, key IPv6 clients with ipKeyer({ ipv6Subnet }) from @rampart/core',
    })
  }
  if (o.skipSuccessfulRequests === true && o.skipFailedRequests === true) {
    issues.push({
      path: 'skipFailedRequests',
      message:
        'with skipSuccessfulRequests as well, every request would be refunded: keep one of them',
    })
  }
  if (o.partitionKey !== undefined && (o.headers === false || o.headers === 'legacy')) {
    issues.push({
      path: 'partitionKey',
      message: `is sent in the draft RateLimit headers only, and headers is ${describeValue(o.headers)}: set headers to 'draft' or 'both', or remove partitionKey`,
    })
  }
}

function policyChecks(
  p: { readonly algorithm?: string | undefined; readonly burst?: number | undefined },
  path: string,
  issues: ConfigIssue[],
): void {
  if (p.burst !== undefined && p.algorithm !== 'token-bucket' && p.algorithm !== 'gcra') {
    issues.push({
      path: `${path}burst`,
      message: `only applies to algorithm 'token-bucket' or 'gcra' (${p.algorithm === undefined ? 'the default is sliding-window' : `this policy is ${p.algorithm}`}); a window counts up to limit`,
    })
  }
}

/**
 * Validates `rateLimit()` options and normalises them.
 * @throws RampartConfigError (code `ERR_RAMPART_RATE_LIMIT_CONFIG`) listing every invalid option.
 */
export function parseRateLimitOptions(input: unknown): ParsedOptions {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new RampartConfigError(
      SCOPE,
      [
        {
          path: '',
          message: `expected an options object such as { limit: 100, window: '1m' }, received ${describeValue(input)}`,
        },
      ],
      RATE_LIMIT_CONFIG_CODE,
    )
  }
  const result = schema.safeParse(input)
  const issues: ConfigIssue[] = result.success
    ? []
    : result.error.issues.flatMap((issue) => configIssuesOf(issue, knownKeysAt))
  if (result.success) crossChecks(result.data, issues)
  if (!result.success || issues.length > 0) {
    throw new RampartConfigError(SCOPE, issues, RATE_LIMIT_CONFIG_CODE)
  }
  const o = result.data
  const policies: ParsedPolicy[] = (
    o.policies ?? [
      { name: o.name, limit: o.limit, window: o.window, algorithm: o.algorithm, burst: o.burst },
    ]
  ).map((p) => ({
    name: p.name,
    limit: p.limit as number | DynamicLimit,
    window: p.window as number,
    algorithm: p.algorithm ?? 'sliding-window',
    burst: p.burst,
  }))
  return {
    policies,
    key: o.key as RateLimitCommonOptions['key'],
    ipv6Subnet: o.ipv6Subnet,
    onMissingKey: o.onMissingKey ?? 'deny',
    prefix: o.prefix,
    store: o.store,
    onStoreFailure: o.onStoreFailure ?? 'fallback',
    storeTimeout: o.storeTimeout === false ? 0 : (o.storeTimeout ?? 500),
    instances: o.instances,
    cost: (o.cost ?? 1) as ParsedOptions['cost'],
    skip: o.skip as RateLimitCommonOptions['skip'],
    skipSuccessfulRequests: o.skipSuccessfulRequests ?? false,
    skipFailedRequests: o.skipFailedRequests ?? false,
    allow: o.allow,
    deny: o.deny,
    block: o.block,
    headers: o.headers ?? 'draft',
    partitionKey: o.partitionKey,
    includeKeyInEvents: o.includeKeyInEvents ?? false,
    onEvent: o.onEvent as SecurityEventHandler | undefined,
  }
}

/** Throws a configuration error for issues found after parsing (names, prefixes). */
export function configError(issues: readonly ConfigIssue[]): RampartConfigError {
  return new RampartConfigError(SCOPE, issues, RATE_LIMIT_CONFIG_CODE)
}
