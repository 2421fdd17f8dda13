import { describe, expect, it, vi } from 'vitest'
import { RampartConfigError, z } from '../config.js'
import {
  compileTrust,
  MAX_FORWARDED_ENTRIES,
  resolveClientIp,
  type TrustProxy,
  trustProxySchema,
} from './forwarded.js'

describe('resolveClientIp', () => {
  it.each<[string, string | undefined, string | null, TrustProxy, string | undefined]>([
    // [case, peer, X-Forwarded-For, trust, expected]
    ['no trust: the peer', '10.0.0.1', '203.0.113.7', false, '10.0.0.1'],
    ['no header', '10.0.0.1', null, true, '10.0.0.1'],
    ['empty header', '10.0.0.1', '', true, '10.0.0.1'],
    ['trust all: left-most', '10.0.0.1', '203.0.113.7, 10.0.0.2', true, '203.0.113.7'],
    ['peer normalised', '::ffff:10.0.0.1', null, false, '10.0.0.1'],
    ['entries normalised', '10.0.0.1', '::FFFF:203.0.113.7', true, '203.0.113.7'],
    ['IPv6 entries', '::1', '2001:DB8::0:7', true, '2001:db8::7'],
    ['bracketed IPv6 entry', '::1', '[2001:db8::7]', true, '2001:db8::7'],

    // Hop counts: n trusts the n hops closest to the server.
    ['0 hops', '10.0.0.1', '1.1.1.1, 2.2.2.2', 0, '10.0.0.1'],
    ['1 hop', '10.0.0.1', '1.1.1.1, 2.2.2.2', 1, '2.2.2.2'],
    ['2 hops', '10.0.0.1', '1.1.1.1, 2.2.2.2', 2, '1.1.1.1'],
    ['more hops than entries', '10.0.0.1', '1.1.1.1, 2.2.2.2', 5, '1.1.1.1'],

    // CIDR trust: the spoofed left part is never reached.
    [
      'CIDR: untrusted peer, spoofed header',
      '203.0.113.9',
      '1.2.3.4',
      ['10.0.0.0/8'],
      '203.0.113.9',
    ],
    ['CIDR: trusted peer', '10.0.0.1', '1.2.3.4, 203.0.113.7', ['10.0.0.0/8'], '203.0.113.7'],
    [
      'CIDR: chain of proxies',
      '10.0.0.1',
      '1.2.3.4, 203.0.113.7, 10.0.0.3, 10.0.0.2',
      ['10.0.0.0/8'],
      '203.0.113.7',
    ],
    ['CIDR: all trusted', '10.0.0.1', '10.0.0.9, 10.0.0.8', ['10.0.0.0/8'], '10.0.0.9'],
    ['CIDR: mapped peer', '::ffff:10.0.0.1', '203.0.113.7', ['10.0.0.0/8'], '203.0.113.7'],
    ['preset: loopback', '127.0.0.1', '203.0.113.7', ['loopback'], '203.0.113.7'],
    ['preset: IPv6 loopback', '::1', '203.0.113.7', ['loopback'], '203.0.113.7'],
    ['preset: uniquelocal, untrusted peer', '8.8.8.8', '203.0.113.7', ['uniquelocal'], '8.8.8.8'],

    // Malformed entries stop the walk at the hop that sent them.
    ['garbage entry', '10.0.0.1', 'evil, 10.0.0.2', true, '10.0.0.2'],
    ['garbage right-most', '10.0.0.1', '1.1.1.1, evil', true, '10.0.0.1'],
    ['port attached', '10.0.0.1', '203.0.113.7:5000', true, '10.0.0.1'],
    ['unknown (nginx)', '10.0.0.1', 'unknown', true, '10.0.0.1'],
    ['quoted', '10.0.0.1', '"203.0.113.7"', true, '10.0.0.1'],
    ['leading-zero octet', '10.0.0.1', '010.0.0.1', true, '10.0.0.1'],
    ['oversized entry', '10.0.0.1', `1.1.1.1, ${'9'.repeat(500)}`, true, '10.0.0.1'],
    ['zone id dropped', '::1', 'fe80::1%eth0', true, 'fe80::1'],

    // Whitespace and empty entries are tolerated, as Express's `forwarded` does.
    ['tabs and spaces', '10.0.0.1', ' \t1.1.1.1 \t,\t2.2.2.2 ', true, '1.1.1.1'],
    ['empty entries skipped', '10.0.0.1', '1.1.1.1,, ,2.2.2.2,', 2, '1.1.1.1'],
    ['only commas', '10.0.0.1', ',,,', true, '10.0.0.1'],

    // Unknown or invalid peer.
    ['unknown peer', undefined, '203.0.113.7', true, undefined],
    ['invalid peer', 'localhost', '203.0.113.7', true, undefined],
  ])('%s', (_, peer, header, trust, expected) => {
    expect(resolveClientIp(peer, header, trust)).toBe(expected)
    if (typeof trust !== 'function') {
      expect(resolveClientIp(peer, header, compileTrust(trust))).toBe(expected)
    }
  })

  it('calls a trust function with normalised addresses and hop indexes', () => {
    const trust = vi.fn((ip: string) => ip !== '203.0.113.7')
    const result = resolveClientIp('::ffff:10.0.0.1', '1.1.1.1, 203.0.113.7, 10.0.0.2', trust)
    expect(result).toBe('203.0.113.7')
    expect(trust.mock.calls).toEqual([
      ['10.0.0.1', 0],
      ['10.0.0.2', 1],
      ['203.0.113.7', 2],
    ])
  })

  it('hop indexes skip empty entries', () => {
    const seen: Array<[string, number]> = []
    resolveClientIp('10.0.0.1', '1.1.1.1, , 2.2.2.2', (ip, hop) => {
      seen.push([ip, hop])
      return true
    })
    expect(seen).toEqual([
      ['10.0.0.1', 0],
      ['2.2.2.2', 1],
      ['1.1.1.1', 2],
    ])
  })

  it('does not read the header when the peer is untrusted', () => {
    const trust = vi.fn(() => false)
    expect(resolveClientIp('10.0.0.1', 'x'.repeat(100_000), trust)).toBe('10.0.0.1')
    expect(trust).toHaveBeenCalledTimes(1)
  })

  it(`examines at most ${MAX_FORWARDED_ENTRIES} entries`, () => {
    const entries = Array.from({ length: 100 }, (_, i) => `10.0.${Math.floor(i / 256)}.${i % 256}`)
    const header = entries.join(', ')
    const trust = vi.fn(() => true)
    // Entries are walked right to left: the 32nd from the right is entry 100 - 32.
    expect(resolveClientIp('127.0.0.1', header, trust)).toBe(entries[100 - MAX_FORWARDED_ENTRIES])
    expect(trust).toHaveBeenCalledTimes(MAX_FORWARDED_ENTRIES + 1)
  })

  it('counts empty entries towards the cap', () => {
    const header = `203.0.113.7${','.repeat(10_000)}`
    expect(resolveClientIp('127.0.0.1', header, true)).toBe('127.0.0.1')
  })

  it('stays fast on a hostile header', () => {
    const headers = ['1'.repeat(1_000_000), `${'1.1.1.1,'.repeat(200_000)}`, ' '.repeat(1_000_000)]
    const started = performance.now()
    for (const header of headers) {
      for (let i = 0; i < 200; i++) resolveClientIp('10.0.0.1', header, true)
    }
    expect(performance.now() - started).toBeLessThan(500)
  })
})

