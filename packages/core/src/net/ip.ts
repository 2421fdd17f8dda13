/**
 * IP address parsing and normalisation. Hand-written scanners rather than regular expressions
 * or `node:net`: they run on every runtime, touch each character at most twice and cannot be
 * made to backtrack by hostile input.
 *
 * Accepted forms:
 * - IPv4 as a strict dotted quad: four decimal octets 0..255, ASCII digits only, no leading
 *   zeros (`010.1.1.1` is refused because `inet_aton` and WHATWG URL read it as octal) and no
 *   short forms (`127.1`, `0x7f.0.0.1`, `2130706433`).
 * - IPv6 in every RFC 4291 text form: full, `::`-compressed, with an embedded IPv4 tail,
 *   any letter case, optionally in brackets (`[::1]`) and with a zone id (`fe80::1%eth0`),
 *   which is dropped.
 * - IPv4-mapped IPv6 (`::ffff:1.2.3.4`, `::ffff:102:304`) is read as the IPv4 address it
 *   carries, so one client never has two spellings.
 *
 * Not accepted: surrounding whitespace, ports (`1.2.3.4:80`, `[::1]:80`), brackets around IPv4,
 * a zone id on IPv4, prefixes (see `cidr.ts`).
 * @module
 */

/** IP version of a parsed address. */
export type IpVersion = 4 | 6

/** A parsed address in network byte order: 4 bytes for IPv4, 16 for IPv6. */
export interface ParsedIp {
  /** 4 for IPv4 (including IPv4-mapped IPv6), 6 otherwise. */
  readonly version: IpVersion
  /** The address bytes, most significant first; length 4 or 16 to match `version`. */
  readonly bytes: Uint8Array
}

/**
 * Longest input the parsers look at. The longest address text is 45 characters
 * (`0000:0000:0000:0000:0000:ffff:255.255.255.255`); brackets and a zone id fit in the rest.
 * Anything longer is refused without being scanned.
 */
export const MAX_IP_LENGTH = 64

const DOT = 0x2e
const COLON = 0x3a
const PERCENT = 0x25
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d

/** Value of an ASCII hex digit, or -1. */
function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  if (c >= 0x61 && c <= 0x66) return c - 0x57
  if (c >= 0x41 && c <= 0x46) return c - 0x37
  return -1
}

/** RFC 6874 zone id characters (unreserved); the zone is dropped, so it only has to be sane. */
function isZoneChar(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    c === 0x2d ||
    c === DOT ||
    c === 0x5f ||
    c === 0x7e
  )
}

/** Reads a strict dotted quad from `s[start, end)` into `out[offset..offset+3]`. */
function parseV4(s: string, start: number, end: number, out: Uint8Array, offset: number): boolean {
  let octet = 0
  let digits = 0
  let parts = 0
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0x30 && c <= 0x39) {
      // A second digit after a leading 0 would be an octal-looking octet.
      if (digits > 0 && octet === 0) return false
      octet = octet * 10 + (c - 0x30)
      if (octet > 255) return false
      digits++
    } else if (c === DOT) {
      if (digits === 0 || parts === 3) return false
      out[offset + parts] = octet
      parts++
      octet = 0
      digits = 0
    } else {
      return false
    }
  }
  if (digits === 0 || parts !== 3) return false
  out[offset + 3] = octet
  return true
}

/** Reads IPv6 text (no brackets, no zone) from `s[start, end)` into `out[0..15]`. */
function parseV6(s: string, start: number, end: number, out: Uint8Array): boolean {
  let groups = 0
  let gap = -1 // group index where `::` stands, -1 when absent
  let i = start
  if (i + 1 < end && s.charCodeAt(i) === COLON) {
    if (s.charCodeAt(i + 1) !== COLON) return false
    gap = 0
    i += 2
  }
  while (i < end) {
    if (groups === 8) return false
    const groupStart = i
    let value = 0
    let digits = 0
    for (; i < end; i++) {
      const h = hexValue(s.charCodeAt(i))
      if (h < 0) break
      if (++digits > 4) return false
      value = value * 16 + h
    }
    if (digits === 0) return false
    if (i < end && s.charCodeAt(i) === DOT) {
      // An IPv4 tail takes two groups and must end the address.
      if (groups > 6 || !parseV4(s, groupStart, end, out, groups * 2)) return false
      groups += 2
      break
    }
    out[groups * 2] = value >> 8
    out[groups * 2 + 1] = value & 0xff
    groups++
    if (i === end) break
    if (s.charCodeAt(i) !== COLON) return false
    i++
    if (i < end && s.charCodeAt(i) === COLON) {
      if (gap !== -1) return false
      gap = groups
      i++
    } else if (i === end) {
      return false // a single trailing colon
    }
  }
  if (gap === -1) return groups === 8
  // `::` stands for at least one zero group.
  if (groups === 8) return false
  const tailBytes = (groups - gap) * 2
  const shift = 16 - groups * 2
  for (let b = gap * 2 + tailBytes - 1; b >= gap * 2; b--) out[b + shift] = out[b] as number
  out.fill(0, gap * 2, gap * 2 + shift)
  return true
}

/**
 * Whether `ip` is an IPv4 address in canonical form (no leading zeros): already its own
 * normalised form and its own key, so the per-request paths skip parsing and printing it.
 * @internal
 */
export function isCanonicalIpv4(ip: string): boolean {
  const length = ip.length
  if (length < 7 || length > 15) return false
  let parts = 0
  let value = 0
  let digits = 0
  for (let i = 0; i <= length; i++) {
    const c = i === length ? 46 : ip.charCodeAt(i)
    if (c === 46) {
      if (digits === 0 || value > 255 || ++parts > 4) return false
      value = 0
      digits = 0
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && value === 0) return false
      value = value * 10 + c - 48
      digits++
    } else {
      return false
    }
  }
  return parts === 4
}

