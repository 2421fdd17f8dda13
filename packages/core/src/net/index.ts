/**
 * Net utilities: IP parsing and normalisation, IPv6 subnet keys, CIDR lists and
 * `X-Forwarded-For` resolution.
 * @module
 */
export { formatIp, type IpVersion, MAX_IP_LENGTH, normalizeIp, type ParsedIp, parseIp } from './ip.js'
