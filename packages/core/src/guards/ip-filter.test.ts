import { describe, expect, it } from 'vitest'
import { RampartConfigError } from '../config.js'
import type { SecurityContext } from '../context.js'
import type { Problem } from '../problem.js'
import { type IpFilterOptions, ipFilter } from './ip-filter.js'

/** Only what the guard reads and calls; the conformance suite covers real adapters. */
function fakeContext(ip: string | undefined) {
  const events: Array<{ type: string; data: unknown }> = []
  const warnings: string[] = []
  let denied: Problem | undefined
  const ctx = {
    ip,
    get denied() {
      return denied
    },
    deny(problem: Problem) {
      denied ??= problem
    },
    emit(type: string, data: unknown) {
      events.push({ type, data })
    },
    warnOnce(code: string) {
      warnings.push(code)
    },
  }
  return { ctx: ctx as unknown as SecurityContext, events, warnings, denied: () => denied }
}

function run(options: IpFilterOptions, ip: string | undefined) {
  const guard = ipFilter(options)
  const fake = fakeContext(ip)
  const result = guard.request?.(fake.ctx)
  expect(result).toBeUndefined() // synchronous
  return fake
}

describe('ipFilter behaviour', () => {
  it.each<
    [string, IpFilterOptions, string | undefined, 'pass' | 'deny-list' | 'not-allowed' | 'no-ip']
  >([
    ['allowed IPv4', { allow: ['192.168.1.0/24'] }, '192.168.1.77', 'pass'],
    ['not on allow list', { allow: ['192.168.1.0/24'] }, '192.168.2.1', 'not-allowed'],
    ['mapped client vs IPv4 allow rule', { allow: ['10.0.0.0/8'] }, '::ffff:10.1.2.3', 'pass'],
    [
      'IPv6 client vs IPv4-only allow list',
      { allow: ['10.0.0.0/8'] },
      '2001:db8::1',
      'not-allowed',
    ],
    ['IPv6 allow rule', { allow: ['2001:db8::/32'] }, '2001:db8:1::1', 'pass'],
    ['preset', { allow: ['loopback'] }, '::1', 'pass'],
    ['deny list hit', { deny: ['203.0.113.0/24'] }, '203.0.113.9', 'deny-list'],
    ['deny list miss', { deny: ['203.0.113.0/24'] }, '198.51.100.1', 'pass'],
    [
      'deny wins over allow',
      { allow: ['10.0.0.0/8'], deny: ['10.0.0.13'] },
      '10.0.0.13',
      'deny-list',
    ],
    ['allowed, not denied', { allow: ['10.0.0.0/8'], deny: ['10.0.0.13'] }, '10.0.0.14', 'pass'],
    ['neither list', { allow: ['10.0.0.0/8'], deny: ['11.0.0.0/8'] }, '12.0.0.1', 'not-allowed'],
    ['empty deny with allow', { allow: ['10.0.0.0/8'], deny: [] }, '10.0.0.1', 'pass'],
    ['missing IP: deny by default', { allow: ['10.0.0.0/8'] }, undefined, 'no-ip'],
    ['missing IP with deny list', { deny: ['10.0.0.0/8'] }, undefined, 'no-ip'],
    ['missing IP allowed', { deny: ['10.0.0.0/8'], onMissingIp: 'allow' }, undefined, 'pass'],
    ['unparseable IP is missing', { deny: ['10.0.0.0/8'] }, '10.0.0.1:80', 'no-ip'],
    ['empty IP is missing', { deny: ['10.0.0.0/8'] }, '', 'no-ip'],
    ['/0 allow', { allow: ['0.0.0.0/0', '::/0'] }, '2001:db8::1', 'pass'],
    ['/0 deny', { deny: ['0.0.0.0/0'] }, '8.8.8.8', 'deny-list'],
  ])('%s', (_, options, ip, outcome) => {
    const { events, denied } = run(options, ip)
    if (outcome === 'pass') {
      expect(denied()).toBeUndefined()
      expect(events).toEqual([])
      return
    }
    expect(events).toEqual([{ type: 'ip-filter.denied', data: { reason: outcome } }])
    expect(denied()).toMatchObject({ status: 403, type: 'urn:rampart:problem:ip-denied' })
  })

  it('refuses with an RFC 9457 403 problem', () => {
    const { denied } = run({ allow: ['10.0.0.0/8'] }, '1.2.3.4')
    expect(denied()).toEqual({
      type: 'urn:rampart:problem:ip-denied',
      title: 'Forbidden',
      status: 403,
      detail: 'Requests from this address are not allowed.',
    })
  })

  it('status 404 hides the route', () => {
    const { denied, events } = run({ allow: ['10.0.0.0/8'], status: 404 }, '1.2.3.4')
    expect(denied()).toEqual({
      type: 'urn:rampart:problem:not-found',
      title: 'Not Found',
      status: 404,
      detail: 'The requested resource was not found.',
    })
    expect(events).toEqual([{ type: 'ip-filter.denied', data: { reason: 'not-allowed' } }])
  })

  it('warns about a missing address, whichever way it is handled', () => {
    expect(run({ deny: ['10.0.0.0/8'] }, undefined).warnings).toEqual(['IP_FILTER_NO_IP'])
    expect(run({ deny: ['10.0.0.0/8'], onMissingIp: 'allow' }, undefined).warnings).toEqual([
      'IP_FILTER_NO_IP',
    ])
    expect(run({ deny: ['10.0.0.0/8'] }, '1.2.3.4').warnings).toEqual([])
  })

  it('is named ip-filter and has no response phase', () => {
    const guard = ipFilter({ deny: ['10.0.0.0/8'] })
    expect(guard.name).toBe('ip-filter')
    expect(guard.response).toBeUndefined()
  })

  it('one guard serves many requests', () => {
    const guard = ipFilter({ allow: ['10.0.0.0/8', '2001:db8::/32'], deny: ['10.6.6.6'] })
    const outcomes = ['10.1.1.1', '10.6.6.6', '2001:db8::1', '::1', undefined, '10.2.2.2'].map(
      (ip) => {
        const fake = fakeContext(ip)
        guard.request?.(fake.ctx)
        return fake.events[0] ? (fake.events[0].data as { reason: string }).reason : 'pass'
      },
    )
    expect(outcomes).toEqual(['pass', 'deny-list', 'pass', 'not-allowed', 'no-ip', 'pass'])
  })

  it('does not share the refusal problem mutably', () => {
    const { denied } = run({ allow: ['10.0.0.0/8'] }, '1.2.3.4')
    expect(Object.isFrozen(denied())).toBe(true)
  })
})

