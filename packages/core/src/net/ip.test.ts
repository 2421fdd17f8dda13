import { describe, expect, it } from 'vitest'
import { formatIp, MAX_IP_LENGTH, normalizeIp, parseIp, parseIpInto, parseIpRaw } from './ip.js'

describe('normalizeIp: valid IPv4', () => {
  it.each([
    ['0.0.0.0', '0.0.0.0'],
    ['1.2.3.4', '1.2.3.4'],
    ['127.0.0.1', '127.0.0.1'],
    ['255.255.255.255', '255.255.255.255'],
    ['192.168.100.200', '192.168.100.200'],
    ['10.0.0.0', '10.0.0.0'],
    ['100.64.0.1', '100.64.0.1'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeIp(raw)).toBe(expected)
  })
})

describe('normalizeIp: invalid IPv4', () => {
  it.each([
    ['leading zero (octal ambiguity)', '010.1.1.1'],
    ['leading zero in last octet', '1.1.1.01'],
    ['double zero', '00.1.1.1'],
    ['octet > 255', '256.1.1.1'],
    ['octet 999', '1.2.3.999'],
    ['four-digit octet', '1.2.3.1000'],
    ['empty octet', '1..2.3'],
    ['leading dot', '.1.2.3.4'],
    ['trailing dot', '1.2.3.4.'],
    ['three parts', '1.2.3'],
    ['five parts', '1.2.3.4.5'],
    ['short form', '127.1'],
    ['single integer', '2130706433'],
    ['hex octet', '0x7f.0.0.1'],
    ['negative', '-1.2.3.4'],
    ['plus sign', '+1.2.3.4'],
    ['leading space', ' 1.2.3.4'],
    ['trailing space', '1.2.3.4 '],
    ['trailing newline', '1.2.3.4\n'],
    ['port', '1.2.3.4:80'],
    ['prefix', '1.2.3.4/32'],
    ['brackets around IPv4', '[1.2.3.4]'],
    ['zone on IPv4', '1.2.3.4%eth0'],
    ['full-width digits', '１.２.３.４'],
    ['Arabic-Indic digits', '١.٢.٣.٤'],
    ['NUL inside', '1.2.3.4\u0000'],
  ])('%s: %j', (_, raw) => {
    expect(normalizeIp(raw)).toBeUndefined()
  })
})