/**
 * Parses `raw` into `out` (at least 16 bytes) without unwrapping IPv4-mapped IPv6.
 * Returns the version written, or 0 when `raw` is not an address.
 * @internal Used by the CIDR parser, which must see the mapped form to read its prefix.
 */
export function parseIpRaw(raw: string, out: Uint8Array): 0 | IpVersion {
  if (typeof raw !== 'string') return 0
  const len = raw.length
  if (len === 0 || len > MAX_IP_LENGTH) return 0
  let start = 0
  let end = len
  let ipv6Only = false
  if (raw.charCodeAt(0) === OPEN_BRACKET) {
    if (raw.charCodeAt(len - 1) !== CLOSE_BRACKET) return 0
    start = 1
    end = len - 1
    ipv6Only = true
  }
  for (let i = start; i < end; i++) {
    if (raw.charCodeAt(i) !== PERCENT) continue
    if (i + 1 === end) return 0
    for (let z = i + 1; z < end; z++) if (!isZoneChar(raw.charCodeAt(z))) return 0
    end = i
    ipv6Only = true
    break
  }
  if (!ipv6Only && parseV4(raw, start, end, out, 0)) return 4
  return parseV6(raw, start, end, out) ? 6 : 0
}

/** True when the 16 bytes are in `::ffff:0:0/96`. */
export function isMappedIpv4(bytes: Uint8Array): boolean {
  for (let b = 0; b < 10; b++) if (bytes[b] !== 0) return false
  return bytes[10] === 0xff && bytes[11] === 0xff
}

/**
 * Parses `raw` into `out` (at least 16 bytes), unwrapping IPv4-mapped IPv6 into `out[0..3]`.
 * Returns the version written, or 0 when `raw` is not an address. Never throws, allocates
 * nothing: the per-request form of {@link parseIp}.
 */
export function parseIpInto(raw: string, out: Uint8Array): 0 | IpVersion {
  const version = parseIpRaw(raw, out)
  if (version !== 6 || !isMappedIpv4(out)) return version
  out.copyWithin(0, 12, 16)
  return 4
}

/**
 * Parses an IPv4 or IPv6 address (see the module notes for the accepted forms).
 * IPv4-mapped IPv6 comes back as version 4.
 * @returns the address, or `undefined` when `raw` is not one. Never throws.
 * @example parseIp('::ffff:10.0.0.1') // { version: 4, bytes: Uint8Array [10, 0, 0, 1] }
 */
export function parseIp(raw: string): ParsedIp | undefined {
  const out = new Uint8Array(16)
  const version = parseIpInto(raw, out)
  if (version === 0) return undefined
  return { version, bytes: version === 4 ? out.slice(0, 4) : out }
}

/** Byte → text tables, built once: formatting is on the per-request path. */
const DECIMAL = Array.from({ length: 256 }, (_, i) => String(i))
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16))
const HEX_PADDED = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/** Formats 4 bytes as a dotted quad or 16 bytes as RFC 5952 text. */
export function formatIpBytes(version: IpVersion, bytes: Uint8Array): string {
  if (version === 4) {
    return `${DECIMAL[bytes[0] as number]}.${DECIMAL[bytes[1] as number]}.${DECIMAL[bytes[2] as number]}.${DECIMAL[bytes[3] as number]}`
  }
  // RFC 5952: the longest run of two or more zero groups becomes `::`, the first on a tie.
  let bestStart = -1
  let bestLen = 1
  let runStart = -1
  for (let g = 0; g <= 8; g++) {
    const zero = g < 8 && bytes[g * 2] === 0 && bytes[g * 2 + 1] === 0
    if (zero) {
      if (runStart === -1) runStart = g
    } else if (runStart !== -1) {
      if (g - runStart > bestLen) {
        bestStart = runStart
        bestLen = g - runStart
      }
      runStart = -1
    }
  }
  let out = ''
  for (let g = 0; g < 8; g++) {
    if (g === bestStart) {
      out += '::'
      g += bestLen - 1
      continue
    }
    if (g > 0 && g !== bestStart + bestLen) out += ':'
    const high = bytes[g * 2] as number
    const low = bytes[g * 2 + 1] as number
    out += high === 0 ? HEX[low] : (HEX[high] as string) + HEX_PADDED[low]
  }
  return out
}

/**
 * Formats a parsed address: IPv4 as a dotted quad, IPv6 in RFC 5952 canonical form
 * (lower case, no leading zeros, the longest run of zero groups compressed).
 * @example formatIp(parseIp('2001:DB8:0:0:0:0:0:1')!) // '2001:db8::1'
 */
export function formatIp(ip: ParsedIp): string {
  return formatIpBytes(ip.version, ip.bytes)
}

/** Shared scratch: parsing is synchronous, so one buffer serves every call. */
const scratch = new Uint8Array(16)

/**
 * Normalises an address to one spelling per client: IPv4 as a dotted quad (IPv4-mapped IPv6
 * unwrapped), IPv6 in RFC 5952 form with brackets and zone id dropped.
 * @returns the normalised address, or `undefined` when `raw` is not one. Never throws; linear
 * in the input and refuses inputs longer than {@link MAX_IP_LENGTH} without scanning them.
 * @example normalizeIp('[2001:DB8::0:1%eth0]') // '2001:db8::1'
 * @example normalizeIp('::ffff:192.0.2.1') // '192.0.2.1'
 */
export function normalizeIp(raw: string): string | undefined {
  if (typeof raw === 'string' && isCanonicalIpv4(raw)) return raw
  const version = parseIpInto(raw, scratch)
  return version === 0 ? undefined : formatIpBytes(version, scratch)
}
