/**
 * Policies compiled once: their names, how each builds its store request, and the constant parts
 * of its headers, so a request only fills in numbers.
 * @module
 */
import type { ConfigIssue, ConsumeRequest } from '@rampart/core'
import type { DynamicLimit, ParsedPolicy, RateLimitAlgorithm } from './options.js'

/** Builds one policy's store request for a client key, a cost and the request's limit. */
export type RequestBuilder = (key: string, cost: number, limit: number) => ConsumeRequest

/** A policy ready for the request path. */
export interface CompiledPolicy {
  /** Position in the limiter's list: part of the store key. */
  readonly index: number
  readonly name: string
  readonly algorithm: RateLimitAlgorithm
  /** Window in ms. */
  readonly window: number
  /** The window in whole seconds, rounded up (at least 1): the headers' `w`. */
  readonly windowSeconds: number
  /** The limit when it is static, else `undefined`. */
  readonly limit: number | undefined
  /** The limit function when it is dynamic, else `undefined`. */
  readonly dynamicLimit: DynamicLimit | undefined
  /** Explicit burst (token bucket, GCRA), else `undefined` (the limit). */
  readonly burst: number | undefined
  /** Builds this policy's store request. */
  readonly build: RequestBuilder
  /** The policy's name as a Structured Fields string, quotes included. */
  readonly sfName: string
}

/** A public description of one policy. */
export interface RateLimitPolicy {
  readonly name: string
  readonly algorithm: RateLimitAlgorithm
  /** The limit, or `'dynamic'` when a function computes it per request. */
  readonly limit: number | 'dynamic'
  /** Window in ms. */
  readonly window: number
  /** Token bucket and GCRA: the burst (default: the limit). */
  readonly burst: number | undefined
}

const UNITS: readonly (readonly [string, number])[] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
]

/** A window in the largest unit that divides it: 60000 → `'1m'`, 90000 → `'90s'`, 1500 → `'1500ms'`. */
export function formatWindow(ms: number): string {
  for (const [unit, size] of UNITS) if (ms % size === 0) return `${ms / size}${unit}`
  return `${ms}ms`
}

/** The default name of a policy: `'100-per-1m'`, `'dynamic-per-1m'`. */
export function defaultPolicyName(limit: number | DynamicLimit, window: number): string {
  return `${typeof limit === 'number' ? limit : 'dynamic'}-per-${formatWindow(window)}`
}

/** Serialises a Structured Fields string (RFC 8941 §4.1.6): quotes, `\` and `"` escaped. */
export function sfString(value: string): string {
  let out = '"'
  for (const ch of value) out += ch === '"' || ch === '\\' ? `\\${ch}` : ch
  return `${out}"`
}

function builder(
  algorithm: RateLimitAlgorithm,
  window: number,
  burst: number | undefined,
): RequestBuilder {
  switch (algorithm) {
    case 'fixed-window':
      return function fixedWindowRequest(key, cost, limit) {
        return { key, algorithm: 'fixed-window', window, limit, cost }
      }
    case 'sliding-window':
      return function slidingWindowRequest(key, cost, limit) {
        return { key, algorithm: 'sliding-window', window, limit, cost }
      }
    case 'token-bucket':
      return function tokenBucketRequest(key, cost, limit) {
        return {
          key,
          algorithm: 'token-bucket',
          capacity: burst ?? limit,
          refillPerMs: limit / window,
          cost,
        }
      }
    case 'gcra':
      return function gcraRequest(key, cost, limit) {
        return {
          key,
          algorithm: 'gcra',
          burst: burst ?? limit,
          emissionInterval: window / limit,
          cost,
        }
      }
  }
}

/**
 * Compiles parsed policies: default names, uniqueness, builders, header fragments.
 * @param issues receives duplicate-name problems.
 */
export function compilePolicies(
  parsed: readonly ParsedPolicy[],
  named: boolean,
  issues: ConfigIssue[],
): CompiledPolicy[] {
  const seen = new Map<string, number>()
  return parsed.map((p, index) => {
    const name = p.name ?? defaultPolicyName(p.limit, p.window)
    const earlier = seen.get(name)
    if (earlier !== undefined) {
      issues.push({
        path: named ? `policies[${index}].name` : 'name',
        message: `'${name}' is already the name of policies[${earlier}]: give each policy a unique name`,
      })
    } else {
      seen.set(name, index)
    }
    const dynamic = typeof p.limit === 'function'
    return Object.freeze({
      index,
      name,
      algorithm: p.algorithm,
      window: p.window,
      windowSeconds: Math.max(1, Math.ceil(p.window / 1_000)),
      limit: dynamic ? undefined : (p.limit as number),
      dynamicLimit: dynamic ? (p.limit as DynamicLimit) : undefined,
      burst: p.burst,
      build: builder(p.algorithm, p.window, p.burst),
      sfName: sfString(name),
    })
  })
}

/**
 * A short, stable signature of the policies (FNV-1a over what shapes the stored state), for the
 * default key prefix: changing an algorithm or a window moves the limiter to fresh keys instead
 * of misreading state of another kind.
 */
export function policySignature(policies: readonly CompiledPolicy[]): string {
  let text = ''
  for (const p of policies) {
    text += `${p.algorithm}/${p.limit ?? 'dynamic'}/${p.window}/${p.burst ?? ''};`
  }
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0).toString(36)
}

/** Public descriptions of compiled policies. */
export function describePolicies(policies: readonly CompiledPolicy[]): readonly RateLimitPolicy[] {
  return Object.freeze(
    policies.map((p) =>
      Object.freeze({
        name: p.name,
        algorithm: p.algorithm,
        limit: p.limit ?? ('dynamic' as const),
        window: p.window,
        burst:
          p.algorithm === 'token-bucket' || p.algorithm === 'gcra'
            ? (p.burst ?? p.limit)
            : undefined,
      }),
    ),
  )
}
