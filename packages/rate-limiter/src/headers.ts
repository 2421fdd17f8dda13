/**
 * The rate-limit response headers:
 * - the IETF draft (draft-ietf-httpapi-ratelimit-headers-09/-10): `RateLimit-Policy` and
 *   `RateLimit`, Structured Fields lists with one member per policy, e.g.
 *   `RateLimit-Policy: "100-per-1m";q=100;w=60` and `RateLimit: "100-per-1m";r=42;t=17`;
 * - the legacy `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset` (epoch seconds)
 *   for the most restrictive policy, as express-rate-limit and most gateways send them.
 *
 * Constant parts are built at construction; a request fills in numbers.
 * @module
 */
import { type PreparedHeader, prepareHeaders, type StagedHeader } from '@rampart/core'
import type { CompiledPolicy } from './policies.js'
import type { RateLimitInfo } from './state.js'

/** Header names as sent, with their lower-cased keys prepared once. */
const [POLICY, LIMIT, LEGACY_LIMIT, LEGACY_REMAINING, LEGACY_RESET] = prepareHeaders(
  [
    'RateLimit-Policy',
    'RateLimit',
    'X-RateLimit-Limit',
    'X-RateLimit-Remaining',
    'X-RateLimit-Reset',
  ].map((name) => ({ name, value: '' })),
) as unknown as readonly PreparedHeader[]

function header(prepared: PreparedHeader | undefined, value: string): StagedHeader {
  const p = prepared as PreparedHeader
  return { name: p.name, key: p.key, value, mode: 'default' }
}

/** Seconds from `now` until `at`, rounded up, never negative. */
export function secondsUntil(at: number, now: number): number {
  const ms = at - now
  return ms <= 0 ? 0 : Math.ceil(ms / 1_000)
}

/** Index of the most restrictive policy: least remaining, then latest reset. */
export function mostRestrictive(info: RateLimitInfo): number {
  const policies = info.policies
  let best = 0
  for (let i = 1; i < policies.length; i++) {
    const p = policies[i] as RateLimitInfo['policies'][number]
    const b = policies[best] as RateLimitInfo['policies'][number]
    if (p.remaining < b.remaining || (p.remaining === b.remaining && p.resetAt > b.resetAt))
      best = i
  }
  return best
}

/** Builds the headers a limiter stages. */
export interface HeaderPlan {
  /**
   * The headers for one decision (empty when headers are off).
   * @param partitionKey the `pk` value (base64, without colons), when partition keys are on.
   * @param now the request's clock, for the seconds until each reset.
   */
  build(info: RateLimitInfo, partitionKey: string | undefined, now: number): readonly StagedHeader[]
}

/** Compiles the header plan for a limiter's policies and `headers` option. */
export function compileHeaders(
  policies: readonly CompiledPolicy[],
  mode: 'draft' | 'legacy' | 'both' | false,
): HeaderPlan {
  const draft = mode === 'draft' || mode === 'both'
  const legacy = mode === 'legacy' || mode === 'both'
  const n = policies.length
  const staticLimits = policies.every((p) => p.limit !== undefined)
  // `"name";q=` and `;w=60` around each limit; `"name";r=` before each remaining.
  const quotaHeads = policies.map((p) => `${p.sfName};q=`)
  const windowTails = policies.map((p) => `;w=${p.windowSeconds}`)
  const remainingHeads = policies.map((p) => `${p.sfName};r=`)

  /** The policy header for these limits (`policies` at construction, the request's states after). */
  function policyValue(
    limits: readonly { readonly limit?: number | undefined }[],
    pk: string | undefined,
  ): string {
    let out = ''
    for (let i = 0; i < n; i++) {
      if (i > 0) out += ', '
      out += `${quotaHeads[i]}${Math.floor(limits[i]?.limit as number)}${windowTails[i]}`
      if (pk !== undefined) out += `;pk=:${pk}:`
    }
    return out
  }

  // Without dynamic limits or partition keys the policy header never changes: prepare it once.
  const fixedPolicy =
    draft && staticLimits ? header(POLICY, policyValue(policies, undefined)) : undefined

  return {
    build(info, partitionKey, now) {
      if (!draft && !legacy) return []
      const states = info.policies
      const out: StagedHeader[] = []
      if (draft) {
        out.push(
          fixedPolicy !== undefined && partitionKey === undefined
            ? fixedPolicy
            : header(POLICY, policyValue(states, partitionKey)),
        )
        let value = ''
        for (let i = 0; i < n; i++) {
          const state = states[i] as RateLimitInfo['policies'][number]
          if (i > 0) value += ', '
          value += `${remainingHeads[i]}${state.remaining};t=${secondsUntil(state.resetAt, now)}`
          if (partitionKey !== undefined) value += `;pk=:${partitionKey}:`
        }
        out.push(header(LIMIT, value))
      }
      if (legacy) {
        const state = states[mostRestrictive(info)] as RateLimitInfo['policies'][number]
        out.push(header(LEGACY_LIMIT, String(Math.floor(state.limit))))
        out.push(header(LEGACY_REMAINING, String(state.remaining)))
        out.push(header(LEGACY_RESET, String(Math.ceil(state.resetAt / 1_000))))
      }
      return out
    },
  }
}
