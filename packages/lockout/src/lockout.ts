/**
 * `lockout()`: the guard and the programmatic API. An attempt is *reserved* before the secret is
 * checked (one atomic batch per account and per IP), then settled as a success, a failure or
 * cancelled. Reservations count against the thresholds, so parallel guesses cannot overtake the
 * check: with a threshold of 5, at most 5 verifications ever run for a pair.
 * @module
 */
import {
  type ConsumeRequest,
  type ConsumeResult,
  defineGuard,
  fallbackStore,
  type Guard,
  ipKeyer,
  isStoreUnavailableError,
  memoryStore,
  normalizeIp,
  type RampartStore,
  type SecurityContext,
  type SecurityEventMap,
  type SecurityEventType,
  safeEmit,
  stateKey,
} from '@rampart/core'
import type { LockoutCounter } from './events.js'
import { base64url, identityHasher, normalizeIdentity, randomSecret } from './identity.js'
import {
  type AccountKeys,
  accountKeys,
  type CounterKeys,
  ipKeys,
  pairKeys,
  UNKNOWN_IP,
} from './keys.js'
import {
  type CounterConfig,
  type LockoutOptions,
  type ResolvedOptions,
  resolveOptions,
} from './options.js'
import { lockoutUnavailable, tooManyAttempts, UNAVAILABLE_RETRY_SECONDS } from './problems.js'

/** A reserved attempt: verify the secret, then settle it exactly once. */
export interface Attempt {
  readonly allowed: true
  /** The secret was right: clears the pair's and the account's failures. */
  succeed(): Promise<void>
  /** The secret was wrong: counts a failure everywhere and locks what reached its threshold. */
  fail(): Promise<void>
  /** Nothing was verified (an error, a 5xx, a dropped request): the reservation is returned. */
  cancel(): Promise<void>
}

/** A refused attempt: a lock, a delay or a ceiling applies. */
export interface Refusal {
  readonly allowed: false
  /** Ms until an attempt may be admitted again. */
  readonly retryAfter: number
}

/** What {@link Lockout.begin} answers. */
export type BeginResult = Attempt | Refusal

/** One counter's state, as {@link Lockout.status} reports it. */
export interface CounterStatus {
  /** Settled failures in the current window. */
  readonly failures: number
  readonly locked: boolean
  /** Ms until the lock (or, for the account, the current delay) ends; 0 when none. */
  readonly retryAfter: number
}

/** What {@link Lockout.status} reports, for support tools. */
export interface LockoutStatus {
  /** Whether an attempt for this identity (from `ip`, when given) would be refused now. */
  readonly locked: boolean
  /** Ms until it would be admitted; 0 when it would be now. */
  readonly retryAfter: number
  readonly account?: CounterStatus
  readonly pair?: CounterStatus
  readonly ip?: CounterStatus
}

/** The guard plus the programmatic API. */
export interface Lockout extends Guard {
  readonly name: 'lockout'
  /**
   * Reserves an attempt for `identity` from `ip` before the secret is checked. Rejects with a
   * `StoreUnavailableError` while the store fails (with `onStoreFailure: 'open'`: admits, uncounted).
   */
  begin(identity: unknown, ip: string | undefined): Promise<BeginResult>
  /** The counters of `identity` (and of its pair with `ip`, and of `ip`, when given). */
  status(identity: unknown, ip?: string): Promise<LockoutStatus>
  /** Clears the account's counters, delay and lock, and its pairs with every IP. */
  unlock(identity: unknown): Promise<void>
  /** Clears an IP's spraying counter and block. */
  unlockIp(ip: string): Promise<void>
  /** The store the counters live in. */
  readonly store: RampartStore
}

/** The attempt the guard reserved for this request; a handler may settle it itself. */
export const lockoutAttempt = stateKey<Attempt>('lockoutAttempt')

/** A settled attempt, or one admitted uncounted while the store failed open. */
const SETTLED = async (): Promise<void> => {}
const UNCOUNTED: Attempt = { allowed: true, succeed: SETTLED, fail: SETTLED, cancel: SETTLED }

/** Where events go: the request's context in the guard, `onEvent` outside requests. */
type Emit = <K extends SecurityEventType>(type: K, data: SecurityEventMap[K]) => void

function emitterFor(ctx: SecurityContext | undefined, o: ResolvedOptions): Emit {
  if (ctx !== undefined) return (type, data) => ctx.emit(type, data)
  const handler = o.onEvent
  if (handler === undefined) return () => {}
  return (type, data) =>
    safeEmit(handler, { ...data, type, time: Date.now(), source: 'lockout' } as never)
}

/** What one reservation spent, to settle it later. */
interface Reservation {
  readonly id: string | undefined
  readonly account: AccountKeys | undefined
  readonly pair: CounterKeys | undefined
  readonly ip: CounterKeys | undefined
  /** Whether this attempt holds the account's turn (delays apply). */
  readonly turn: boolean
}

