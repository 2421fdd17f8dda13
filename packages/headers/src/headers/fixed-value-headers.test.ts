import type { ConfigIssue } from '@rampart/core'
import { describe, expect, it } from 'vitest'
import type { HeaderCompiler } from '../header-plan.js'
import { compileOriginAgentCluster } from './origin-agent-cluster.js'
import { compileXContentTypeOptions } from './x-content-type-options.js'
import { compileXDownloadOptions } from './x-download-options.js'
import { compileXPoweredBy } from './x-powered-by.js'
import { compileXXssProtection } from './x-xss-protection.js'

describe.each<[string, HeaderCompiler, string]>([
  ['Origin-Agent-Cluster', compileOriginAgentCluster, '?1'],
  ['X-Content-Type-Options', compileXContentTypeOptions, 'nosniff'],
  ['X-Download-Options', compileXDownloadOptions, 'noopen'],
  ['X-XSS-Protection', compileXXssProtection, '0'],
])('%s', (name, compile, value) => {
  it.each<[string, unknown, boolean]>([
    ['undefined (on by default)', undefined, true],
    ['true', true, true],
    ['{}', {}, true],
    ['false', false, false],
  ])('%s', (_, option, on) => {
    const issues: ConfigIssue[] = []
    expect(compile(option, 'opt', issues)).toEqual(on ? [{ name, value }] : [])
    expect(issues).toEqual([])
  })

  it.each<[string, unknown, string, string]>([
    [
      'any key',
      { foo: 1 },
      'opt.foo',
      `unknown option: ${name} takes no options; use true or false`,
    ],
    ['null', null, 'opt', 'must be true or false, received null'],
    ['a string', 'on', 'opt', "must be true or false, received 'on'"],
    ['a number', 1, 'opt', 'received 1'],
  ])('reports %s', (_, option, path, message) => {
    const issues: ConfigIssue[] = []
    expect(compile(option, 'opt', issues)).toEqual([])
    expect(issues).toEqual([{ path, message: expect.stringContaining(message) }])
  })
})

describe('xPoweredBy (a removal)', () => {
  it.each<[unknown, readonly string[]]>([
    [undefined, ['X-Powered-By']],
    [true, ['X-Powered-By']],
    [{}, ['X-Powered-By']],
    [false, []],
  ])('%o → %o', (option, expected) => {
    const issues: ConfigIssue[] = []
    expect(compileXPoweredBy(option, 'xPoweredBy', issues)).toEqual(expected)
    expect(issues).toEqual([])
  })

  it.each<[unknown, string, string]>([
    [{ setTo: 'PHP 4.2.0' }, 'hidePoweredBy.setTo', 'helmet 4 dropped `setTo`'],
    [{ foo: 1 }, 'hidePoweredBy.foo', 'X-Powered-By takes no options'],
    ['yes', 'hidePoweredBy', "must be true or false, received 'yes'"],
  ])('reports %o', (option, path, fragment) => {
    const issues: ConfigIssue[] = []
    expect(compileXPoweredBy(option, 'hidePoweredBy', issues)).toEqual([])
    expect(issues).toEqual([{ path, message: expect.stringContaining(fragment) }])
  })
})
