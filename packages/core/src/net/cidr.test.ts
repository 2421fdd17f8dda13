import { describe, expect, it } from 'vitest'
import { RampartConfigError, z } from '../config.js'
import {
  CIDR_PRESETS,
  cidrEntrySchema,
  cidrMatcher,
  compileCidrs,
  formatCidr,
  parseCidr,
  tryParseCidr,
} from './cidr.js'
import { parseIp } from './ip.js'

describe('parseCidr / formatCidr', () => {
  it.each([
    ['10.0.0.0/8', '10.0.0.0/8', 4],
    ['0.0.0.0/0', '0.0.0.0/0', 4],
    ['192.168.1.5', '192.168.1.5/32', 4],
    ['192.168.1.5/32', '192.168.1.5/32', 4],
    ['::/0', '::/0', 6],
    ['::1', '::1/128', 6],
    ['2001:DB8::/32', '2001:db8::/32', 6],
    ['2001:db8:ab00::/40', '2001:db8:ab00::/40', 6],
    ['fe80::/10', 'fe80::/10', 6],
    ['::ffff:10.0.0.0/104', '10.0.0.0/8', 4],
    ['::ffff:0:0/96', '0.0.0.0/0', 4],
    ['::ffff:1.2.3.4', '1.2.3.4/32', 4],
    ['::ffff:102:304/128', '1.2.3.4/32', 4],
    ['[::1]/128', '::1/128', 6],
    ['10.0.0.0/08', '10.0.0.0/8', 4],
  ] as const)('%s → %s', (text, formatted, version) => {
    const cidr = parseCidr(text)
    expect(cidr.version).toBe(version)
    expect(formatCidr(cidr)).toBe(formatted)
  })

  it.each([
    ['empty', '', /not an IPv4 or IPv6 address/],
    ['garbage', 'office', /not an IPv4 or IPv6 address/],
    ['octet out of range', '10.0.0.256/8', /'10.0.0.256' is not an IPv4 or IPv6 address/],
    ['leading zero', '010.0.0.0/8', /without leading zeros/],
    ['empty prefix', '10.0.0.0/', /invalid prefix/],
    ['IPv4 prefix 33', '10.0.0.0/33', /IPv4 prefix is a whole number from 0 to 32/],
    ['IPv6 prefix 129', '::/129', /IPv6 prefix is a whole number from 0 to 128/],
    ['negative prefix', '10.0.0.0/-1', /invalid prefix/],
    ['prefix with sign', '10.0.0.0/+8', /invalid prefix/],
    ['four-digit prefix', '::/0128', /invalid prefix/],
    ['two slashes', '10.0.0.0/8/8', /invalid prefix/],
    ['netmask form', '10.0.0.0/255.0.0.0', /invalid prefix/],
    ['whitespace', ' 10.0.0.0/8', /surrounding whitespace/],
    ['zone id', 'fe80::%eth0/64', /zone id/],
    ['host bits (IPv4)', '10.1.2.3/8', /use '10.0.0.0\/8' for the network or '10.1.2.3\/32'/],
    ['host bits (IPv6)', '2001:db8::1/32', /use '2001:db8::\/32' for the network/],
    ['host bits (mapped)', '::ffff:10.1.0.0/104', /use '10.0.0.0\/8'/],
    ['too long', `${'1'.repeat(100)}/8`, /too long/],
    ['unicode digits', '１０.0.0.0/8', /not an IPv4 or IPv6 address/],
  ])('rejects %s', (_, text, reason) => {
    const result = tryParseCidr(text)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.reason).toMatch(reason)
    expect(() => parseCidr(text)).toThrow(RangeError)
  })

  it('tryParseCidr never throws on non-strings', () => {
    expect(tryParseCidr(42 as unknown as string)).toEqual({
      ok: false,
      reason: 'expected a string, received 42',
    })
  })
})

