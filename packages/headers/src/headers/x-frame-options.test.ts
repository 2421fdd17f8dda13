import type { ConfigIssue } from '@rampart/core'
import { describe, expect, it } from 'vitest'
import { compileXFrameOptions } from './x-frame-options.js'

function run(value: unknown) {
  const issues: ConfigIssue[] = []
  const headers = compileXFrameOptions(value, 'frameguard', issues)
  return { headers, issues }
}

describe('compileXFrameOptions', () => {
  it.each<[string, unknown, string | undefined]>([
    ['undefined', undefined, 'SAMEORIGIN'],
    ['true', true, 'SAMEORIGIN'],
    ['{}', {}, 'SAMEORIGIN'],
    ['false', false, undefined],
    ['deny', { action: 'deny' }, 'DENY'],
    ['DENY', { action: 'DENY' }, 'DENY'],
    ['Deny', { action: 'Deny' }, 'DENY'],
    ['sameorigin', { action: 'sameorigin' }, 'SAMEORIGIN'],
    ['same-origin (helmet reads it as sameorigin)', { action: 'same-origin' }, 'SAMEORIGIN'],
    ['SAME-ORIGIN', { action: 'SAME-ORIGIN' }, 'SAMEORIGIN'],
  ])('%s', (_, value, expected) => {
    const { headers, issues } = run(value)
    expect(issues).toEqual([])
    expect(headers).toEqual(
      expected === undefined ? [] : [{ name: 'X-Frame-Options', value: expected }],
    )
  })

  it.each<[string, unknown, string, string]>([
    [
      'an unknown action',
      { action: 'nope' },
      'frameguard.action',
      "must be 'deny' or 'sameorigin' (any case), received 'nope'",
    ],
    ['a typo', { action: 'sameorigni' }, 'frameguard.action', "Did you mean 'sameorigin'?"],
    [
      'ALLOW-FROM',
      { action: 'ALLOW-FROM https://a.example' },
      'frameguard.action',
      'with the Content-Security-Policy directive frame-ancestors',
    ],
    [
      'allow-from',
      { action: 'allow-from' },
      'frameguard.action',
      'ALLOW-FROM was dropped in helmet 4',
    ],
    [
      'the old domain option',
      { action: 'deny', domain: 'https://a.example' },
      'frameguard.domain',
      'frame-ancestors',
    ],
    ['an empty action', { action: '' }, 'frameguard.action', "received ''"],
    ['a number', { action: 1 }, 'frameguard.action', 'received 1'],
    ['null', { action: null }, 'frameguard.action', 'received null'],
    ['a bare action', 'deny', 'frameguard', "Did you mean { action: 'deny' }?"],
    ['an unknown key', { acton: 'deny' }, 'frameguard.acton', "Did you mean 'action'?"],
  ])('reports %s', (_, value, path, fragment) => {
    const { headers, issues } = run(value)
    expect(headers).toEqual([])
    expect(issues).toEqual([{ path, message: expect.stringContaining(fragment) }])
  })
})