describe('compileTrust', () => {
  it('compiles the simple forms', () => {
    expect(compileTrust(true)('1.2.3.4', 99)).toBe(true)
    expect(compileTrust(false)('1.2.3.4', 0)).toBe(false)
    expect(compileTrust(0)('1.2.3.4', 0)).toBe(false)
    const two = compileTrust(2)
    expect([two('x', 0), two('x', 1), two('x', 2)]).toEqual([true, true, false])
    const fn = (ip: string) => ip === '::1'
    expect(compileTrust(fn)).toBe(fn)
    const list = compileTrust(['10.0.0.0/8', 'loopback'])
    expect([list('10.1.1.1', 0), list('::1', 5), list('11.0.0.1', 0)]).toEqual([true, true, false])
  })

  it('names every invalid entry', () => {
    try {
      compileTrust(['loopback', '10.0.0.1/8', 'local', '::/0'])
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(RampartConfigError)
      const e = error as RampartConfigError
      expect(e.code).toBe('ERR_RAMPART_CORE_CONFIG')
      expect(e.issues.map((i) => i.path)).toEqual(['[1]', '[2]'])
      expect(e.issues[1]?.message).toMatch(/presets: loopback, linklocal, uniquelocal/)
    }
  })

  it.each([
    ['negative hop count', -1, /whole number of 0 or more/],
    ['fractional hop count', 1.5, /whole number of 0 or more/],
    ['NaN', Number.NaN, /whole number of 0 or more/],
    ['Express-style string', 'loopback, 10.0.0.0/8', /write \['loopback', '10.0.0.0\/8'\]/],
    ['null', null, /expected true, false, a hop count/],
    ['object', {}, /expected true, false, a hop count/],
  ])('rejects %s', (_, trust, message) => {
    expect(() => compileTrust(trust as never)).toThrow(message)
  })

  it('embeds in an adapter schema with its option path', () => {
    const schema = z.strictObject({ trustProxy: trustProxySchema.optional() })
    const result = schema.safeParse({ trustProxy: ['10.0.0.0/8', 'nope'] })
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.path).toEqual(['trustProxy', 1])
    const ok = schema.parse({ trustProxy: 1 })
    expect(typeof ok.trustProxy).toBe('function')
  })
})
