import type { ConfigIssue } from '@rampart/core'
import { describe, expect, it } from 'vitest'
import { compileReportingEndpoints } from './reporting-endpoints.js'

function run(value: unknown) {
  const issues: ConfigIssue[] = []
  const headers = compileReportingEndpoints(value, 'reportingEndpoints', issues)
  return { headers, issues }
}

describe('compileReportingEndpoints', () => {
  it.each<[string, unknown, string | undefined]>([
    ['undefined', undefined, undefined],
    ['false', false, undefined],
    [
      'two groups, in order',
      { 'csp-endpoint': 'https://r.example/csp', default: 'https://r.example/all' },
      'csp-endpoint="https://r.example/csp", default="https://r.example/all"',
    ],
    ['URL sent as written', { main: 'https://R.example' }, 'main="https://R.example"'],
    [
      'a query and a port',
      { main: 'https://r.example:8443/r?app=web&v=2' },
      'main="https://r.example:8443/r?app=web&v=2"',
    ],
    ['key characters', { 'a_b-c.d*': 'https://r.example' }, 'a_b-c.d*="https://r.example"'],
    [
      'localhost over http',
      { dev: 'http://localhost:3000/reports' },
      'dev="http://localhost:3000/reports"',
    ],
    [
      'a .localhost name over http',
      { dev: 'http://app.localhost/r' },
      'dev="http://app.localhost/r"',
    ],
    ['127.0.0.1 over http', { dev: 'http://127.0.0.1:8080/r' }, 'dev="http://127.0.0.1:8080/r"'],
    ['[::1] over http', { dev: 'http://[::1]:8080/r' }, 'dev="http://[::1]:8080/r"'],
  ])('%s', (_, value, expected) => {
    const { headers, issues } = run(value)
    expect(issues).toEqual([])
    expect(headers).toEqual(
      expected === undefined ? [] : [{ name: 'Reporting-Endpoints', value: expected }],
    )
  })

  it.each<[string, unknown, readonly [string, string][]]>([
    ['true', true, [['reportingEndpoints', 'must be an object of endpoint name → https URL']]],
    ['null', null, [['reportingEndpoints', 'received null']]],
    ['an array', [['a', 'https://r.example']], [['reportingEndpoints', 'received an array']]],
    ['no endpoints', {}, [['reportingEndpoints', 'lists no endpoints']]],
    [
      'an upper-case name',
      { cspEndpoint: 'https://r.example' },
      [['reportingEndpoints.cspEndpoint', "invalid endpoint name 'cspEndpoint'"]],
    ],
    [
      'an upper-case name, with the fix',
      { CSP: 'https://r.example' },
      [['reportingEndpoints.CSP', "use 'csp'"]],
    ],
    [
      'a name starting with a digit',
      { '1st': 'https://r.example' },
      [['reportingEndpoints.1st', 'starting with a letter']],
    ],
    [
      'an empty name',
      { '': 'https://r.example' },
      [['reportingEndpoints.', "invalid endpoint name ''"]],
    ],
    [
      'a space in a name',
      { 'a b': 'https://r.example' },
      [['reportingEndpoints.a b', 'invalid endpoint name']],
    ],
    [
      'http to a public host',
      { main: 'http://r.example/csp' },
      [['reportingEndpoints.main', 'must use https']],
    ],
    [
      'a look-alike loopback name',
      { main: 'http://127.example.com.evil/r' },
      [['reportingEndpoints.main', 'must use https']],
    ],
    [
      'another scheme',
      { main: 'ftp://r.example' },
      [['reportingEndpoints.main', 'must use https']],
    ],
    [
      'a relative URL',
      { main: '/reports' },
      [
        [
          'reportingEndpoints.main',
          "must be an absolute https URL such as 'https://reports.example/csp', received '/reports'",
        ],
      ],
    ],
    [
      'credentials',
      { main: 'https://u:p@r.example' },
      [['reportingEndpoints.main', 'must not contain credentials']],
    ],
    [
      'a quote',
      { main: 'https://r.example/"x' },
      [['reportingEndpoints.main', 'without spaces, quotes or backslashes']],
    ],
    ['a backslash', { main: 'https://r.example\\x' }, [['reportingEndpoints.main', 'backslashes']]],
    [
      'a line break',
      { main: 'https://r.example/\r\nSet-Cookie: a=b' },
      [['reportingEndpoints.main', 'visible ASCII']],
    ],
    [
      'non-ASCII',
      { main: 'https://bücher.example' },
      [['reportingEndpoints.main', 'visible ASCII']],
    ],
    [
      'a number',
      { main: 443 },
      [['reportingEndpoints.main', 'must be an https URL string, received 443']],
    ],
    [
      'a name and a URL problem together',
      { Main: 'http://r.example' },
      [
        ['reportingEndpoints.Main', 'invalid endpoint name'],
        ['reportingEndpoints.Main', 'must use https'],
      ],
    ],
  ])('reports %s', (_, value, expected) => {
    const { headers, issues } = run(value)
    expect(headers).toEqual([])
    expect(issues).toEqual(
      expected.map(([path, fragment]) => ({ path, message: expect.stringContaining(fragment) })),
    )
  })
})
