/**
 * Net utilities: IP parsing and normalisation, IPv6 subnet keys, CIDR lists and
 * `X-Forwarded-For` resolution.
 * @module
 */
export {
  CIDR_PRESETS,
  type Cidr,
  type CidrParseResult,
  type CidrPreset,
  type CidrSet,
  cidrEntrySchema,
  cidrMatcher,
  compileCidrs,
  formatCidr,
  isCidrPreset,
  parseCidr,
  tryParseCidr,
} from './cidr.js'
export {
  compileTrust,
  MAX_FORWARDED_ENTRIES,
  resolveClientIp,
  type TrustFunction,
  type TrustProxy,
  trustProxySchema,
} from './forwarded.js'
export {
  formatIp,
  type IpVersion,
  MAX_IP_LENGTH,
  normalizeIp,
  type ParsedIp,
  parseIp,
  parseIpInto,
} from './ip.js'
export {
  DEFAULT_IPV6_SUBNET,
  type IpKeyOptions,
  ipKey,
  ipKeyer,
  ipv6SubnetSchema,
} from './subnet.js'
