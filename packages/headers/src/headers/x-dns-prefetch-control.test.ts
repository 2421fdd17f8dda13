import type { ConfigIssue } from '@rampart/core'
import { describe, expect, it } from 'vitest'
import { compileXDnsPrefetchControl } from './x-dns-prefetch-control.js'
import { compileXPermittedCrossDomainPolicies } from './x-permitted-cross-domain-policies.js'

describe('compileXDnsPrefetchControl', () => {
  it.each<[unknown, string | undefined]>([
    [undefined, 'off'],
    [true, 'off'],
    [{}, 'off'],
    [{ allow: false }, 'off'],
    [{ allow: true }, 'on'],
    [false, undefined],
  ])('%o → %s', (value, expected) => {
    const issues: ConfigIssue[] = []
    const headers = compileXDnsPrefetchControl(value, 'xDnsPrefetchControl', issues)
    expect(issues).toEqual([])
    expect(headers).toEqual(
      expected === undefined ? [] : [{ name: 'X-DNS-Prefetch-Control', value: expected }],
    )
  })

  it.each<[unknown, string, string]>([
    [{ allow: 'false' }, 'xDnsPrefetchControl.allow', "must be true or false, received 'false'"],
    [{ allow: 1 }, 'xDnsPrefetchControl.allow', 'received 1'],
    [{ alow: true }, 'xDnsPrefetchControl.alow', "Did you mean 'allow'?"],
    ['on', 'xDnsPrefetchControl', 'must be true, false or an options object { allow }'],
    [null, 'xDnsPrefetchControl', 'received null'],
  ])('reports %o', (value, path, fragment) => {
    const issues: ConfigIssue[] = []
    expect(compileXDnsPrefetchControl(value, 'xDnsPrefetchControl', issues)).toEqual([])
    expect(issues).toEqual([{ path, message: expect.stringContaining(fragment) }])
  })
})

describe('compileXPermittedCrossDomainPolicies', () => {
  it.each<[unknown, string | undefined]>([
    [undefined, 'none'],
    [true, 'none'],
    [{}, 'none'],
    [false, undefined],
    [{ permittedPolicies: 'none' }, 'none'],
    [{ permittedPolicies: 'master-only' }, 'master-only'],
    [{ permittedPolicies: 'by-content-type' }, 'by-content-type'],
    [{ permittedPolicies: 'all' }, 'all'],
  ])('%o → %s', (value, expected) => {
    const issues: ConfigIssue[] = []
    const headers = compileXPermittedCrossDomainPolicies(value, 'p', issues)
    expect(issues).toEqual([])
    expect(headers).toEqual(
      expected === undefined
        ? []
        : [{ name: 'X-Permitted-Cross-Domain-Policies', value: expected }],
    )
  })

  it.each<[unknown, string, string]>([
    [
      { permittedPolicies: 'nope' },
      'p.permittedPolicies',
      "must be an X-Permitted-Cross-Domain-Policies value: 'none', 'master-only', 'by-content-type' or 'all', received 'nope'",
    ],
    [{ permittedPolicies: 'NONE' }, 'p.permittedPolicies', "Did you mean 'none'?"],
    [{ permittedPolicies: 'master_only' }, 'p.permittedPolicies', "Did you mean 'master-only'?"],
    [{ permittedPolicies: null }, 'p.permittedPolicies', 'received null'],
    [{ policy: 'none' }, 'p.policy', 'Known options: permittedPolicies'],
    ['none', 'p', "Did you mean { permittedPolicies: 'none' }?"],
  ])('reports %o', (value, path, fragment) => {
    const issues: ConfigIssue[] = []
    expect(compileXPermittedCrossDomainPolicies(value, 'p', issues)).toEqual([])
    expect(issues).toEqual([{ path, message: expect.stringContaining(fragment) }])
  })
})
