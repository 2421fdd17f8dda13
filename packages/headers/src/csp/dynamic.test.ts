import type { ConfigIssue, SecurityContext } from '@rampart/core'
import { describe, expect, it } from 'vitest'
import type { CspPlan } from '../header-plan.js'
import { type CspSettings, compileCsp } from './index.js'

const settings: CspSettings = { nonce: false, upgradeInsecureRequests: 'always' }

function compile(option: unknown, s: CspSettings = settings): CspPlan {
  const issues: ConfigIssue[] = []
  const plan = compileCsp(option, 'contentSecurityPolicy', s, issues)
  expect(issues).toEqual([])
  if (plan === undefined) throw new Error('no plan')
  return plan
}

function fakeContext(host: string): SecurityContext {
  return { url: new URL(`https://${host}/`) } as SecurityContext
}

describe('function directive values', () => {
  it('are called with the request context on every render', () => {
    let calls = 0
    const plan = compile({
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        connectSrc: [
          "'self'",
          (ctx: SecurityContext) => {
            calls++
            return `wss://${ctx.url.host}`
          },
        ],
      },
    })
    expect(plan.dynamic).toBe(true)
    expect(plan.usesNonce).toBe(false)
    const a = plan.render({ nonce: undefined, https: true, ctx: fakeContext('a.example.com') })
    const b = plan.render({ nonce: undefined, https: true, ctx: fakeContext('b.example.com') })
    expect(a).toBe("default-src 'self';connect-src 'self' wss://a.example.com")
    expect(b).toBe("default-src 'self';connect-src 'self' wss://b.example.com")
    expect(calls).toBe(2)
  })

  it('combine with nonces and https-only variants', () => {
    const plan = compile(
      { directives: { scriptSrc: ["'self'", () => 'https://cdn.example.com'] } },
      { nonce: true, upgradeInsecureRequests: 'https-only' },
    )
    const ctx = fakeContext('x')
    expect(plan.dynamic).toBe(true)
    expect(plan.usesNonce).toBe(true)
    const https = plan.render({ nonce: 'N', https: true, ctx })
    const http = plan.render({ nonce: 'N', https: false, ctx })
    expect(https).toContain("script-src 'self' https://cdn.example.com 'nonce-N';")
    expect(https.endsWith('upgrade-insecure-requests')).toBe(true)
    expect(http).not.toContain('upgrade-insecure-requests')
    expect(() => plan.render({ nonce: undefined, https: true, ctx })).toThrow(/without one/)
  })

  it('are copied with default-src into created script-src/style-src', () => {
    const plan = compile(
      { useDefaults: false, directives: { defaultSrc: [() => "'self'"] } },
      { ...settings, nonce: true },
    )
    expect(plan.render({ nonce: 'N', https: true, ctx: fakeContext('x') })).toBe(
      "default-src 'self';script-src 'self' 'nonce-N';style-src 'self' 'nonce-N'",
    )
  })

  it.each<[string, () => unknown, RegExp]>([
    [
      'a semicolon',
      () => "'self'; script-src *",
      /returned "'self'; script-src \*", which contains ";"/,
    ],
    ['a comma', () => 'a.example.com, b.example.com', /contains ","/],
    ['CR LF', () => "'self'\r\nSet-Cookie: a=b", /line break \(CR or LF\)/],
    ['LF', () => "'self'\nx", /line break/],
    ['non-ASCII', () => 'https://bücher.example', /control or non-ASCII character/],
    ['NUL', () => '\u0000', /control or non-ASCII/],
    ['an unquoted keyword', () => 'self', /without its single quotes \(write "'self'"\)/],
    ['an unquoted nonce', () => 'nonce-abc', /without its single quotes/],
    ['a number', () => 42, /returned number, expected a string/],
    ['undefined', () => undefined, /returned undefined, expected a string/],
  ])('make render throw for %s, naming the directive and option path', (_label, fn, message) => {
    const plan = compile({ directives: { scriptSrc: ["'self'", fn as () => string] } })
    const run = () => plan.render({ nonce: undefined, https: true, ctx: fakeContext('x') })
    expect(run).toThrow(message)
    expect(run).toThrow(
      /^Content-Security-Policy: the script-src function at contentSecurityPolicy\.directives\.scriptSrc /,
    )
  })

  it('make render throw with the cause when the function throws', () => {
    const boom = new Error('boom')
    const plan = compile({
      directives: {
        imgSrc: [
          () => {
            throw boom
          },
        ],
      },
    })
    let caught: unknown
    try {
      plan.render({ nonce: undefined, https: true, ctx: fakeContext('x') })
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(Error)
    expect((caught as Error).message).toBe(
      'Content-Security-Policy: the img-src function at contentSecurityPolicy.directives.imgSrc threw: Error: boom',
    )
    expect((caught as Error).cause).toBe(boom)
  })

  it('shorten a long returned value in the message', () => {
    const plan = compile({ directives: { imgSrc: [() => `${'a'.repeat(500)};`] } })
    expect(() => plan.render({ nonce: undefined, https: true, ctx: fakeContext('x') })).toThrow(
      /a{80}…"/,
    )
  })
})
