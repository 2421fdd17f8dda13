/**
 * `rateLimit()`: the guard and its programmatic API.
 *
 * One request costs one store round trip in the steady state: the block gate and every policy go
 * to `store.consume` as one all-or-nothing batch, so a request refused by one policy (or by a
 * block) spends nothing anywhere. Escalation (counting violations, starting a block) and refunds
 * (`skipSuccessfulRequests`, `skipFailedRequests`) add calls only when they happen.
 * @module
 */
import {
  type CidrSet,
  type ConfigIssue,
  type ConsumeRequest,
  type ConsumeResult,
  compileCidrs,
  type Duration,
  describeValue,
  fallbackStore,
  type Guard,
  type IpVersion,
  ipKeyer,
  isStoreUnavailableError,
  isThenable,
  memoryStore,
  parseIpInto,
  type RampartStore,
  type RateResult,
  type ResponseInfo,
  type SecurityContext,
  stateKey,
  tryParseDuration,
} from '@rampart/core'
import type { ExceededPolicy } from './events.js'
import { compileHeaders } from './headers.js'
import { encodeClientKey } from './keys.js'
import { configError, MAX_WINDOW, parseRateLimitOptions, type RateLimitOptions } from './options.js'
import { OutsideEvents } from './outside-events.js'
import { type PartitionKeyer, partitionKeyer } from './partition-key.js'
import {
  type CompiledPolicy,
  compilePolicies,
  describePolicies,
  policySignature,
  type RateLimitPolicy,
} from './policies.js'
import {
  ipDenied,
  rateLimited,
  retryAfterSeconds,
  storeUnavailable,
  UNAVAILABLE_RETRY_SECONDS,
  unidentifiedClient,
  type ViolatedPolicy,
} from './problems.js'
import { type RateLimitInfo, type RateLimitPolicyState, rateLimitInfo } from './state.js'

/** Warning code: a request had no client key (see `onMissingKey`). */
export const WARN_NO_KEY = 'RAMPART_RATE_LIMIT_NO_KEY'
/** Warning code: two limiters count into the same store under the same prefix. */
export const WARN_SHARED_PREFIX = 'RAMPART_RATE_LIMIT_SHARED_PREFIX'
/** Warning code: `instances` is above 1 but the store is per process. */
export const WARN_MEMORY_MULTI_INSTANCE = 'RAMPART_RATE_LIMIT_MEMORY_MULTI_INSTANCE'
/** Warning code: the shared store failed; the limiter runs in its `onStoreFailure` mode. */
export const WARN_STORE_DEGRADED = 'RAMPART_RATE_LIMIT_STORE_DEGRADED'

/** Options of the programmatic calls that evaluate policies. */
export interface RateLimitCallOptions {
  /**
   * The limit of policies whose limit is a function (there is no request to call it with).
   * Required when the limiter has such a policy; ignored by the others.
   */
  readonly limit?: number
}

/** Options of {@link RateLimiter.consume}. */
export interface ConsumeOptions extends RateLimitCallOptions {
  /** Units to spend. Default: the limiter's `cost` when it is a number, else 1. */
  readonly cost?: number
}

/**
 * A rate limiter: a guard (named `'rate-limit'`) for `rampart(...)`, plus methods for code paths
 * that are not requests (a login service, a queue consumer, an admin action). Programmatic keys
 * are client keys: with the default key, pass an IP (normalised and reduced to its IPv6 subnet
 * as requests are); with your own `key`, what it returns (a user id, an API key id).
 */
