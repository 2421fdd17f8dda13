/**
 * CIDR rules (`10.0.0.0/8`, `2001:db8::/32`, or a single address) and lists of them, compiled
 * once into a {@link CidrSet} for the per-request lookup.
 * @module
 */
import { type ConfigIssue, RampartConfigError, z } from '../config.js'
import { CORE_CONFIG_CODE, describeValue } from './errors.js'
import { formatIpBytes, type IpVersion, isMappedIpv4, MAX_IP_LENGTH, parseIpRaw } from './ip.js'
import { createRangeSet } from './range-set.js'

/** A parsed CIDR rule: a network address and a prefix length. */
export interface Cidr {
  /** 4 for IPv4 rules (including IPv4-mapped ones such as `::ffff:10.0.0.0/104`), else 6. */
  readonly version: IpVersion
  /** Network address, 4 or 16 bytes; bits after the prefix are zero. */
  readonly bytes: Uint8Array
  /** Prefix length: 0..32 for IPv4, 0..128 for IPv6. */
  readonly prefix: number
}

/** Names of the built-in address groups a CIDR list may contain (as in Express's `trust proxy`). */
export type CidrPreset = 'loopback' | 'linklocal' | 'uniquelocal'

/** What each {@link CidrPreset} stands for. */
export const CIDR_PRESETS: Readonly<Record<CidrPreset, readonly string[]>> = Object.freeze({
  loopback: Object.freeze(['127.0.0.0/8', '::1/128']),
  linklocal: Object.freeze(['169.254.0.0/16', 'fe80::/10']),
  uniquelocal: Object.freeze(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7']),
})

/** True for a {@link CidrPreset} name. */
export function isCidrPreset(value: string): value is CidrPreset {
  return value === 'loopback' || value === 'linklocal' || value === 'uniquelocal'
}

/** Result of {@link tryParseCidr}. */
export type CidrParseResult =
  | { readonly ok: true; readonly cidr: Cidr }
  | { readonly ok: false; readonly reason: string }

const EXAMPLE = `e.g. '10.0.0.0/8', '192.168.1.5' or '2001:db8::/32'`

function fail(reason: string): CidrParseResult {
  return { ok: false, reason }
}

/** True when any bit after `prefix` is set. */
function hasHostBits(bytes: Uint8Array, prefix: number): boolean {
  for (let b = prefix >> 3; b < bytes.length; b++) {
    const keep = Math.max(0, prefix - b * 8)
    const hostBits = keep >= 8 ? 0 : 0xff >> keep
    if (((bytes[b] as number) & hostBits) !== 0) return true
  }
  return false
}

/** Zeroes every bit after `prefix`, in place. */
function maskHostBits(bytes: Uint8Array, prefix: number): Uint8Array {
  for (let b = prefix >> 3; b < bytes.length; b++) {
    const keep = Math.max(0, prefix - b * 8)
    bytes[b] = keep >= 8 ? (bytes[b] as number) : (bytes[b] as number) & ~(0xff >> keep) & 0xff
  }
  return bytes
}

/**
 * Parses one CIDR rule: an address with an optional `/prefix` (a bare address is a /32 or
 * /128). IPv4-mapped rules with a prefix of 96 or more become IPv4 rules, so
 * `::ffff:10.0.0.0/104` is `10.0.0.0/8`. Refused: zone ids, whitespace, prefixes out of
 * range, and addresses with bits set after the prefix (`10.1.2.3/8` is ambiguous: the
 * network or the host?). Never throws.
 * @example tryParseCidr('10.0.0.0/8') // { ok: true, cidr: { version: 4, bytes: [10, 0, 0, 0], prefix: 8 } }
 */
export function tryParseCidr(text: string): CidrParseResult {
  if (typeof text !== 'string') return fail(`expected a string, received ${describeValue(text)}`)
  if (text.length > MAX_IP_LENGTH + 4) return fail(`${describeValue(text)} is too long for a CIDR`)
  if (text.trim() !== text) return fail(`${describeValue(text)} has surrounding whitespace`)
  const slash = text.indexOf('/')
  const address = slash === -1 ? text : text.slice(0, slash)
  if (address.includes('%')) {
    return fail(`${describeValue(text)} has a zone id (%...), which CIDR rules cannot use`)
  }
  const buffer = new Uint8Array(16)
  const parsedVersion = parseIpRaw(address, buffer)
  if (parsedVersion === 0) {
    return fail(
      `${describeValue(address)} is not an IPv4 or IPv6 address (IPv4 octets are 0..255 without leading zeros); ${EXAMPLE}`,
    )
  }
  const max = parsedVersion === 4 ? 32 : 128
  let prefix = max
  if (slash !== -1) {
    const digits = text.slice(slash + 1)
    let value = 0
    let valid = digits.length > 0 && digits.length <= 3
    for (let i = 0; valid && i < digits.length; i++) {
      const c = digits.charCodeAt(i)
      if (c < 0x30 || c > 0x39) valid = false
      else value = value * 10 + (c - 0x30)
    }
    if (!valid || value > max) {
      return fail(
        `${describeValue(text)} has an invalid prefix: an IPv${parsedVersion} prefix is a whole number from 0 to ${max}`,
      )
    }
    prefix = value
  }
  let version: IpVersion = parsedVersion
  let bytes = buffer.slice(0, parsedVersion === 4 ? 4 : 16)
  if (version === 6 && prefix >= 96 && isMappedIpv4(bytes)) {
    version = 4
    bytes = bytes.slice(12)
    prefix -= 96
  }
  if (hasHostBits(bytes, prefix)) {
    const network = formatCidr({ version, bytes: maskHostBits(bytes.slice(), prefix), prefix })
    const host = formatCidr({ version, bytes, prefix: version === 4 ? 32 : 128 })
    return fail(
      `${describeValue(text)} has bits set after the /${prefix} prefix: use '${network}' for the network or '${host}' for the single address`,
    )
  }
  return { ok: true, cidr: { version, bytes, prefix } }
}

/**
 * Parses one CIDR rule (see {@link tryParseCidr}).
 * @throws RangeError explaining what is wrong.
 * @example parseCidr('2001:db8::/32').prefix // 32
 */
export function parseCidr(text: string): Cidr {
  const result = tryParseCidr(text)
  if (!result.ok) throw new RangeError(result.reason)
  return result.cidr
}

/**
 * Formats a rule as `address/prefix`, the address in normalised form.
 * @example formatCidr(parseCidr('::ffff:10.0.0.0/104')) // '10.0.0.0/8'
 */
export function formatCidr(cidr: Cidr): string {
  return `${formatIpBytes(cidr.version, cidr.bytes)}/${cidr.prefix}`
}

/** Why a list entry is invalid, or `undefined` when it is a preset or a valid CIDR. */
function entryProblem(entry: unknown): string | undefined {
  if (typeof entry === 'string' && isCidrPreset(entry)) return undefined
  const result = tryParseCidr(entry as string)
  return result.ok ? undefined : result.reason
}

/**
 * Zod schema for one CIDR list entry (a CIDR, a single address or a {@link CidrPreset}), for
 * packages that take address lists in their options: `z.array(cidrEntrySchema)` reports
 * errors at paths such as `allow[2]`.
 */
export const cidrEntrySchema = z.string().superRefine((entry, ctx) => {
  const message = entryProblem(entry)
  if (message !== undefined) ctx.addIssue({ code: 'custom', message })
})

/** A compiled CIDR list. */
export interface CidrSet {
  /** True when `ip` (any spelling `parseIp` accepts) is in the list; false for non-addresses. */
  has(ip: string): boolean
  /** True when the parsed address is in the list, skipping the parse. */
  hasParsed(ip: { readonly version: IpVersion; readonly bytes: Uint8Array }): boolean
  /**
   * True when the address bytes are in the list: 4 bytes for IPv4, 16 for IPv6, as
   * `parseIpInto` writes them (IPv4-mapped already unwrapped). Allocation-free.
   */
  hasBytes(version: IpVersion, bytes: Uint8Array): boolean
}

/**
 * Compiles a list of CIDRs, single addresses and {@link CidrPreset}s once, for fast lookups
 * (O(log n), no allocation). An IPv4 rule matches IPv4-mapped IPv6 clients too, because
 * lookups normalise the address first; an empty list matches nothing.
 * @param scope names the caller in the error message.
 * @throws RampartConfigError listing every invalid entry by index (`[2]: '10.0.0.256/8' ...`).
 */
export function compileCidrs(
  list: readonly string[],
  scope = '@rampart/core compileCidrs',
): CidrSet {
  if (!Array.isArray(list)) {
    throw new RampartConfigError(
      scope,
      [{ path: '', message: `expected an array of CIDRs, received ${describeValue(list)}` }],
      CORE_CONFIG_CODE,
    )
  }
  const issues: ConfigIssue[] = []
  const cidrs: Cidr[] = []
  list.forEach((entry: unknown, index) => {
    const texts = typeof entry === 'string' && isCidrPreset(entry) ? CIDR_PRESETS[entry] : [entry]
    for (const text of texts) {
      const result = tryParseCidr(text as string)
      if (result.ok) cidrs.push(result.cidr)
      else issues.push({ path: `[${index}]`, message: result.reason })
    }
  })
  if (issues.length > 0) throw new RampartConfigError(scope, issues, CORE_CONFIG_CODE)
  return createRangeSet(cidrs)
}

/**
 * Compiles a CIDR list into a predicate (see {@link compileCidrs}).
 * @throws RampartConfigError listing every invalid entry by index.
 * @example const isOffice = cidrMatcher(['192.168.1.0/24', '10.0.0.0/8']); isOffice('10.1.2.3') // true
 */
export function cidrMatcher(list: readonly string[]): (ip: string) => boolean {
  const set = compileCidrs(list, '@rampart/core cidrMatcher')
  return (ip) => set.has(ip)
}