const block = (key: string): ConsumeRequest => ({ key, algorithm: 'block' })

function reserve(key: string, counter: CounterConfig, cost = 1): ConsumeRequest {
  return {
    key,
    algorithm: 'fixed-window',
    window: counter.within,
    limit: counter.failures,
    cost,
  }
}

/**
 * How long an account's unlock epoch is kept: a year. When it expires the account's pairs fall
 * back to epoch `0`; pair state written in the last epoch is then forgotten, once, a year after
 * an unlock (an epoch is written by `unlock()` only).
 */
const EPOCH_TTL = 365 * 24 * 3_600_000

/** A fresh epoch: random, so an expired epoch's value never comes back. */
function newEpoch(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(9)), 9)
}

/** The wait before the next attempt once an account has `failures` failures. */
function delayFor(failures: number, delayAfter: number, delay: number, maxDelay: number): number {
  if (failures < delayAfter) return 0
  return Math.min(maxDelay, delay * 2 ** Math.min(failures - delayAfter, 40))
}

/**
 * Brute-force protection for a login (or OTP, password-reset, API-secret) route. As a guard it
 * reserves an attempt in the request phase and settles it from the final status: a
 * `failureStatuses` status (default 401) is a failure, a `successStatuses` status (default any
 * 2xx) a success, anything else (5xx, other 3xx and 4xx, an aborted response) returns the
 * reservation. A handler can settle it itself through the {@link lockoutAttempt} state.
 * @throws RampartConfigError (code `ERR_RAMPART_LOCKOUT_CONFIG`) when an option is invalid.
 * @example
 * const guard = lockout({ identify: async (ctx) => (await ctx.body() as { username?: string })?.username })
 * app.post('/login', rampart(guard), loginHandler)
 */
