import { describe, expect, it } from 'vitest'
import { RampartConfigError } from '../config.js'
import { ipKey, ipKeyer, ipv6SubnetSchema } from './subnet.js'

describe('ipKey', () => {
  it.each([
    ['IPv4 as is', '203.0.113.9', {}, '203.0.113.9'],
    ['mapped IPv6 as IPv4', '::ffff:203.0.113.9', {}, '203.0.113.9'],
    ['mapped hex as IPv4', '::ffff:cb00:7109', {}, '203.0.113.9'],
    ['default /56', '2001:db8:abcd:1234::1', {}, '2001:db8:abcd:1200::/56'],
    ['/56 keeps the 56th bit', '2001:db8:ab:ff00::1', {}, '2001:db8:ab:ff00::/56'],
    ['/56 drops the 57th bit', '2001:db8:ab:80::1', {}, '2001:db8:ab::/56'],
    ['/64', '2001:db8:1:2:3:4:5:6', { ipv6Subnet: 64 }, '2001:db8:1:2::/64'],
    ['/48', '2001:db8:1:2:3:4:5:6', { ipv6Subnet: 48 }, '2001:db8:1::/48'],
    ['/32', '2001:db8:1:2:3:4:5:6', { ipv6Subnet: 32 }, '2001:db8::/32'],
    ['/60 masks inside a byte', '2001:db8:1:2ff::1', { ipv6Subnet: 60 }, '2001:db8:1:2f0::/60'],
    ['/33 masks one bit', '2001:db8:ffff::', { ipv6Subnet: 33 }, '2001:db8:8000::/33'],
    ['false keys the full address', '2001:DB8::0:1', { ipv6Subnet: false }, '2001:db8::1'],
    ['zone dropped', 'fe80::1%eth0', { ipv6Subnet: false }, 'fe80::1'],
    ['non-address unchanged', 'not-an-ip', {}, 'not-an-ip'],
    ['empty unchanged', '', {}, ''],
    ['IPv4 extremes as is', '255.255.255.255', {}, '255.255.255.255'],
    ['IPv4 zeros as is', '0.0.0.0', {}, '0.0.0.0'],
    ['out-of-range quad unchanged', '256.1.1.1', {}, '256.1.1.1'],
    ['three parts unchanged', '1.2.3', {}, '1.2.3'],
    ['leading zeros unchanged', '010.0.0.1', {}, '010.0.0.1'],
    ['five parts unchanged', '1.2.3.4.5', {}, '1.2.3.4.5'],
  ] as const)('%s', (_, ip, options, expected) => {
    expect(ipKey(ip, options)).toBe(expected)
    expect(ipKeyer(options)(ip)).toBe(expected)
  })

  it('gives every address of one /56 the same key', () => {
    const keys = new Set(
      ['2001:db8:0:0::1', '2001:db8:0:ff:ffff:ffff:ffff:ffff', '2001:db8::42:1'].map((ip) =>
        ipKey(ip),
      ),
    )
    expect([...keys]).toEqual(['2001:db8::/56'])
    expect(ipKey('2001:db8:0:100::1')).toBe('2001:db8:0:100::/56')
  })

  it.each([31, 65, 0, 128, 56.5, Number.NaN, '56', null, true])(
    'rejects ipv6Subnet %j with a clear error',
    (ipv6Subnet) => {
      const options = { ipv6Subnet } as never
      expect(() => ipKey('::1', options)).toThrow(RampartConfigError)
      expect(() => ipKey('::1', options)).toThrow(
        /ipv6Subnet: expected an integer prefix length from 32 to 64/,
      )
      expect(() => ipKeyer(options)).toThrow(/ipv6Subnet: expected an integer prefix length/)
    },
  )

  it('ipKeyer rejects unknown options', () => {
    expect(() => ipKeyer({ ipv6subnet: 48 } as never)).toThrow(/Did you mean 'ipv6Subnet'/)
  })

  it('the error carries the core code and path', () => {
    try {
      ipKey('::1', { ipv6Subnet: 20 })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(RampartConfigError)
      expect((error as RampartConfigError).code).toBe('ERR_RAMPART_CORE_CONFIG')
      expect((error as RampartConfigError).issues[0]?.path).toBe('ipv6Subnet')
    }
  })

  it('ipv6SubnetSchema embeds in other schemas', () => {
    expect(ipv6SubnetSchema.safeParse(48).success).toBe(true)
    expect(ipv6SubnetSchema.safeParse(false).success).toBe(true)
    expect(ipv6SubnetSchema.safeParse(true).success).toBe(false)
    expect(ipv6SubnetSchema.safeParse(16).success).toBe(false)
  })
})
