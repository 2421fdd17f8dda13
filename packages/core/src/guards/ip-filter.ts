/**
 * `ipFilter`: allow and deny lists of client addresses.
 * @module
 */
import { parseOptions, z } from '../config.js'
import type { SecurityContext } from '../context.js'
import type { SecurityEventMap } from '../events.js'
import { defineGuard, type Guard } from '../guard.js'
import { cidrEntrySchema, compileCidrs } from '../net/cidr.js'
import { CORE_CONFIG_CODE } from '../net/errors.js'
import { parseIpInto } from '../net/ip.js'
import { type Problem, problem, problems } from '../problem.js'

/** Options for {@link ipFilter}. Set `allow`, `deny` or both. */
export interface IpFilterOptions {
  /**
   * Only these clients pass: CIDRs (`'192.168.1.0/24'`), single addresses, or the presets
   * `'loopback'`, `'linklocal'`, `'uniquelocal'`. IPv4 rules also match IPv4-mapped IPv6
   * clients. Omit to let every client not on `deny` pass.
   */
  readonly allow?: readonly string[]
  /** These clients are refused, even when `allow` lists them. Same syntax as `allow`. */
  readonly deny?: readonly string[]
  /**
   * What to do when the adapter could not determine the client address (no socket address,
   * an edge runtime without one). Default `'deny'`: fail closed.
   */
  readonly onMissingIp?: 'deny' | 'allow'
  /**
   * Status of the refusal. Default 403 (`urn:rampart:problem:ip-denied`); 404 answers with a
   * plain `not-found` problem so the route's existence is not disclosed.
   */
  readonly status?: 403 | 404
}

const schema = z
  .strictObject({
    allow: z.array(cidrEntrySchema).optional(),
    deny: z.array(cidrEntrySchema).optional(),
    onMissingIp: z.enum(['deny', 'allow']).default('deny'),
    status: z
      .literal([403, 404], {
        error: 'expected 403 (Forbidden) or 404 (Not Found, hides the route)',
      })
      .default(403),
  })
  .superRefine((options, ctx) => {
    if (options.allow?.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['allow'],
        message:
          'is empty, which would refuse every client: list at least one address, or omit allow to let every client not on deny pass',
      })
    } else if (options.allow === undefined && (options.deny?.length ?? 0) === 0) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `nothing to filter: set allow (e.g. ['10.0.0.0/8']), deny, or both`,
      })
    }
  })

/** The 404 refusal: a generic not-found, indistinguishable from a missing route. */
const notFound = problem(404, 'not-found', 'Not Found', {
  detail: 'The requested resource was not found.',
})

type DenyReason = SecurityEventMap['ip-filter.denied']['reason']

/**
 * Allows or refuses requests by client address (`ctx.ip`, as the adapter resolved it).
 * The deny list wins over the allow list; with only a deny list, every other client passes.
 * A refused request gets an `ip-filter.denied` event and a 403 problem (or 404, see
 * {@link IpFilterOptions.status}). Lists are compiled once: a check costs one address parse
 * and a binary search per list, however long the lists are.
 * @throws RampartConfigError for unknown options, invalid entries (named by path, e.g.
 *   `allow[2]`), an empty `allow`, or no list at all.
 * @example ipFilter({ allow: ['192.168.1.0/24', '10.0.0.0/8'], deny: ['10.0.0.13'] })
 */
export function ipFilter(options: IpFilterOptions): Guard {
  const scope = '@rampart/core ipFilter'
  const parsed = parseOptions(scope, schema, options, CORE_CONFIG_CODE)
  const allow = parsed.allow === undefined ? undefined : compileCidrs(parsed.allow, scope)
  const deny = parsed.deny?.length ? compileCidrs(parsed.deny, scope) : undefined
  const allowMissing = parsed.onMissingIp === 'allow'
  const denial: Problem = Object.freeze(parsed.status === 404 ? notFound : problems.ipDenied())
  const missingWarning = allowMissing
    ? `ipFilter: the client address is unknown, so requests pass unfiltered (onMissingIp: 'allow'). Check the adapter's trust-proxy set-up.`
    : `ipFilter: the client address is unknown, so requests are refused (onMissingIp: 'deny'). Check the adapter's trust-proxy set-up.`
  // One buffer per guard: the request phase parses and looks up synchronously.
  const bytes = new Uint8Array(16)

  function refuse(ctx: SecurityContext, reason: DenyReason): void {
    ctx.emit('ip-filter.denied', { reason })
    ctx.deny(denial)
  }

  return defineGuard({
    name: 'ip-filter',
    request(ctx) {
      const ip = ctx.ip
      // An unparseable address is treated as missing, so it can never slip past a deny list.
      const version = ip === undefined ? 0 : parseIpInto(ip, bytes)
      if (version === 0) {
        ctx.warnOnce('IP_FILTER_NO_IP', missingWarning)
        if (!allowMissing) refuse(ctx, 'no-ip')
        return
      }
      if (deny?.hasBytes(version, bytes)) refuse(ctx, 'deny-list')
      else if (allow && !allow.hasBytes(version, bytes)) refuse(ctx, 'not-allowed')
    },
  })
}