export function lockout(options: LockoutOptions): Lockout {
  const o = resolveOptions(options)
  const given = o.store ?? memoryStore({ ...(o.onEvent ? { onEvent: o.onEvent } : {}) })
  // A shared store is wrapped so that any failure of it (a client error, a timeout) is a
  // StoreUnavailableError, answered by onStoreFailure; the wrapper then spares the store for a
  // few seconds before probing it again.
  const store: RampartStore =
    given.shared && given.kind !== 'fallback'
      ? fallbackStore({
          primary: given,
          onFailure: 'closed',
          probeInterval: UNAVAILABLE_RETRY_SECONDS * 1_000,
          name: given.name,
          ...(o.onEvent ? { onEvent: o.onEvent } : {}),
        })
      : given
  const hash = identityHasher(o.secret ?? randomSecret())
  const keyOfIp = ipKeyer()
  const { pair, ip: ipCounter, account } = o
  /** Lifetime of a pair's lock count (escalation): twice its longest lock or window. */
  const locksTtl = 2 * Math.max(pair?.maxLock ?? 0, pair?.within ?? 0)

  async function idOf(identity: unknown): Promise<string | undefined> {
    const normalized = normalizeIdentity(identity, o.caseSensitive)
    return normalized === undefined ? undefined : hash(normalized)
  }

  /** The key of a client address; `undefined` for anything that is not one. */
  function ipOf(raw: string | undefined): string | undefined {
    const ip = raw === undefined ? undefined : normalizeIp(raw)
    return ip === undefined ? undefined : keyOfIp(ip)
  }

  async function epochOf(keys: AccountKeys): Promise<string> {
    return (await store.get(keys.epoch)) ?? '0'
  }

  /** Gives back what a batch spent (its reservations), after a sibling batch refused. */
  async function refund(requests: readonly ConsumeRequest[]): Promise<void> {
    const back: ConsumeRequest[] = []
    for (const r of requests) if (r.algorithm === 'fixed-window') back.push({ ...r, cost: -1 })
    if (back.length > 0) await store.consume(back)
  }

  async function begin(
    identity: unknown,
    rawIp: string | undefined,
    emit: Emit = emitterFor(undefined, o),
  ): Promise<BeginResult> {
    try {
      return await reserveAttempt(identity, rawIp, emit)
    } catch (error) {
      if (!isStoreUnavailableError(error)) throw error
      emit('lockout.unavailable', { store: store.name, open: o.onStoreFailure === 'open' })
      if (o.onStoreFailure === 'open') return UNCOUNTED
      throw error
    }
  }

  async function reserveAttempt(
    identity: unknown,
    rawIp: string | undefined,
    emit: Emit,
  ): Promise<BeginResult> {
    const id = await idOf(identity)
    const ip = ipOf(rawIp)
    const accountK = id === undefined ? undefined : accountKeys(o.prefix, id)
    const ipK = ip === undefined || ipCounter === undefined ? undefined : ipKeys(o.prefix, ip)
    const ipBatch: ConsumeRequest[] =
      ipK === undefined || ipCounter === undefined
        ? []
        : [block(ipK.lock), reserve(ipK.reserved, ipCounter)]
    const [ipSettled, epochSettled] = await Promise.allSettled([
      ipBatch.length > 0 ? store.consume(ipBatch) : undefined,
      accountK !== undefined && pair !== undefined ? epochOf(accountK) : undefined,
    ])
    if (epochSettled.status === 'rejected') {
      if (ipSettled.status === 'fulfilled' && ipSettled.value?.allowed) {
        await refund(ipBatch).catch(() => undefined)
      }
      throw epochSettled.reason
    }
    if (ipSettled.status === 'rejected') throw ipSettled.reason
    const ipResult = ipSettled.value
    const epoch = epochSettled.value
    const refuse = (retryAfter: number): Refusal => {
      emit('lockout.refused', { retryAfter, ...(id === undefined ? {} : { account: id }) })
      return { allowed: false, retryAfter }
    }
    if (ipResult !== undefined && !ipResult.allowed) return refuse(ipResult.retryAfter)

    const pairK =
      accountK !== undefined && pair !== undefined
        ? pairKeys(accountK, epoch as string, ip ?? UNKNOWN_IP)
        : undefined
    const accountBatch: ConsumeRequest[] = []
    if (pairK !== undefined && pair !== undefined) {
      accountBatch.push(block(pairK.lock), reserve(pairK.reserved, pair))
    }
    const accountAt = accountBatch.length
    if (accountK !== undefined && account !== undefined) {
      accountBatch.push(
        block(accountK.lock),
        block(accountK.turn),
        reserve(accountK.reserved, account),
      )
    }
    let accountResult: ConsumeResult | undefined
    if (accountBatch.length > 0) {
      try {
        accountResult = await store.consume(accountBatch)
      } catch (error) {
        await refund(ipBatch).catch(() => undefined)
        throw error
      }
      if (!accountResult.allowed) {
        await refund(ipBatch)
        return refuse(accountResult.retryAfter)
      }
    }

    let turn = false
    if (accountK !== undefined && account !== undefined && accountResult !== undefined) {
      // Failures so far: the account's reservations minus this one (attempts still in flight
      // count too, which only makes the wait longer).
      const reserved = accountResult.results[accountAt + 2]?.count ?? 1
      const wait = delayFor(reserved - 1, account.delayAfter, account.delay, account.maxDelay)
      if (wait > 0) {
        turn = await store.setIfAbsent(accountK.turn, '1', wait)
        if (!turn) {
          // Another attempt took the turn between our check and now.
          await Promise.all([refund(ipBatch), refund(accountBatch)])
          return refuse(wait)
        }
      }
    }
    return attemptOf({ id, account: accountK, pair: pairK, ip: ipK, turn }, emit)
  }

  /** Counts a failure on one counter; locks it when it reaches its threshold. */
  async function failOn(
    keys: CounterKeys,
    counter: CounterConfig,
    name: LockoutCounter,
    id: string | undefined,
    emit: Emit,
  ): Promise<void> {
    const failures = await store.increment(keys.failed, 1, counter.within)
    if (failures < counter.failures) return
    let lockFor = counter.lockFor
    if (counter.factor > 1) {
      const locks = await store.increment(keys.locks, 1, locksTtl)
      lockFor = Math.min(
        counter.maxLock,
        counter.lockFor * counter.factor ** Math.min(locks - 1, 40),
      )
    }
    await store.set(keys.lock, '1', lockFor)
    // The lock takes over; when it ends, the counter starts afresh.
    await Promise.all([store.delete(keys.reserved), store.delete(keys.failed)])
    emit('lockout.locked', {
      counter: name,
      for: lockFor,
      ...(id === undefined ? {} : { account: id }),
    })
  }

  function attemptOf(r: Reservation, emit: Emit): Attempt {
    let settled = false
    const once = (outcome: 'success' | 'failure' | 'cancelled', work: () => Promise<unknown>) => {
      if (settled) return SETTLED()
      settled = true
      const account = r.id === undefined ? {} : { account: r.id }
      return work().then(() => emit('lockout.attempt', { outcome, ...account }))
    }
    const giveBack = (keys: CounterKeys | undefined, counter: CounterConfig | undefined) =>
      keys === undefined || counter === undefined
        ? undefined
        : store.consume([reserve(keys.reserved, counter, -1)])
    return {
      allowed: true,
      succeed: () =>
        once('success', () =>
          Promise.all([
            r.pair && store.delete(r.pair.reserved),
            r.pair && store.delete(r.pair.failed),
            r.pair && pair && pair.factor > 1 && store.delete(r.pair.locks),
            // A success ends the account's run of consecutive failures, and its delays.
            r.account && account && store.delete(r.account.reserved),
            r.account && account && store.delete(r.account.failed),
            r.account && account && store.delete(r.account.turn),
            // The IP's spraying counter keeps its failures; this attempt was not one.
            giveBack(r.ip, ipCounter),
          ]),
        ),
      fail: () =>
        once('failure', () =>
          Promise.all([
            r.pair && pair && failOn(r.pair, pair, 'pair', r.id, emit),
            r.ip && ipCounter && failOn(r.ip, ipCounter, 'ip', r.id, emit),
            r.account && account && failOn(r.account, account, 'account', r.id, emit),
          ]),
        ),
      cancel: () =>
        once('cancelled', () =>
          Promise.all([
            giveBack(r.pair, pair),
            giveBack(r.ip, ipCounter),
            giveBack(r.account, account),
            r.turn && r.account && store.delete(r.account.turn),
          ]),
        ),
    }
  }

  async function counterStatus(keys: CounterKeys, extraGate?: string): Promise<CounterStatus> {
    const gates = [block(keys.lock), ...(extraGate === undefined ? [] : [block(extraGate)])]
    const [checked, failed] = await Promise.all([store.consume(gates), store.get(keys.failed)])
    const lockResult = checked.results[0]
    return {
      failures: failed === undefined ? 0 : Number(failed),
      locked: lockResult !== undefined && !lockResult.allowed,
      retryAfter: checked.retryAfter,
    }
  }

  async function status(identity: unknown, rawIp?: string): Promise<LockoutStatus> {
    const id = await idOf(identity)
    const ip = ipOf(rawIp)
    const accountK = id === undefined ? undefined : accountKeys(o.prefix, id)
    const [accountS, pairS, ipS] = await Promise.all([
      accountK && account ? counterStatus(accountK, accountK.turn) : undefined,
      accountK && pair
        ? epochOf(accountK).then((epoch) =>
            counterStatus(pairKeys(accountK, epoch, ip ?? UNKNOWN_IP)),
          )
        : undefined,
      ip !== undefined && ipCounter ? counterStatus(ipKeys(o.prefix, ip)) : undefined,
    ])
    const parts = [accountS, pairS, ipS].filter((s) => s !== undefined)
    const retryAfter = Math.max(0, ...parts.map((s) => s.retryAfter))
    return {
      locked: retryAfter > 0,
      retryAfter,
      ...(accountS ? { account: accountS } : {}),
      ...(pairS ? { pair: pairS } : {}),
      ...(ipS ? { ip: ipS } : {}),
    }
  }

  async function unlock(identity: unknown): Promise<void> {
    const id = await idOf(identity)
    if (id === undefined) return
    const k = accountKeys(o.prefix, id)
    await Promise.all([
      store.delete(k.reserved),
      store.delete(k.failed),
      store.delete(k.lock),
      store.delete(k.turn),
      // A new epoch, never used before: the account's pairs with every IP start afresh.
      pair ? store.set(k.epoch, newEpoch(), EPOCH_TTL) : undefined,
    ])
    emitterFor(undefined, o)('lockout.unlocked', { account: id })
  }

  async function unlockIp(rawIp: string): Promise<void> {
    const ip = ipOf(rawIp)
    if (ip === undefined) return
    const k = ipKeys(o.prefix, ip)
    await Promise.all([store.delete(k.reserved), store.delete(k.failed), store.delete(k.lock)])
    emitterFor(undefined, o)('lockout.unlocked', { unlockedIp: ip })
  }

  const guard = defineGuard({
    name: 'lockout' as const,
    async request(ctx: SecurityContext): Promise<void> {
      const identity = o.identify === undefined ? undefined : await o.identify(ctx)
      let result: BeginResult
      try {
        result = await begin(identity, ctx.ip, emitterFor(ctx, o))
      } catch (error) {
        if (!isStoreUnavailableError(error)) throw error
        ctx.deny(lockoutUnavailable)
        return
      }
      if (!result.allowed) {
        ctx.deny(tooManyAttempts(result.retryAfter))
        return
      }
      ctx.state.set(lockoutAttempt, result)
    },
    async response(ctx: SecurityContext, res: { status: number; aborted: boolean }): Promise<void> {
      const attempt = ctx.state.get(lockoutAttempt)
      if (attempt === undefined) return
      const { status } = res
      // A failure status counts even when the client went away (it cannot dodge the count by
      // hanging up); a dropped response is never a success (its status may be a default 200).
      if (o.failureStatuses.has(status)) await attempt.fail()
      else if (!res.aborted && o.isSuccess(status)) await attempt.succeed()
      else await attempt.cancel()
    },
  })

  return Object.assign(guard, {
    begin: (identity: unknown, ip: string | undefined) => begin(identity, ip),
    status,
    unlock,
    unlockIp,
    store,
  })
}
