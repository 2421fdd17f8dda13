/**
 * Stable per-client keys for rate limits and lockouts. IPv6 clients usually hold a whole
 * prefix (a /56 or /64 per site), so keying the full address would let one client rotate
 * through billions of keys; the key is the client's subnet instead.
 * @module
 */
import { parseOptions, z } from '../config.js'
import { CORE_CONFIG_CODE, configError, describeValue } from './errors.js'
import { formatIpBytes, isCanonicalIpv4, parseIpInto } from './ip.js'

/** Default IPv6 prefix length for keys: a /56 is the usual allocation to one customer site. */
export const DEFAULT_IPV6_SUBNET = 56

/** Options for {@link ipKey} and {@link ipKeyer}. */
export interface IpKeyOptions {
  /**
   * Prefix length IPv6 addresses are reduced to, 32..64; `false` keys the full address.
   * Default {@link DEFAULT_IPV6_SUBNET}.
   */
  readonly ipv6Subnet?: number | false
}

/** Why `value` is not a valid `ipv6Subnet`, or `undefined` when it is. */
function ipv6SubnetProblem(value: unknown): string | undefined {
  if (value === false) return undefined
  if (typeof value === 'number' && Number.isInteger(value) && value >= 32 && value <= 64) {
    return undefined
  }
  return `expected an integer prefix length from 32 to 64 (56 is one customer site, 64 one network) or false to key the full address, received ${describeValue(value)}`
}

/**
 * Zod schema for an `ipv6Subnet` option, for packages that embed it in their own options
 * (the error then names their option path). Accepts 32..64 or `false`.
 */
export const ipv6SubnetSchema = z.custom<number | false>().superRefine((value, ctx) => {
  const message = ipv6SubnetProblem(value)
  if (message !== undefined) ctx.addIssue({ code: 'custom', message })
})

const ipKeyOptionsSchema = z.strictObject({ ipv6Subnet: ipv6SubnetSchema.optional() })

/** Shared scratch: key derivation is synchronous. */
const scratch = new Uint8Array(16)

/** Key for an already validated subnet. */
function keyFor(ip: string, subnet: number | false): string {
  // The common case, checked without parsing and printing the address again.
  if (isCanonicalIpv4(ip)) return ip
  const version = parseIpInto(ip, scratch)
  if (version === 0) return ip
  if (version === 4 || subnet === false) return formatIpBytes(version, scratch)
  const whole = subnet >> 3
  const rest = subnet & 7
  if (rest !== 0) scratch[whole] = (scratch[whole] as number) & (0xff << (8 - rest))
  scratch.fill(0, rest === 0 ? whole : whole + 1)
  return `${formatIpBytes(6, scratch)}/${subnet}`
}

/**
 * Derives a stable key for a client address: IPv4 (including IPv4-mapped IPv6) as the dotted
 * quad, IPv6 masked to its subnet with the prefix appended (`2001:db8:ab00::/56`), or the full
 * canonical IPv6 address when `ipv6Subnet` is `false`. Input that is not an address comes back
 * unchanged, as express-rate-limit's `ipKeyGenerator` does. For per-request use, prefer
 * {@link ipKeyer}, which validates the options once.
 * @throws RampartConfigError when `ipv6Subnet` is out of range.
 * @example ipKey('2001:db8:abcd:1234::1') // '2001:db8:abcd:1200::/56'
 */
export function ipKey(ip: string, options?: IpKeyOptions): string {
  const subnet = options?.ipv6Subnet === undefined ? DEFAULT_IPV6_SUBNET : options.ipv6Subnet
  const message = ipv6SubnetProblem(subnet)
  if (message !== undefined) throw configError('@rampart/core ipKey', 'ipv6Subnet', message)
  return keyFor(ip, subnet)
}

/**
 * Validates the options once and returns a key function for the per-request path
 * (see {@link ipKey} for the key format).
 * @throws RampartConfigError when an option is unknown or `ipv6Subnet` is out of range.
 * @example const key = ipKeyer({ ipv6Subnet: 64 }); key('2001:db8::1') // '2001:db8::/64'
 */
export function ipKeyer(options: IpKeyOptions = {}): (ip: string) => string {
  const parsed = parseOptions(
    '@rampart/core ipKeyer',
    ipKeyOptionsSchema,
    options,
    CORE_CONFIG_CODE,
  )
  const subnet = parsed.ipv6Subnet ?? DEFAULT_IPV6_SUBNET
  return (ip) => keyFor(ip, subnet)
}