describe('cidrMatcher', () => {
  it.each([
    // [rules, ip, expected]
    [['0.0.0.0/0'], '1.2.3.4', true],
    [['0.0.0.0/0'], '255.255.255.255', true],
    [['0.0.0.0/0'], '::1', false],
    [['::/0'], '2001:db8::1', true],
    [['::/0'], '1.2.3.4', true], // ::/0 contains ::ffff:0:0/96, where IPv4 clients live
    [['::/8'], '1.2.3.4', true],
    [['2000::/3'], '1.2.3.4', false],
    [['::ffff:0:0/96'], '9.9.9.9', true],
    [['10.0.0.0/8'], '10.0.0.0', true],
    [['10.0.0.0/8'], '10.255.255.255', true],
    [['10.0.0.0/8'], '11.0.0.0', false],
    [['10.0.0.0/8'], '9.255.255.255', false],
    [['10.0.0.0/8'], '::ffff:10.1.2.3', true], // IPv4 rule, mapped client
    [['10.0.0.0/8'], '::ffff:a01:203', true],
    [['10.0.0.0/8'], '::a01:203', false], // IPv4-compatible is not mapped
    [['::ffff:10.0.0.0/104'], '10.9.9.9', true], // mapped rule, IPv4 client
    [['192.168.1.5'], '192.168.1.5', true],
    [['192.168.1.5'], '192.168.1.4', false],
    [['192.168.1.5'], '192.168.1.6', false],
    [['192.168.1.0/24'], '192.168.1.255', true],
    [['192.168.1.0/24'], '192.168.2.0', false],
    [['255.255.255.255/32'], '255.255.255.255', true],
    [['128.0.0.0/1'], '128.0.0.0', true],
    [['128.0.0.0/1'], '127.255.255.255', false],
    [['::1'], '::1', true],
    [['::1'], '::2', false],
    [['::1/128'], '[::1]', true],
    [['::1/128'], '0:0:0:0:0:0:0:1', true],
    [
      ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128'],
      'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
      true,
    ],
    [['2001:db8:ab00::/56'], '2001:db8:ab00::', true],
    [['2001:db8:ab00::/56'], '2001:db8:ab00:ff:ffff:ffff:ffff:ffff', true],
    [['2001:db8:ab00::/56'], '2001:db8:ab00:100::', false],
    [['2001:db8:ab00::/56'], '2001:db8:aaff:ffff:ffff:ffff:ffff:ffff', false],
    [['2001:db8::/127'], '2001:db8::1', true],
    [['2001:db8::/127'], '2001:db8::2', false],
    [['fe80::/10'], 'fe80::1%eth0', true],
    [['fe80::/10'], 'febf:ffff::', true],
    [['fe80::/10'], 'fec0::', false],
    [['10.0.0.0/8'], 'not-an-ip', false],
    [['10.0.0.0/8'], '', false],
    [[], '10.0.0.1', false],
    [[], '::1', false],
  ] as const)('%j has %s → %s', (rules, ip, expected) => {
    expect(cidrMatcher(rules)(ip)).toBe(expected)
  })

  it('expands presets', () => {
    const loopback = cidrMatcher(['loopback'])
    expect(loopback('127.0.0.1')).toBe(true)
    expect(loopback('127.255.255.254')).toBe(true)
    expect(loopback('::1')).toBe(true)
    expect(loopback('::ffff:127.0.0.1')).toBe(true)
    expect(loopback('128.0.0.1')).toBe(false)
    const local = cidrMatcher(['uniquelocal', 'linklocal'])
    for (const ip of [
      '10.1.1.1',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.0.1',
      'fd00::1',
      '169.254.1.1',
      'fe80::1',
    ]) {
      expect(local(ip), ip).toBe(true)
    }
    for (const ip of ['172.32.0.1', '8.8.8.8', 'fe00::1', '2001:db8::1']) {
      expect(local(ip), ip).toBe(false)
    }
    expect(Object.isFrozen(CIDR_PRESETS)).toBe(true)
  })

  it('handles overlapping, nested, duplicate and adjacent rules', () => {
    const match = cidrMatcher([
      '10.0.0.0/8',
      '10.1.0.0/16',
      '10.0.0.0/8',
      '11.0.0.0/8',
      '2001:db8::/32',
      '2001:db8:1::/48',
      '2001:db8::/33',
    ])
    for (const ip of ['10.1.2.3', '11.255.255.255', '2001:db8:1::1', '2001:db8:ffff::1']) {
      expect(match(ip), ip).toBe(true)
    }
    for (const ip of ['12.0.0.0', '9.255.255.255', '2001:db9::', '2001:db7:ffff::']) {
      expect(match(ip), ip).toBe(false)
    }
  })

  it('agrees with a linear scan on a long random list', () => {
    let seed = 42
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed
    }
    const rules: string[] = []
    const ranges: Array<[number, number]> = []
    for (let i = 0; i < 500; i++) {
      const prefix = 8 + (random() % 25)
      const size = 2 ** (32 - prefix)
      const start = Math.floor(((random() * 2 + (random() & 1)) % 2 ** 32) / size) * size
      ranges.push([start, start + size - 1])
      rules.push(
        `${start >>> 24}.${(start >>> 16) & 255}.${(start >>> 8) & 255}.${start & 255}/${prefix}`,
      )
    }
    const match = cidrMatcher(rules)
    for (let i = 0; i < 5000; i++) {
      const x = (random() * 2 + (random() & 1)) % 2 ** 32
      const ip = `${x >>> 24}.${(x >>> 16) & 255}.${(x >>> 8) & 255}.${x & 255}`
      expect(match(ip), ip).toBe(ranges.some(([s, e]) => x >= s && x <= e))
    }
  })

  it('agrees with a linear scan on random IPv6 /56 rules', () => {
    const rules: string[] = []
    for (let i = 0; i < 200; i++)
      rules.push(`2001:db8:${(i * 7).toString(16)}:${(i * 256).toString(16)}::/56`)
    const match = cidrMatcher(rules)
    for (let i = 0; i < 300; i++) {
      const inside = `2001:db8:${(i * 7).toString(16)}:${(i * 256 + 255).toString(16)}:ffff::1`
      expect(match(inside), inside).toBe(i < 200)
      const outside = `2001:db8:${(i * 7).toString(16)}:${(i * 256 + 256).toString(16)}::`
      const expected = rules.includes(
        `2001:db8:${(i * 7).toString(16)}:${(i * 256 + 256).toString(16)}::/56`,
      )
      expect(match(outside), outside).toBe(expected)
    }
  })

  it('names every invalid entry by index', () => {
    try {
      cidrMatcher(['10.0.0.0/8', '10.0.0.256', 'loopback', 'LOOPBACK', '::/129'])
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(RampartConfigError)
      const e = error as RampartConfigError
      expect(e.code).toBe('ERR_RAMPART_CORE_CONFIG')
      expect(e.issues.map((i) => i.path)).toEqual(['[1]', '[3]', '[4]'])
      expect(e.message).toContain("[1]: '10.0.0.256' is not an IPv4 or IPv6 address")
      expect(e.message).toContain('@rampart/core cidrMatcher')
    }
  })

  it('rejects non-arrays and non-string entries', () => {
    expect(() => cidrMatcher('10.0.0.0/8' as never)).toThrow(/expected an array of CIDRs/)
    expect(() => cidrMatcher([42] as never)).toThrow(/\[0\]: expected a string, received 42/)
  })

  it('compileCidrs exposes a parsed lookup', () => {
    const set = compileCidrs(['192.0.2.0/24'])
    const ip = parseIp('::ffff:192.0.2.7')
    expect(ip && set.hasParsed(ip)).toBe(true)
    expect(set.has('192.0.3.0')).toBe(false)
  })
})

describe('cidrEntrySchema', () => {
  it('reports entry paths inside an options schema', () => {
    const schema = z.object({ allow: z.array(cidrEntrySchema) })
    const result = schema.safeParse({ allow: ['10.0.0.0/8', 'loopback', 'nope'] })
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.path).toEqual(['allow', 2])
    expect(result.error?.issues[0]?.message).toMatch(/'nope' is not an IPv4 or IPv6 address/)
  })

  it('accepts presets and CIDRs', () => {
    expect(cidrEntrySchema.safeParse('uniquelocal').success).toBe(true)
    expect(cidrEntrySchema.safeParse('2001:db8::/32').success).toBe(true)
  })
})