export interface RateLimiter extends Guard {
  readonly name: 'rate-limit'
  /** Checks and spends for one request; refuses with 429 (or 403, 503) when it must. */
  request(ctx: SecurityContext): void | Promise<void>
  /** The policies, as compiled (names and defaults resolved). */
  readonly policies: readonly RateLimitPolicy[]
  /** The prefix of every store key. */
  readonly prefix: string
  /** The store the limiter uses (the given one, wrapped in a fallback store when it is shared). */
  readonly store: RampartStore
  /**
   * Spends `cost` units on every policy if all admit, like a request; escalation applies. Emits
   * `rate-limit.exceeded` (and `rate-limit.blocked`) to the limiter's `onEvent` when refused.
   */
  consume(key: string, options?: ConsumeOptions): Promise<RateLimitInfo>
  /**
   * The client's standing, spending nothing. `allowed`: not blocked and every policy has at
   * least the limiter's cost (or 1) left. `retryAfter`: the block's time left, else 0.
   */
  peek(key: string, options?: RateLimitCallOptions): Promise<RateLimitInfo>
  /** Gives back `units` (default 1) on every policy, never above a full quota. Returns the standing after. */
  reward(key: string, units?: number, options?: RateLimitCallOptions): Promise<RateLimitInfo>
  /**
   * Spends `units` (default 1) on every policy without being refused. Windows and GCRA count past
   * the limit, so the client stays limited until the excess has passed (a debt); a token bucket
   * cannot hold a debt and is emptied instead. Does not count as a violation. Returns the standing.
   */
  penalty(key: string, units?: number, options?: RateLimitCallOptions): Promise<RateLimitInfo>
  /** Forgets the client: every policy's state, its violations and its block. */
  reset(key: string): Promise<void>
  /** Blocks the client for `duration` (ms or `'15m'`): every request is refused meanwhile. */
  block(key: string, duration: Duration): Promise<void>
  /** Lifts the client's block and forgets its violations. */
  unblock(key: string): Promise<void>
}

/** What the response phase needs to refund a request. */
interface Spent {
  readonly base: string
  readonly cost: number
  readonly limits: readonly number[]
}

/** One decision for one client. */
interface Decision {
  readonly allowed: boolean
  readonly blocked: boolean
  /** ms; 0 when allowed. */
  readonly retryAfter: number
  /** ms left on the block, when blocked. */
  readonly blockLeft: number
  /** The batch results: the block gate (when gated), then one per policy. */
  readonly results: readonly RateResult[]
  /** Index of the first policy's result: 1 with a block gate, else 0. */
  readonly offset: number
  readonly limits: readonly number[]
  readonly base: string
}

/** Compact key tags handed out per per-process store, by prefix. */
const compactTags = new WeakMap<object, Map<string, string>>()

/**
 * The tag in front of client keys on a per-process store shared by several limiters: one per
 * prefix (so limiters with the same prefix still count together, as on Redis). The first 254 are
 * one character (\u0001-\u00fe: the key stays a short, flat one-byte string), later ones
 * `\u00ff<n>\u0000`. Tags are distinct and prefix-free, so no client key of one limiter can
 * spell another limiter's key.
 */
function compactTag(store: object, prefix: string): string {
  let byPrefix = compactTags.get(store)
  if (byPrefix === undefined) {
    byPrefix = new Map()
    compactTags.set(store, byPrefix)
  }
  let tag = byPrefix.get(prefix)
  if (tag === undefined) {
    const n = byPrefix.size + 1
    tag = n < 0xff ? String.fromCharCode(n) : `\u00ff${n}\u0000`
    byPrefix.set(prefix, tag)
  }
  return tag
}

/** Stores already used by a limiter, by prefix: two limiters on one store and prefix share counts. */
const registry = new WeakMap<object, Map<string, [string, string][][]>>()

function registerPrefix(store: object, prefix: string, warnings: [string, string][]): void {
  let byPrefix = registry.get(store)
  if (byPrefix === undefined) {
    byPrefix = new Map()
    registry.set(store, byPrefix)
  }
  const others = byPrefix.get(prefix)
  if (others === undefined) {
    byPrefix.set(prefix, [warnings])
    return
  }
  const warning: [string, string] = [
    WARN_SHARED_PREFIX,
    `two rate limiters use the same store and the prefix '${prefix}', so they count into the same keys (and one reset clears both). Give each limiter its own prefix.`,
  ]
  for (const list of [...others, warnings]) {
    if (!list.some(([code]) => code === WARN_SHARED_PREFIX)) list.push(warning)
  }
  others.push(warnings)
}

/** Whole units, rounded down, ignoring floating-point noise; never negative. */
function wholeUnits(value: number): number {
  return value <= 0 ? 0 : Math.floor(value + 1e-9)
}