describe('ipFilter options', () => {
  function issues(options: unknown) {
    try {
      ipFilter(options as IpFilterOptions)
    } catch (error) {
      expect(error).toBeInstanceOf(RampartConfigError)
      expect((error as RampartConfigError).code).toBe('ERR_RAMPART_CORE_CONFIG')
      expect((error as RampartConfigError).message).toContain('@rampart/core ipFilter')
      return (error as RampartConfigError).issues
    }
    throw new Error('expected a RampartConfigError')
  }

  it('names a bad entry by path', () => {
    const found = issues({ allow: ['10.0.0.0/8', '192.168.1.0/24', '10.0.0.256/8'] })
    expect(found).toEqual([
      {
        path: 'allow[2]',
        message: expect.stringContaining("'10.0.0.256' is not an IPv4 or IPv6 address"),
      },
    ])
  })

  it('reports every bad entry in both lists', () => {
    const found = issues({ allow: ['nope'], deny: ['10.0.0.1/8', 'ok?'] })
    expect(found.map((i) => i.path)).toEqual(['allow[0]', 'deny[0]', 'deny[1]'])
    expect(found[1]?.message).toMatch(/use '10.0.0.0\/8' for the network/)
  })

  it('rejects unknown options with a suggestion', () => {
    expect(issues({ alow: ['10.0.0.0/8'], deny: ['10.0.0.1'] })).toEqual([
      { path: 'alow', message: expect.stringContaining("Did you mean 'allow'?") },
    ])
    expect(issues({ allowList: ['10.0.0.0/8'], deny: ['10.0.0.1'] })).toEqual([
      { path: 'allowList', message: expect.stringContaining('Known options: allow, deny') },
    ])
  })

  it('rejects no lists at all', () => {
    for (const options of [{}, { deny: [] }, { onMissingIp: 'allow' }]) {
      expect(issues(options)).toEqual([
        { path: '', message: expect.stringContaining('nothing to filter') },
      ])
    }
  })

  it('rejects an empty allow list', () => {
    expect(issues({ allow: [], deny: ['10.0.0.1'] })).toEqual([
      { path: 'allow', message: expect.stringContaining('would refuse every client') },
    ])
  })

  it.each([
    ['onMissingIp', { deny: ['10.0.0.1'], onMissingIp: 'pass' }],
    ['status', { deny: ['10.0.0.1'], status: 401 }],
    ['allow', { allow: '10.0.0.0/8' }],
    ['allow[0]', { allow: [10] }],
  ])('rejects a bad %s', (path, options) => {
    expect(issues(options).map((i) => i.path)).toContain(path)
  })

  it('explains the status choice', () => {
    expect(issues({ deny: ['10.0.0.1'], status: 500 })[0]?.message).toMatch(
      /403 \(Forbidden\) or 404/,
    )
  })

  it('rejects a missing options object', () => {
    expect(issues(undefined).length).toBeGreaterThan(0)
  })
})
