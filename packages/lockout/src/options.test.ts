import { memoryStore, RampartConfigError, type RampartStore } from '@rampart/core'
import { describe, expect, it } from 'vitest'
import { lockout } from './lockout.js'
import { LOCKOUT_CONFIG_CODE, type LockoutOptions } from './options.js'

const identify = () => 'alice'

function issuesOf(options: unknown): { path: string; message: string }[] {
  try {
    lockout(options as LockoutOptions)
  } catch (error) {
    expect(error).toBeInstanceOf(RampartConfigError)
    expect((error as RampartConfigError).code).toBe(LOCKOUT_CONFIG_CODE)
    return [...(error as RampartConfigError).issues]
  }
  throw new Error('expected a config error')
}

describe('lockout options', () => {
  it('takes identify as a function, when given', () => {
    expect(issuesOf({ identify: 'username' })).toEqual([
      { path: 'identify', message: expect.stringMatching(/expected a function/) },
    ])
  })

  it('takes 3xx and 4xx failure statuses, 2xx and 3xx success statuses, never both', () => {
    expect(() => lockout({ failureStatuses: [401, 303], successStatuses: [302] })).not.toThrow()
    expect(issuesOf({ failureStatuses: [200] })[0]?.path).toBe('failureStatuses[0]')
    expect(issuesOf({ successStatuses: [401] })[0]?.path).toBe('successStatuses[0]')
    expect(issuesOf({ failureStatuses: [302], successStatuses: [302] })).toEqual([
      { path: 'successStatuses', message: expect.stringMatching(/302 is also in failureStatuses/) },
    ])
  })

  it('refuses an account ceiling above the NIST 100', () => {
    expect(issuesOf({ identify, account: { failures: 101 } })).toEqual([
      { path: 'account.failures', message: expect.stringMatching(/1 to 100.*NIST/) },
    ])
  })

  it('names every bad option at once, with did-you-mean for typos', () => {
    const issues = issuesOf({
      identify,
      pair: { failures: 0, lockFor: 'soon' },
      ip: { within: -1 },
      onStoreFailure: 'closd',
      failureStatuses: [500],
      prefx: 'x',
    })
    expect(issues.map((i) => i.path).sort()).toEqual([
      'failureStatuses[0]',
      'ip.within',
      'onStoreFailure',
      'pair.failures',
      'pair.lockFor',
      'prefx',
    ])
    expect(issues.find((i) => i.path === 'onStoreFailure')?.message).toMatch(
      /Did you mean 'closed'/,
    )
    expect(issues.find((i) => i.path === 'prefx')?.message).toMatch(/prefix/)
    expect(issues.find((i) => i.path === 'failureStatuses[0]')?.message).toMatch(
      /5xx responses refund/,
    )
  })

  it('refuses a configuration that counts nothing', () => {
    expect(issuesOf({ identify, pair: false, ip: false, account: false })).toEqual([
      { path: '', message: expect.stringMatching(/nothing would be counted/) },
    ])
  })

  it('refuses maxima shorter than their start', () => {
    const issues = issuesOf({
      identify,
      pair: { lockFor: '1h', escalate: { max: '10m' } },
      account: { delay: '10s', maxDelay: '1s' },
    })
    expect(issues.map((i) => i.path)).toEqual(['pair.escalate.max', 'account.maxDelay'])
  })

  it('requires a secret with a shared store, and a long one', () => {
    // A store that says it is shared (as a Redis store does); it is never called here.
    const shared: RampartStore = Object.assign(Object.create(memoryStore()), {
      name: 'redis',
      kind: 'redis',
      shared: true,
    })
    expect(issuesOf({ identify, store: shared })).toEqual([
      {
        path: 'secret',
        message: expect.stringMatching(/required with a shared store \('redis'\)/),
      },
    ])
    expect(issuesOf({ identify, secret: 'short' })[0]?.path).toBe('secret')
  })

  it('refuses a prefix with a hash tag of its own', () => {
    expect(issuesOf({ identify, prefix: 'app:{x}:' })[0]).toMatchObject({ path: 'prefix' })
  })

  it('accepts the defaults and durations in any Rampart form', () => {
    expect(() => lockout({ identify })).not.toThrow()
    expect(() =>
      lockout({
        identify,
        pair: { failures: 5, within: 900_000, lockFor: '15m', escalate: true },
        account: { delay: '500ms', maxDelay: '2h', within: '7d', lockFor: '1d' },
      }),
    ).not.toThrow()
  })
})