function ignore(): void {}

/** A limit far above any real one: "count without refusing" for windows and GCRA. */
const UNLIMITED = Number.MAX_SAFE_INTEGER

/**
 * Creates a rate limiter. Options are validated once, here; the request path only fills in keys
 * and numbers.
 * @throws RampartConfigError (code `ERR_RAMPART_RATE_LIMIT_CONFIG`) listing every invalid option.
 * @example
 * app.use(rampart(rateLimit({ limit: 100, window: '1m' })))
 * @example
 * // Several policies, checked together: a burst limit and an hourly quota.
 * rateLimit({ policies: [{ limit: 10, window: '1s' }, { limit: 1000, window: '1h' }] })
 */
export function rateLimit(options: RateLimitOptions): RateLimiter {
  const o = parseRateLimitOptions(options)
  const issues: ConfigIssue[] = []
  const policies: readonly CompiledPolicy[] = compilePolicies(
    o.policies,
    (options as { policies?: unknown }).policies !== undefined,
    issues,
  )
  if (issues.length > 0) throw configError(issues)
  const n = policies.length
  const prefix = o.prefix ?? `rl:${policySignature(policies)}:`
  const indexes = policies.map((p) => String(p.index))

  // Events outside requests, and the store (wrapped when shared, so an outage degrades).
  const outside = new OutsideEvents(o.onEvent, 'rate-limit')
  const given = o.store ?? memoryStore({ onEvent: o.onEvent })
  const store: RampartStore =
    given.shared && given.kind !== 'fallback'
      ? fallbackStore({
          primary: given,
          onFailure: o.onStoreFailure,
          timeout: o.storeTimeout === 0 ? false : o.storeTimeout,
          probeInterval: UNAVAILABLE_RETRY_SECONDS * 1_000,
          onEvent: outside.fromStore,
          name: given.name,
        })
      : given
  const degradable = store.kind === 'fallback' ? (store as { degraded?: boolean }) : undefined
  const degradedMessage =
    o.onStoreFailure === 'open'
      ? `the store '${store.name}' failed: requests are admitted without limits until it answers again (onStoreFailure: 'open')`
      : o.onStoreFailure === 'closed'
        ? `the store '${store.name}' failed: requests are refused with 503 until it answers again (onStoreFailure: 'closed')`
        : `the store '${store.name}' failed: limits are counted in memory, per instance, until it answers again (onStoreFailure: 'fallback')`

  // One-time warnings, raised through the first requests (construction has no event sink).
  const warnings: [string, string][] = []
  registerPrefix(given, prefix, warnings)
  if (o.instances !== undefined && o.instances > 1 && !given.shared) {
    warnings.push([
      WARN_MEMORY_MULTI_INSTANCE,
      `instances is ${o.instances} but the store '${given.name}' is not shared: each instance enforces the limits alone, so a client gets up to ${o.instances}× the limit. Use a shared store such as redisStore() from @rampart/redis.`,
    ])
  }

  // Keys, lists, costs, limits, headers: everything decided once.
  const keyFn = o.key
  const keyer = keyFn === undefined ? ipKeyer({ ipv6Subnet: o.ipv6Subnet ?? 56 }) : undefined
  const allow: CidrSet | undefined = o.allow?.length ? compileCidrs(o.allow, 'allow') : undefined
  const deny: CidrSet | undefined = o.deny?.length ? compileCidrs(o.deny, 'deny') : undefined
  const lists = allow !== undefined || deny !== undefined
  const bytes = new Uint8Array(16)
  const allowMissing = o.onMissingKey === 'allow'
  const missingMessage = `rateLimit: a request had no client key (${keyFn === undefined ? 'the client IP is unknown: check the adapter and trust-proxy set-up' : 'your key function returned nothing'}), so it was ${allowMissing ? "let through unlimited (onMissingKey: 'allow')" : "refused with 403 (onMissingKey: 'deny')"}. Keyless requests never share a bucket.`
  const skip = o.skip
  const costOption = o.cost
  const staticCost = typeof costOption === 'number' ? costOption : undefined
  const staticLimits: readonly number[] | undefined = policies.every((p) => p.limit !== undefined)
    ? Object.freeze(policies.map((p) => p.limit as number))
    : undefined
  const escalation = o.block
  const headerPlan = compileHeaders(policies, o.headers)
  const headersOn = o.headers !== false
  const pk: PartitionKeyer | undefined =
    o.partitionKey !== undefined ? partitionKeyer(o.partitionKey.secret) : undefined
  const includeKey = o.includeKeyInEvents
  const refunds = o.skipSuccessfulRequests || o.skipFailedRequests
  const skipSuccessful = o.skipSuccessfulRequests
  const skipFailed = o.skipFailedRequests
  const spentKey = stateKey<Spent>('rateLimitSpent')

  // A per-process store (memory) needs no readable prefix or hash tag: keys are the client key
  // behind a short tag ('' on a store this limiter made for itself), so a check builds no long
  // string and hashes none (the prefixed layout cost about 40% of a memory check, measured).
  const compact = !given.shared
  const tag = compact ? (o.store === undefined ? '' : compactTag(given, prefix)) : ''

  /** The base of a client's keys: `<prefix>{<client>}:` (or the client key, when compact). */
  function baseOf(clientKey: string): string {
    return compact ? tag + clientKey : `${prefix}{${encodeClientKey(clientKey)}}:`
  }

  /** A policy's key: `<base><index>`, or on a private memory store the client key itself. */
  function policyKey(base: string, index: number): string {
    return compact ? (n === 1 ? base : `${base}\u0000${index}`) : base + (indexes[index] as string)
  }

  function blockKey(base: string): string {
    return compact ? `${base}\u0000block` : `${base}block`
  }

  function violationsKey(base: string): string {
    return compact ? `${base}\u0000violations` : `${base}violations`
  }

  // The block gate rides in the batch whenever a block can exist: with escalation, on a shared
  // store (another instance may call block()), or once block() was called here. A memory store
  // without escalation skips it until then: half the work of a per-request check.
  let gated = escalation !== undefined || given.shared

  /** The batch: the block gate (when gated), then one request per policy. */
  function batchOf(base: string, cost: number, limits: readonly number[]): ConsumeRequest[] {
    const offset = gated ? 1 : 0
    const batch: ConsumeRequest[] = new Array(n + offset)
    if (offset === 1) batch[0] = { key: blockKey(base), algorithm: 'block' }
    for (let i = 0; i < n; i++) {
      batch[i + offset] = (policies[i] as CompiledPolicy).build(
        policyKey(base, i),
        cost,
        limits[i] as number,
      )
    }
    return batch
  }

  /** Emits through the request when there is one, else to `onEvent`. */
  function emitExceeded(ctx: SecurityContext | undefined, d: Decision, clientKey: string): void {
    const violated: ExceededPolicy[] = []
    for (let i = 0; i < n; i++) {
      const r = d.results[i + d.offset] as RateResult
      if (!r.allowed) {
        const p = policies[i] as CompiledPolicy
        violated.push({
          name: p.name,
          limit: d.limits[i] as number,
          window: p.window,
          retryAfter: r.retryAfter,
        })
      }
    }
    const data = {
      policies: violated,
      retryAfter: d.retryAfter,
      blocked: d.blocked,
      ...(includeKey ? { key: clientKey } : {}),
    }
    if (ctx !== undefined) ctx.emit('rate-limit.exceeded', data)
    else outside.emit('rate-limit.exceeded', data)
  }

  // A store that answers synchronously (the memory store) keeps the whole check synchronous:
  // no promise, no tick, and the guard's request phase stays synchronous for the engine.
  const syncStore =
    typeof store.consumeSync === 'function'
      ? (store as RampartStore & Required<Pick<RampartStore, 'consumeSync'>>)
      : undefined

  /** The batch's verdict, before escalation. */
  function verdict(
    result: ConsumeResult,
    offset: number,
    limits: readonly number[],
    base: string,
  ): Decision {
    if (result.allowed) {
      return {
        allowed: true,
        blocked: false,
        retryAfter: 0,
        blockLeft: 0,
        results: result.results,
        offset,
        limits,
        base,
      }
    }
    const gate = offset === 1 ? (result.results[0] as RateResult) : undefined
    const blocked = gate !== undefined && !gate.allowed
    return {
      allowed: false,
      blocked,
      retryAfter: result.retryAfter,
      blockLeft: blocked ? (gate as RateResult).retryAfter : 0,
      results: result.results,
      offset,
      limits,
      base,
    }
  }

  /** Counts a refusal towards escalation and starts the block when it is due. */
  async function escalate(
    d: Decision,
    clientKey: string,
    ctx: SecurityContext | undefined,
  ): Promise<Decision> {
    const rules = escalation as NonNullable<typeof escalation>
    const base = d.base
    try {
      const violations = await store.increment(violationsKey(base), 1, rules.within)
      if (violations < rules.after) return d
      await store.set(blockKey(base), '1', rules.for)
      await store.delete(violationsKey(base))
      const data = {
        for: rules.for,
        violations,
        ...(includeKey ? { key: clientKey } : {}),
      }
      if (ctx !== undefined) ctx.emit('rate-limit.blocked', data)
      else outside.emit('rate-limit.blocked', data)
      return {
        ...d,
        blocked: true,
        blockLeft: rules.for,
        retryAfter: Math.max(d.retryAfter, rules.for),
      }
    } catch (error) {
      // Escalation is best effort: a store that is down must not turn a 429 into a 503.
      if (!isStoreUnavailableError(error)) throw error
      return d
    }
  }

  /** Whether a verdict still needs escalation (a refusal by a policy, not by a block). */
  function escalates(d: Decision): boolean {
    return !d.allowed && !d.blocked && escalation !== undefined
  }

  /**
   * One check: the batch, then escalation when refused by a policy. Synchronous on a
   * synchronous store unless escalation has to write.
   */
  function decide(
    clientKey: string,
    cost: number,
    limits: readonly number[],
    ctx: SecurityContext | undefined,
  ): Decision | Promise<Decision> {
    const base = baseOf(clientKey)
    const batch = batchOf(base, cost, limits)
    const offset = batch.length - n
    if (syncStore !== undefined) {
      const d = verdict(syncStore.consumeSync(batch), offset, limits, base)
      return escalates(d) ? escalate(d, clientKey, ctx) : d
    }
    return store.consume(batch).then((result) => {
      const d = verdict(result, offset, limits, base)
      return escalates(d) ? escalate(d, clientKey, ctx) : d
    })
  }

  /** The state and headers view of a decision. */
  function infoOf(d: Decision, now: number): RateLimitInfo {
    const states: RateLimitPolicyState[] = new Array(n)
    const blockEnds = d.blocked ? now + d.blockLeft : 0
    for (let i = 0; i < n; i++) {
      const r = d.results[i + d.offset] as RateResult
      const p = policies[i] as CompiledPolicy
      states[i] = {
        name: p.name,
        limit: d.limits[i] as number,
        remaining: d.blocked ? 0 : wholeUnits(r.remaining),
        resetAt: Math.max(r.resetAt, blockEnds),
        window: p.window,
      }
    }
    return { allowed: d.allowed, blocked: d.blocked, retryAfter: d.retryAfter, policies: states }
  }

  function deny429(ctx: SecurityContext, d: Decision): void {
    const violated: ViolatedPolicy[] = []
    for (let i = 0; i < n; i++) {
      const r = d.results[i + d.offset] as RateResult
      if (r.allowed) continue
      const p = policies[i] as CompiledPolicy
      violated.push({
        name: p.name,
        limit: d.limits[i] as number,
        window: p.windowSeconds,
        retryAfter: retryAfterSeconds(r.retryAfter),
      })
    }
    ctx.deny(rateLimited(d.retryAfter, d.blocked, violated))
  }

  function missingKey(ctx: SecurityContext): void {
    ctx.warnOnce(WARN_NO_KEY, missingMessage)
    if (allowMissing) return
    ctx.emit('rate-limit.denied', { reason: 'no-key' })
    ctx.deny(unidentifiedClient)
  }

  async function costOf(ctx: SecurityContext): Promise<number> {
    let value = (costOption as (ctx: SecurityContext) => number | Promise<number>)(ctx)
    if (isThenable(value)) value = await value
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new RangeError(
        `rateLimit: cost must return a finite number of zero or more, received ${describeValue(value)}`,
      )
    }
    return value
  }

  async function limitsOf(ctx: SecurityContext): Promise<readonly number[]> {
    const limits: number[] = new Array(n)
    for (let i = 0; i < n; i++) {
      const p = policies[i] as CompiledPolicy
      if (p.dynamicLimit === undefined) {
        limits[i] = p.limit as number
        continue
      }
      let value = p.dynamicLimit(ctx)
      if (isThenable(value)) value = await value
      if (typeof value !== 'number' || !(value > 0) || value === Number.POSITIVE_INFINITY) {
        throw new RangeError(
          `rateLimit: the limit function of policy '${p.name}' must return a positive finite number, received ${describeValue(value)}`,
        )
      }
      limits[i] = value
    }
    return limits
  }

  /** Whether a request can be decided without awaiting anything of the caller's. */
  const plain =
    skip === undefined &&
    keyFn === undefined &&
    staticCost !== undefined &&
    staticLimits !== undefined &&
    pk === undefined

  /**
   * The request phase. The common case (default key, static cost and limits, no skip function,
   * no partition key) runs synchronously on a synchronous store; anything that may await goes
   * through {@link requestAsync}.
   */
  function request(ctx: SecurityContext): void | Promise<void> {
    if (warnings.length > 0) for (const [code, message] of warnings) ctx.warnOnce(code, message)
    if (outside.pending) outside.drain(ctx)
    if (lists && listed(ctx)) return
    if (!plain) return requestAsync(ctx)
    const clientKey = ipClientKey(ctx)
    if (clientKey === undefined) {
      missingKey(ctx)
      return
    }
    const cost = staticCost as number
    const limits = staticLimits as readonly number[]
    let d: Decision | Promise<Decision>
    try {
      d = decide(clientKey, cost, limits, ctx)
    } catch (error) {
      unavailable(ctx, error)
      return
    }
    if (isThenable(d)) {
      return d.then(
        (decided) => finish(ctx, decided, clientKey, cost, limits, undefined),
        (error: unknown) => unavailable(ctx, error),
      )
    }
    finish(ctx, d, clientKey, cost, limits, undefined)
  }

  /** Allow and deny lists: true when they settled the request (denied, or allowed unlimited). */
  function listed(ctx: SecurityContext): boolean {
    const ip = ctx.ip
    const version = ip === undefined ? 0 : parseIpInto(ip, bytes)
    if (version === 0) return false
    if (deny?.hasBytes(version as IpVersion, bytes)) {
      ctx.emit('rate-limit.denied', { reason: 'deny-list' })
      ctx.deny(ipDenied)
      return true
    }
    return allow?.hasBytes(version as IpVersion, bytes) === true
  }

  /** The default key: the client IP, IPv6 reduced to its subnet. */
  function ipClientKey(ctx: SecurityContext): string | undefined {
    const ip = ctx.ip
    if (ip === undefined || ip === '') return undefined
    return (keyer as (ip: string) => string)(ip)
  }

  /** A store failure: 503 when the store is unavailable; anything else is a guard failure. */
  function unavailable(ctx: SecurityContext, error: unknown): void {
    if (!isStoreUnavailableError(error)) throw error
    if (outside.pending) outside.drain(ctx)
    ctx.warnOnce(WARN_STORE_DEGRADED, degradedMessage)
    ctx.deny(storeUnavailable)
  }

  /** State, headers, refusal and refund bookkeeping for a decided request. */
  function finish(
    ctx: SecurityContext,
    d: Decision,
    clientKey: string,
    cost: number,
    limits: readonly number[],
    partition: string | undefined,
  ): void {
    if (degradable?.degraded === true) {
      if (outside.pending) outside.drain(ctx)
      ctx.warnOnce(WARN_STORE_DEGRADED, degradedMessage)
    }
    const now = ctx.now()
    const info = infoOf(d, now)
    ctx.state.set(rateLimitInfo, info)
    if (headersOn) ctx.response.headers.stage(headerPlan.build(info, partition, now))
    if (!d.allowed) {
      emitExceeded(ctx, d, clientKey)
      deny429(ctx, d)
      return
    }
    if (refunds && cost > 0) ctx.state.set(spentKey, { base: d.base, cost, limits })
  }

  /** The request phase when a skip, key, cost or limit function or a partition key may await. */
  async function requestAsync(ctx: SecurityContext): Promise<void> {
    if (skip !== undefined) {
      let skipped = skip(ctx)
      if (isThenable(skipped)) skipped = await skipped
      if (skipped === true) return
    }
    let clientKey: string | undefined | PromiseLike<string | undefined>
    if (keyFn !== undefined) {
      clientKey = keyFn(ctx)
      if (isThenable(clientKey)) clientKey = await clientKey
      if (clientKey !== undefined && typeof clientKey !== 'string') {
        throw new TypeError(
          `rateLimit: key must return a string or undefined, received ${describeValue(clientKey)}`,
        )
      }
    } else {
      clientKey = ipClientKey(ctx)
    }
    if (clientKey === undefined || clientKey === '') {
      missingKey(ctx)
      return
    }
    const cost = staticCost ?? (await costOf(ctx))
    const limits = staticLimits ?? (await limitsOf(ctx))
    // The HMAC runs while the store answers.
    const partition = pk !== undefined && headersOn ? pk(clientKey) : undefined
    // Handled here so an early return cannot leave it unhandled; awaited below as usual.
    partition?.catch(ignore)
    let d: Decision
    try {
      d = await decide(clientKey, cost, limits, ctx)
    } catch (error) {
      unavailable(ctx, error)
      return
    }
    finish(ctx, d, clientKey, cost, limits, partition === undefined ? undefined : await partition)
  }

  async function response(ctx: SecurityContext, res: ResponseInfo): Promise<void> {
    const spent = ctx.state.get(spentKey)
    if (spent === undefined) return
    const failed = res.aborted || res.status >= 400
    if (failed ? !skipFailed : !skipSuccessful) return
    try {
      await refund(spent.base, spent.cost, spent.limits)
    } catch (error) {
      if (!isStoreUnavailableError(error)) throw error
    }
  }

  /** Gives `units` back on every policy (a negative-cost batch never refuses). */
  function refund(base: string, units: number, limits: readonly number[]): Promise<ConsumeResult> {
    const batch: ConsumeRequest[] = new Array(n)
    for (let i = 0; i < n; i++) {
      batch[i] = (policies[i] as CompiledPolicy).build(
        policyKey(base, i),
        -units,
        limits[i] as number,
      )
    }
    return store.consume(batch)
  }

  // Programmatic API.

  function clientKeyOf(key: string): string {
    if (typeof key !== 'string' || key === '') {
      throw new TypeError(
        `rateLimit: key must be a non-empty string, received ${describeValue(key)}`,
      )
    }
    return keyer === undefined ? key : keyer(key)
  }

  function limitsFor(call: RateLimitCallOptions | undefined): readonly number[] {
    if (staticLimits !== undefined) return staticLimits
    const given = call?.limit
    if (typeof given !== 'number' || !(given > 0) || given === Number.POSITIVE_INFINITY) {
      throw new RangeError(
        `rateLimit: this limiter has a policy with a dynamic limit; pass { limit } (a positive finite number), received ${describeValue(given)}`,
      )
    }
    return policies.map((p) => p.limit ?? given)
  }

  function units(value: number | undefined, what: string, fallback: number): number {
    const v = value ?? fallback
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new RangeError(
        `rateLimit: ${what} must be a finite number of zero or more, received ${describeValue(v)}`,
      )
    }
    return v
  }

  async function peek(key: string, call?: RateLimitCallOptions): Promise<RateLimitInfo> {
    const clientKey = clientKeyOf(key)
    const limits = limitsFor(call)
    const base = baseOf(clientKey)
    const batch = batchOf(base, 0, limits)
    const offset = batch.length - n
    const result = await store.consume(batch)
    const gate = offset === 1 ? (result.results[0] as RateResult) : undefined
    const blocked = gate !== undefined && !gate.allowed
    const left = blocked ? (gate as RateResult).retryAfter : 0
    const d: Decision = {
      allowed: !blocked,
      blocked,
      retryAfter: left,
      blockLeft: left,
      results: result.results,
      offset,
      limits,
      base,
    }
    const info = infoOf(d, Date.now())
    if (blocked) return info
    const need = staticCost ?? 1
    for (let i = offset; i < n + offset; i++) {
      if ((result.results[i] as RateResult).remaining + 1e-9 < need)
        return { ...info, allowed: false }
    }
    return info
  }

  async function penalize(base: string, p: CompiledPolicy, amount: number, limit: number) {
    const key = policyKey(base, p.index)
    switch (p.algorithm) {
      case 'fixed-window':
        await store.hit(key, { window: p.window, cost: amount })
        return
      case 'sliding-window':
        await store.slidingHit(key, { window: p.window, limit: UNLIMITED, cost: amount })
        return
      case 'gcra':
        await store.take(key, {
          algorithm: 'gcra',
          burst: UNLIMITED,
          emissionInterval: p.window / limit,
          cost: amount,
        })
        return
      case 'token-bucket': {
        const bucket = {
          algorithm: 'token-bucket' as const,
          capacity: p.burst ?? limit,
          refillPerMs: limit / p.window,
        }
        const taken = await store.take(key, { ...bucket, cost: Math.min(amount, bucket.capacity) })
        if (!taken.allowed && taken.remaining > 0) {
          await store.take(key, { ...bucket, cost: taken.remaining })
        }
      }
    }
  }

  /** A programmatic check's answer (the event is emitted here: there is no request). */
  function settled(d: Decision, clientKey: string): RateLimitInfo {
    if (!d.allowed) emitExceeded(undefined, d, clientKey)
    return infoOf(d, Date.now())
  }

  const limiter: RateLimiter = {
    name: 'rate-limit',
    request,
    ...(refunds ? { response } : {}),
    policies: describePolicies(policies),
    prefix,
    store,
    consume(key, call) {
      try {
        const clientKey = clientKeyOf(key)
        const cost = units(call?.cost, 'cost', staticCost ?? 1)
        const decided = decide(clientKey, cost, limitsFor(call), undefined)
        if (isThenable(decided)) return decided.then((d) => settled(d, clientKey))
        return Promise.resolve(settled(decided, clientKey))
      } catch (error) {
        return Promise.reject(error)
      }
    },
    peek,
    async reward(key, amount, call) {
      const clientKey = clientKeyOf(key)
      const n = units(amount, 'units', 1)
      if (n > 0) await refund(baseOf(clientKey), n, limitsFor(call))
      return peek(key, call)
    },
    async penalty(key, amount, call) {
      const clientKey = clientKeyOf(key)
      const n = units(amount, 'units', 1)
      const limits = limitsFor(call)
      const base = baseOf(clientKey)
      if (n > 0)
        await Promise.all(policies.map((p) => penalize(base, p, n, limits[p.index] as number)))
      return peek(key, call)
    },
    async reset(key) {
      const base = baseOf(clientKeyOf(key))
      await Promise.all([
        ...policies.map((p) => store.delete(policyKey(base, p.index))),
        store.delete(blockKey(base)),
        store.delete(violationsKey(base)),
      ])
    },
    async block(key, duration) {
      const base = baseOf(clientKeyOf(key))
      const parsed = tryParseDuration(duration)
      if (!parsed.ok || parsed.ms < 1 || parsed.ms > MAX_WINDOW) {
        throw new RangeError(
          `rateLimit: block duration must be 1 ms to a year, ${parsed.ok ? `received ${parsed.ms} ms` : parsed.reason}`,
        )
      }
      gated = true
      await store.set(blockKey(base), '1', parsed.ms)
    },
    async unblock(key) {
      const base = baseOf(clientKeyOf(key))
      await Promise.all([store.delete(blockKey(base)), store.delete(violationsKey(base))])
    },
  }
  return limiter
}
