import type { ConfigIssue } from '@rampart/core'
import { describe, expect, it } from 'vitest'
import type { HeaderCompiler } from '../header-plan.js'
import { compileCrossOriginEmbedderPolicy } from './cross-origin-embedder-policy.js'
import { compileCrossOriginOpenerPolicy } from './cross-origin-opener-policy.js'
import { compileCrossOriginResourcePolicy } from './cross-origin-resource-policy.js'

function run(compile: HeaderCompiler, value: unknown) {
  const issues: ConfigIssue[] = []
  const headers = compile(value, 'opt', issues)
  return { headers, issues }
}

describe.each<[string, HeaderCompiler, string, string | undefined, string]>([
  [
    'Cross-Origin-Embedder-Policy',
    compileCrossOriginEmbedderPolicy,
    'require-corp',
    undefined,
    'credentialless',
  ],
  [
    'Cross-Origin-Opener-Policy',
    compileCrossOriginOpenerPolicy,
    'same-origin',
    'same-origin',
    'same-origin-allow-popups',
  ],
  [
    'Cross-Origin-Resource-Policy',
    compileCrossOriginResourcePolicy,
    'same-origin',
    'same-origin',
    'cross-origin',
  ],
])('%s', (name, compile, onValue, defaultValue, other) => {
  it.each<[string, unknown, string | undefined]>([
    ['undefined (helmet default)', undefined, defaultValue],
    ['true', true, onValue],
    ['false', false, undefined],
    ['{}', {}, onValue],
    ['{ policy: undefined }', { policy: undefined }, onValue],
    [`{ policy: '${other}' }`, { policy: other }, other],
  ])('%s', (_, value, expected) => {
    const { headers, issues } = run(compile, value)
    expect(issues).toEqual([])
    expect(headers).toEqual(expected === undefined ? [] : [{ name, value: expected }])
  })

  it.each<[string, unknown, string, string]>([
    ['unknown policy', { policy: 'nope' }, 'opt.policy', `must be a ${name} policy: '`],
    [
      'wrong case, with a hint',
      { policy: onValue.toUpperCase() },
      'opt.policy',
      `Did you mean '${onValue}'?`,
    ],
    ['typo, with a hint', { policy: `${onValue}x` }, 'opt.policy', `Did you mean '${onValue}'?`],
    ['non-string policy', { policy: 1 }, 'opt.policy', 'received 1'],
    ['null policy', { policy: null }, 'opt.policy', 'received null'],
    ['unknown key', { polcy: onValue }, 'opt.polcy', "unknown option. Did you mean 'policy'?"],
    ['null', null, 'opt', 'must be true, false or an options object { policy }, received null'],
    ['a bare policy string', onValue, 'opt', `Did you mean { policy: '${onValue}' }?`],
    ['an array', [onValue], 'opt', 'received an array'],
  ])('reports %s', (_, value, path, fragment) => {
    const { headers, issues } = run(compile, value)
    expect(headers).toEqual([])
    expect(issues).toEqual([{ path, message: expect.stringContaining(fragment) }])
  })

  it('reports an unknown key alongside a valid policy, and sends nothing', () => {
    const { headers, issues } = run(compile, { policy: other, extra: 1 })
    expect(headers).toEqual([])
    expect(issues).toEqual([
      { path: 'opt.extra', message: expect.stringContaining('Known options: policy') },
    ])
  })
})

it('leaves issues other options reported earlier alone', () => {
  const issues: ConfigIssue[] = [{ path: 'earlier', message: 'x' }]
  expect(compileCrossOriginOpenerPolicy(undefined, 'opt', issues)).toEqual([
    { name: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  ])
  expect(issues).toHaveLength(1)
})