describe('normalizeIp: valid IPv6 → RFC 5952', () => {
  it.each([
    ['::', '::'],
    ['::1', '::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['0000:0000:0000:0000:0000:0000:0000:0000', '::'],
    ['1::', '1::'],
    ['2001:db8::1', '2001:db8::1'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // tie: first run wins
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single zero group is not compressed
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'], // the longer run wins
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'], // `::` for one group, expanded on output
    ['::2:3:4:5:6:7:8', '0:2:3:4:5:6:7:8'],
    ['1:0:0:0:0:0:0:0', '1::'],
    ['fe80::1%eth0', 'fe80::1'],
    ['fe80::1%25eth0', 'fe80::1'],
    ['fe80::1%1', 'fe80::1'],
    ['[::1]', '::1'],
    ['[fe80::1%eth0]', 'fe80::1'],
    ['[2001:DB8::A]', '2001:db8::a'],
    ['FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['::1.2.3.4', '::102:304'], // IPv4-compatible (deprecated) stays IPv6
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'], // NAT64 stays IPv6
    ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:102:304'],
    ['::ffff:0:1.2.3.4', '::ffff:0:102:304'], // SIIT translated is not mapped
    ['::fffe:1.2.3.4', '::fffe:102:304'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeIp(raw)).toBe(expected)
  })
})

describe('normalizeIp: IPv4-mapped IPv6 → IPv4', () => {
  it.each([
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['::FFFF:1.2.3.4', '1.2.3.4'],
    ['::ffff:102:304', '1.2.3.4'],
    ['0:0:0:0:0:ffff:7f00:1', '127.0.0.1'],
    ['0000:0000:0000:0000:0000:ffff:255.255.255.255', '255.255.255.255'],
    ['[::ffff:10.0.0.1]', '10.0.0.1'],
    ['::ffff:10.0.0.1%eth0', '10.0.0.1'],
    ['::ffff:0.0.0.0', '0.0.0.0'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeIp(raw)).toBe(expected)
  })
})

describe('normalizeIp: invalid IPv6', () => {
  it.each([
    ['single colon', ':'],
    ['triple colon', ':::'],
    ['leading single colon', ':1::2'],
    ['trailing single colon', '1::2:'],
    ['two gaps', '1::2::3'],
    ['nine groups', '1:2:3:4:5:6:7:8:9'],
    ['seven groups, no gap', '1:2:3:4:5:6:7'],
    ['eight groups plus gap', '1:2:3:4:5:6:7:8::'],
    ['gap inside eight groups', '1:2:3:4::5:6:7:8'],
    ['five hex digits', '12345::1'],
    ['non-hex letter', '2001:db8::g'],
    ['IPv4 tail too late', '1:2:3:4:5:6:7:1.2.3.4'],
    ['IPv4 tail not last', '::1.2.3.4:1'],
    ['bad IPv4 tail', '::ffff:1.2.3.256'],
    ['IPv4 tail with leading zero', '::ffff:01.2.3.4'],
    ['hex in IPv4 tail', '::ffff:a.2.3.4'],
    ['short IPv4 tail', '::ffff:1.2.3'],
    ['empty brackets', '[]'],
    ['unclosed bracket', '[::1'],
    ['unopened bracket', '::1]'],
    ['bracketed port', '[::1]:80'],
    ['empty zone', 'fe80::1%'],
    ['zone with space', 'fe80::1%eth 0'],
    ['zone with slash', 'fe80::1%a/b'],
    ['two zones', 'fe80::1%a%b'],
    ['zone only', '%eth0'],
    ['prefix', '::1/128'],
    ['space inside', '2001:db8:: 1'],
    ['full-width digit', '2001:db8::１'],
    ['full-width colon', '2001：db8::1'],
  ])('%s: %j', (_, raw) => {
    expect(normalizeIp(raw)).toBeUndefined()
  })
})

describe('normalizeIp: garbage and hostile input', () => {
  it.each([
    ['empty', ''],
    ['word', 'localhost'],
    ['unknown (nginx)', 'unknown'],
    ['hostname', 'example.com'],
    ['emoji', '🙂'],
    ['lone surrogate', '\ud800'],
    ['dots only', '...'],
    ['colons and dots', ':.:.:'],
  ])('%s: %j', (_, raw) => {
    expect(normalizeIp(raw)).toBeUndefined()
  })

  it('refuses input longer than MAX_IP_LENGTH', () => {
    const padded = `::${'0'.repeat(MAX_IP_LENGTH)}`
    expect(normalizeIp(padded)).toBeUndefined()
    expect(normalizeIp('1.2.3.4'.padStart(MAX_IP_LENGTH + 1, '0'))).toBeUndefined()
  })

  it('accepts the longest legitimate form', () => {
    const longest = '[0000:0000:0000:0000:0000:ffff:255.255.255.255%eth0.1234]'
    expect(longest.length).toBeLessThanOrEqual(MAX_IP_LENGTH)
    expect(normalizeIp(longest)).toBe('255.255.255.255')
  })

  it('stays fast on very long input', () => {
    const huge = ':'.repeat(1_000_000)
    const started = performance.now()
    for (let i = 0; i < 1000; i++) normalizeIp(huge)
    expect(normalizeIp(huge)).toBeUndefined()
    expect(performance.now() - started).toBeLessThan(200)
  })

  it('returns undefined for non-strings from untyped callers', () => {
    expect(normalizeIp(undefined as unknown as string)).toBeUndefined()
    expect(normalizeIp(42 as unknown as string)).toBeUndefined()
    expect(normalizeIp({ length: 7 } as unknown as string)).toBeUndefined()
  })

  it('is idempotent on its own output', () => {
    for (const raw of ['[2001:DB8::0:1%eth0]', '::ffff:1.2.3.4', '1:0:0:0:0:0:0:0', '0.0.0.0']) {
      const once = normalizeIp(raw) as string
      expect(normalizeIp(once)).toBe(once)
    }
  })
})

describe('parseIp and formatIp', () => {
  it('parses IPv4 into 4 bytes', () => {
    const ip = parseIp('192.0.2.1')
    expect(ip?.version).toBe(4)
    expect([...(ip?.bytes ?? [])]).toEqual([192, 0, 2, 1])
  })

  it('parses mapped IPv6 into IPv4 bytes', () => {
    const ip = parseIp('::ffff:c000:201')
    expect(ip?.version).toBe(4)
    expect([...(ip?.bytes ?? [])]).toEqual([192, 0, 2, 1])
  })

  it('parses IPv6 into 16 bytes', () => {
    const ip = parseIp('2001:db8::ff00:42:8329')
    expect(ip?.version).toBe(6)
    expect([...(ip?.bytes ?? [])]).toEqual([
      0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0xff, 0x00, 0x00, 0x42, 0x83, 0x29,
    ])
  })

  it('returns undefined for invalid input', () => {
    expect(parseIp('1.2.3')).toBeUndefined()
    expect(parseIp('::g')).toBeUndefined()
  })

  it('returns independent byte arrays', () => {
    const a = parseIp('::1')
    const b = parseIp('::2')
    expect(a && formatIp(a)).toBe('::1')
    expect(b && formatIp(b)).toBe('::2')
  })

  it('round-trips through formatIp', () => {
    for (const text of ['10.1.2.3', '::', '::1', 'fe80::', '2001:db8:0:1:1:1:1:1', '1:0:0:2::3']) {
      const parsed = parseIp(text)
      expect(parsed && formatIp(parsed)).toBe(text)
    }
  })

  it('parseIpInto reports the version and unwraps mapped addresses', () => {
    const out = new Uint8Array(16)
    expect(parseIpInto('::ffff:1.2.3.4', out)).toBe(4)
    expect([...out.subarray(0, 4)]).toEqual([1, 2, 3, 4])
    expect(parseIpInto('nope', out)).toBe(0)
  })

  it('parseIpRaw keeps the mapped form', () => {
    const out = new Uint8Array(16)
    expect(parseIpRaw('::ffff:1.2.3.4', out)).toBe(6)
    expect([...out.subarray(10, 16)]).toEqual([0xff, 0xff, 1, 2, 3, 4])
  })
})

describe('normalizeIp: exhaustive IPv6 compression shapes', () => {
  // Every pattern of zero/non-zero groups must round-trip to the canonical text that a
  // straightforward reference formatter produces.
  function reference(groups: number[]): string {
    let bestStart = -1
    let bestLen = 0
    for (let s = 0; s < 8; s++) {
      let len = 0
      while (s + len < 8 && groups[s + len] === 0) len++
      if (len >= 2 && len > bestLen) {
        bestStart = s
        bestLen = len
      }
    }
    const hex = groups.map((g) => g.toString(16))
    if (bestStart === -1) return hex.join(':')
    return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`
  }

  it('matches the reference for all 256 zero patterns', () => {
    for (let mask = 0; mask < 256; mask++) {
      const groups = Array.from({ length: 8 }, (_, g) => ((mask >> g) & 1 ? 0 : 0xa0 + g))
      const full = groups.map((g) => g.toString(16).padStart(4, '0')).join(':')
      const expected = reference(groups)
      expect(normalizeIp(full)).toBe(expected)
      expect(normalizeIp(expected)).toBe(expected)
    }
  })
})
