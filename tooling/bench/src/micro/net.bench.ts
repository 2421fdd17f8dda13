/**
 * `@rampart/core` IP utilities against ipaddr.js, the parser behind proxy-addr (Express's
 * `req.ip` and `trust proxy`). Both sides take the same strings and must return the same
 * results (the harness checks before timing).
 * @module
 */
import { CIDR_PRESETS, cidrMatcher, normalizeIp } from '@rampart/core'
import ipaddr from 'ipaddr.js'
import { anchorName, defineSuite, microCase } from '../micro.js'

// --- the anchor side, written the way its users write it -------------------------------------

/**
 * ipaddr.js's idiomatic normalisation: `process()` parses and unwraps IPv4-mapped IPv6,
 * `toString()` prints IPv4 dotted or IPv6 in RFC 5952 form. Invalid input throws, so callers
 * that must not throw on hostile input wrap it.
 */
function anchorNormalize(raw: string): string | undefined {
  try {
    return ipaddr.process(raw).toString()
  } catch {
    return undefined
  }
}

type Subnet = [ipaddr.IPv4 | ipaddr.IPv6, number]

/**
 * A compiled CIDR list on ipaddr.js, in the shape of proxy-addr's `compile()`: rules parsed
 * once (IPv4-mapped rules turned into IPv4 ones), then per address one `process()` and a
 * `match()` against each rule of the same kind. This is the lean form: proxy-addr itself also
 * calls `isValid()` first, which parses the address a second time.
 */
function anchorMatcher(list: readonly string[]): (ip: string) => boolean {
  const subnets: Subnet[] = list.map((text) => {
    const [ip, prefix] = ipaddr.parseCIDR(text)
    if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress() && prefix >= 96) {
      return [(ip as ipaddr.IPv6).toIPv4Address(), prefix - 96]
    }
    return [ip, prefix]
  })
  return (raw) => {
    let ip: ipaddr.IPv4 | ipaddr.IPv6
    try {
      ip = ipaddr.process(raw)
    } catch {
      return false
    }
    const kind = ip.kind()
    for (const subnet of subnets) {
      if (subnet[0].kind() === kind && ip.match(subnet)) return true
    }
    return false
  }
}

// --- inputs ------------------------------------------------------------------------------------

const IPV4 = [
  '203.0.113.7',
  '192.168.1.20',
  '10.0.0.1',
  '8.8.8.8',
  '127.0.0.1',
  '172.16.254.3',
  '198.51.100.255',
  '1.2.3.4',
]

/** What Node reports as `socket.remoteAddress` for IPv4 clients of a dual-stack (`::`) server. */
const MAPPED = IPV4.map((ip) => `::ffff:${ip}`)

const IPV6 = [
  '2001:db8::1',
  '2001:db8:85a3::8a2e:370:7334',
  'fe80::1ff:fe23:4567:890a',
  '2606:4700:4700::1111',
  '::1',
  '2001:0DB8:0000:0000:0001:0000:0000:0001',
  '2a00:1450:4001:82b::200e',
  'fd12:3456:789a:1::1',
]

const INVALID = [
  'unknown',
  '1.2.3.256',
  '',
  '1.2.3.4:8080',
  '::ffff:1.2.3',
  '2001:db8::g',
  'localhost',
  '1.2.3.4.5',
]

/** A `trust proxy`-style list: Express's `'loopback'` and `'uniquelocal'` presets. */
const TRUST_LIST = [...CIDR_PRESETS.loopback, ...CIDR_PRESETS.uniquelocal]

/** 96 IPv4 /24s and 32 IPv6 /48s: an office/partner allow list of realistic size. */
const ALLOW_LIST = [
  ...Array.from({ length: 96 }, (_, i) => `100.${64 + (i >> 4)}.${(i * 7) & 0xff}.0/24`),
  ...Array.from({ length: 32 }, (_, i) => `2001:db8:${(0x100 + i * 3).toString(16)}::/48`),
]

const MIXED = [...IPV4, ...MAPPED.slice(0, 4), ...IPV6]

/** Half hits, half misses against {@link ALLOW_LIST}. */
const ALLOW_INPUTS = [
  '100.64.7.12',
  '100.65.120.1',
  '100.69.77.200',
  '::ffff:100.66.224.9',
  '2001:db8:103:1::1',
  '2001:db8:15d::42',
  '100.64.8.1',
  '100.71.0.1',
  '203.0.113.7',
  '::ffff:8.8.8.8',
  '2001:db8:101::1',
  '2606:4700:4700::1111',
]

const ours = { list: cidrMatcher(TRUST_LIST), allow: cidrMatcher(ALLOW_LIST) }
const anchor = { list: anchorMatcher(TRUST_LIST), allow: anchorMatcher(ALLOW_LIST) }

export default defineSuite({
  name: 'net',
  title: '@rampart/core net vs ipaddr.js',
  ours: '@rampart/core',
  anchor: anchorName('ipaddr.js'),
  description:
    '`normalizeIp` against `ipaddr.process(ip).toString()`, and a compiled `cidrMatcher` against ' +
    'ipaddr.js rules matched the way proxy-addr (Express `trust proxy`) does it. Same inputs, same ' +
    'results (checked before timing).',
  cases: [
    microCase({
      name: 'normalizeIp: IPv4',
      inputs: IPV4,
      ours: normalizeIp,
      anchor: anchorNormalize,
    }),
    microCase({
      name: 'normalizeIp: IPv4-mapped IPv6',
      inputs: MAPPED,
      ours: normalizeIp,
      anchor: anchorNormalize,
    }),
    microCase({
      name: 'normalizeIp: IPv6',
      inputs: IPV6,
      ours: normalizeIp,
      anchor: anchorNormalize,
    }),
    microCase({
      name: 'normalizeIp: invalid input',
      inputs: INVALID,
      ours: normalizeIp,
      anchor: anchorNormalize,
      note: 'ipaddr.js reports invalid input by throwing; the anchor catches and returns `undefined`, as ours does without a throw.',
    }),
    microCase({
      name: `cidrMatcher: ${TRUST_LIST.length} rules (loopback + uniquelocal), mixed v4/v6`,
      inputs: MIXED,
      ours: ours.list,
      anchor: anchor.list,
    }),
    microCase({
      name: `cidrMatcher: ${ALLOW_LIST.length}-rule allow list, half hits`,
      inputs: ALLOW_INPUTS,
      ours: ours.allow,
      anchor: anchor.allow,
      note: 'ours looks rules up in sorted ranges (O(log n)); the anchor tries each rule of the same IP version in turn, as proxy-addr does.',
    }),
  ],
})
