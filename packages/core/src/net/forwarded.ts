/**
 * Client address resolution behind reverse proxies, with the semantics of Express's
 * `trust proxy` (the `proxy-addr` package) for frameworks that have none (Hono):
 * the peer is hop 0, `X-Forwarded-For` entries are hops 1, 2, ... from right to left, and
 * the walk stops at the first hop that is not trusted. Whatever a client writes into the
 * header is only read if every proxy after it is trusted, so a spoofed header from an
 * untrusted peer changes nothing.
 * @module
 */
import { parseOptions, z } from '../config.js'
import { CIDR_PRESETS, type CidrPreset, compileCidrs, isCidrPreset, tryParseCidr } from './cidr.js'
import { CORE_CONFIG_CODE, describeValue } from './errors.js'
import { MAX_IP_LENGTH, normalizeIp } from './ip.js'

/**
 * Decides whether the hop at `hopIndex` (0 = the peer, 1 = the right-most
 * `X-Forwarded-For` entry, ...) is a proxy whose `X-Forwarded-For` claim may be believed.
 * `ip` is normalised.
 */
export type TrustFunction = (ip: string, hopIndex: number) => boolean

/**
 * Which proxies to trust, as in Express's `trust proxy`:
 * - `false`: none; the client is the peer (the default everywhere);
 * - `true`: all; the client is the left-most entry (only when a proxy you control always
 *   overwrites the header);
 * - a number n: the n hops closest to the server (1 = one proxy in front of the app);
 * - a list of CIDRs, addresses and {@link CidrPreset}s (`'loopback'`, `'linklocal'`,
 *   `'uniquelocal'`);
 * - a {@link TrustFunction}.
 */
export type TrustProxy = boolean | number | readonly (string | CidrPreset)[] | TrustFunction

/**
 * Most `X-Forwarded-For` entries examined (empty ones included). Real proxy chains are a few
 * hops long; the cap bounds the work a hostile header can cause. When it is reached, the
 * last address examined is the client.
 */
export const MAX_FORWARDED_ENTRIES = 32

/** An entry longer than this (an address plus generous whitespace) is malformed. */
const MAX_ENTRY_LENGTH = MAX_IP_LENGTH + 16

const COMMA = 0x2c

function isOws(c: number): boolean {
  return c === 0x20 || c === 0x09
}

/** Every problem with a `TrustProxy` value: `index` is set for a list entry. */
function trustProblems(trust: unknown): Array<{ index?: number; message: string }> {
  if (typeof trust === 'boolean' || typeof trust === 'function') return []
  if (typeof trust === 'number') {
    if (Number.isSafeInteger(trust) && trust >= 0) return []
    return [{ message: `a hop count must be a whole number of 0 or more, received ${trust}` }]
  }
  if (typeof trust === 'string') {
    return [
      {
        message: `expected an array, received ${describeValue(trust)}: write ['loopback', '10.0.0.0/8'] rather than 'loopback, 10.0.0.0/8'`,
      },
    ]
  }
  if (!Array.isArray(trust)) {
    return [
      {
        message: `expected true, false, a hop count, a list of CIDRs or a function (ip, hopIndex) => boolean, received ${describeValue(trust)}`,
      },
    ]
  }
  const problems: Array<{ index?: number; message: string }> = []
  trust.forEach((entry: unknown, index) => {
    if (typeof entry === 'string' && isCidrPreset(entry)) return
    const result = tryParseCidr(entry as string)
    if (!result.ok) {
      problems.push({
        index,
        message: `${result.reason} (presets: ${Object.keys(CIDR_PRESETS).join(', ')})`,
      })
    }
  })
  return problems
}

const trustAll: TrustFunction = () => true
const trustNone: TrustFunction = () => false

/** Compiles an already validated value. */
function compileValid(trust: TrustProxy): TrustFunction {
  if (typeof trust === 'function') return trust
  if (trust === true) return trustAll
  if (trust === false || trust === 0) return trustNone
  if (typeof trust === 'number') return (_ip, hopIndex) => hopIndex < trust
  const set = compileCidrs(trust)
  return (ip) => set.has(ip)
}

/**
 * Zod schema for a `trustProxy` option, for adapters that embed it in their own options
 * (errors then name their path, e.g. `trustProxy[1]`). Its output is the compiled
 * {@link TrustFunction}.
 */
export const trustProxySchema = z
  .custom<TrustProxy>()
  .superRefine((trust, ctx) => {
    for (const { index, message } of trustProblems(trust)) {
      ctx.addIssue({ code: 'custom', message, path: index === undefined ? [] : [index] })
    }
  })
  .transform(compileValid)

/**
 * Validates and compiles a trust setting once, at construction, into a {@link TrustFunction}
 * for {@link resolveClientIp}. A function is returned as is.
 * @throws RampartConfigError naming each invalid list entry (`[1]: '10.0.0.1/8' has bits set...`).
 * @example const trust = compileTrust(['loopback', '10.0.0.0/8'])
 */
export function compileTrust(trust: TrustProxy): TrustFunction {
  return parseOptions('@rampart/core compileTrust', trustProxySchema, trust, CORE_CONFIG_CODE)
}

/**
 * Resolves the client address from the peer (socket) address and the `X-Forwarded-For`
 * header. Starting at the peer, each trusted hop hands over to the entry to its left; the
 * first untrusted hop is the client. Empty entries are skipped (as Express does); a malformed
 * entry (not an address, a port attached, oversized) stops the walk and the hop that sent it
 * is the client. At most {@link MAX_FORWARDED_ENTRIES} entries are examined.
 *
 * Pass a {@link TrustFunction} from {@link compileTrust} on the per-request path; any other
 * value is validated and compiled on every call.
 * @param peer the socket's remote address; `undefined` when unknown (the result is then
 *   `undefined` too: without a peer there is no trusted end to start from).
 * @param forwardedFor the `X-Forwarded-For` header (repeated headers joined with `,`), or `null`.
 * @returns the normalised client address, or `undefined` when the peer is unknown or invalid.
 * @example resolveClientIp('10.0.0.2', '203.0.113.7, 10.0.0.1', compileTrust(['10.0.0.0/8'])) // '203.0.113.7'
 */
export function resolveClientIp(
  peer: string | undefined,
  forwardedFor: string | null,
  trust: TrustProxy,
): string | undefined {
  const peerIp = peer === undefined ? undefined : normalizeIp(peer)
  if (peerIp === undefined || forwardedFor === null || trust === false) return peerIp
  const isTrusted = typeof trust === 'function' ? trust : compileTrust(trust)
  let current = peerIp
  let hop = 0
  let cursor = forwardedFor.length // entries not yet examined lie in [0, cursor)
  let examined = 0
  while (isTrusted(current, hop)) {
    let next: string | undefined
    while (next === undefined) {
      if (cursor <= 0 || examined === MAX_FORWARDED_ENTRIES) return current
      examined++
      const entryEnd = cursor
      let start = cursor
      while (start > 0 && forwardedFor.charCodeAt(start - 1) !== COMMA) {
        start--
        if (entryEnd - start > MAX_ENTRY_LENGTH) return current
      }
      cursor = start - 1
      let a = start
      let b = entryEnd
      while (a < b && isOws(forwardedFor.charCodeAt(a))) a++
      while (b > a && isOws(forwardedFor.charCodeAt(b - 1))) b--
      if (a === b) continue
      next = normalizeIp(forwardedFor.slice(a, b))
      if (next === undefined) return current
    }
    current = next
    hop++
  }
  return current
}
