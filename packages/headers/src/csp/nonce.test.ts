import type { ConfigIssue, SecurityContext } from '@rampart/core'
import { describe, expect, it } from 'vitest'
import type { CspPlan } from '../header-plan.js'
import { type CspSettings, compileCsp, dangerouslyDisableDefaultSrc } from './index.js'

const ctx = {} as SecurityContext
const withNonce: CspSettings = { nonce: true, upgradeInsecureRequests: 'always' }
const NONCE = 'rAnd0m+N0nce/Base64=='
const SOURCE = `'nonce-${NONCE}'`

function compile(option: unknown, settings: CspSettings = withNonce): CspPlan {
  const issues: ConfigIssue[] = []
  const plan = compileCsp(option, 'contentSecurityPolicy', settings, issues)
  expect(issues).toEqual([])
  if (plan === undefined) throw new Error('no plan')
  return plan
}

function render(option: unknown, settings?: CspSettings, https = true): string {
  return compile(option, settings).render({ nonce: NONCE, https, ctx })
}

/** The policy as a map of directive → value, for readable assertions. */
function directives(value: string): Map<string, string> {
  return new Map(
    value.split(';').map((d) => {
      const space = d.indexOf(' ')
      return space === -1 ? [d, ''] : [d.slice(0, space), d.slice(space + 1)]
    }),
  )
}

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1
}

describe('nonce splicing', () => {
  it('lands in script-src and style-src of the default policy, exactly once each', () => {
    const value = render(undefined)
    expect(value).toBe(
      `default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self' ${SOURCE};script-src-attr 'none';style-src 'self' https: 'unsafe-inline' ${SOURCE};upgrade-insecure-requests`,
    )
    expect(count(value, SOURCE)).toBe(2)
    const parsed = directives(value)
    expect(count(parsed.get('script-src') ?? '', 'nonce-')).toBe(1)
    expect(count(parsed.get('style-src') ?? '', 'nonce-')).toBe(1)
  })

  it('reports usesNonce and stays non-dynamic', () => {
    const plan = compile(undefined)
    expect(plan.usesNonce).toBe(true)
    expect(plan.dynamic).toBe(false)
    expect(compile(undefined, { ...withNonce, nonce: false }).usesNonce).toBe(false)
  })

  it('puts a fresh nonce in every render', () => {
    const plan = compile(undefined)
    const a = plan.render({ nonce: 'AAAA', https: true, ctx })
    const b = plan.render({ nonce: 'BBBB', https: true, ctx })
    expect(a.replaceAll('AAAA', 'BBBB')).toBe(b)
    expect(count(a, "'nonce-AAAA'")).toBe(2)
  })

  it('creates script-src and style-src from default-src when absent, copying its sources', () => {
    const value = render({
      useDefaults: false,
      directives: { defaultSrc: ["'self'", 'https://cdn.example.com'], imgSrc: ['data:'] },
    })
    expect(value).toBe(
      `default-src 'self' https://cdn.example.com;img-src data:;script-src 'self' https://cdn.example.com ${SOURCE};style-src 'self' https://cdn.example.com ${SOURCE}`,
    )
  })

  it('creates only the missing one', () => {
    const value = render({ directives: { styleSrc: null } })
    const parsed = directives(value)
    expect(parsed.get('script-src')).toBe(`'self' ${SOURCE}`)
    expect(parsed.get('style-src')).toBe(`'self' ${SOURCE}`)
    expect(count(value, SOURCE)).toBe(2)
  })

  it("replaces a lone 'none' rather than joining it", () => {
    expect(render({ useDefaults: false, directives: { defaultSrc: ["'none'"] } })).toBe(
      `default-src 'none';script-src ${SOURCE};style-src ${SOURCE}`,
    )
    expect(directives(render({ directives: { scriptSrc: ["'none'"] } })).get('script-src')).toBe(
      SOURCE,
    )
  })

  it('gives an empty source list the nonce alone', () => {
    expect(directives(render({ directives: { scriptSrc: [] } })).get('script-src')).toBe(SOURCE)
  })

  it("preserves 'strict-dynamic' and the CSP2 fallbacks", () => {
    const value = render({
      directives: { scriptSrc: ["'strict-dynamic'", "'unsafe-inline'", 'https:'] },
    })
    expect(directives(value).get('script-src')).toBe(
      `'strict-dynamic' 'unsafe-inline' https: ${SOURCE}`,
    )
  })

  it('also goes into -elem variants (they take precedence for elements), never into -attr', () => {
    const value = render({
      directives: {
        scriptSrcElem: ["'self'"],
        styleSrcElem: ["'self'"],
        styleSrcAttr: ["'unsafe-inline'"],
      },
    })
    const parsed = directives(value)
    expect(parsed.get('script-src-elem')).toBe(`'self' ${SOURCE}`)
    expect(parsed.get('style-src-elem')).toBe(`'self' ${SOURCE}`)
    expect(parsed.get('script-src')).toBe(`'self' ${SOURCE}`)
    expect(parsed.get('style-src')).toBe(`'self' https: 'unsafe-inline' ${SOURCE}`)
    expect(parsed.get('script-src-attr')).toBe("'none'")
    expect(parsed.get('style-src-attr')).toBe("'unsafe-inline'")
    expect(count(value, SOURCE)).toBe(4)
  })

  it('creates nothing without default-src: unrestricted scripts stay unrestricted', () => {
    const plan = compile({
      useDefaults: false,
      directives: { defaultSrc: dangerouslyDisableDefaultSrc, frameAncestors: ["'none'"] },
    })
    expect(plan.usesNonce).toBe(false)
    expect(plan.render({ nonce: NONCE, https: true, ctx })).toBe("frame-ancestors 'none'")
  })

  it('goes only where script-src or style-src exist when default-src is disabled', () => {
    const value = render({
      directives: { defaultSrc: dangerouslyDisableDefaultSrc, styleSrc: null },
    })
    expect(directives(value).has('style-src')).toBe(false)
    expect(directives(value).get('script-src')).toBe(`'self' ${SOURCE}`)
  })

  it('follows the option object over the setting, both ways', () => {
    expect(compile({ nonce: false }).usesNonce).toBe(false)
    expect(compile({ nonce: true }, { ...withNonce, nonce: false }).usesNonce).toBe(true)
  })

  it('throws when render gets no nonce for a plan that needs one', () => {
    const plan = compile(undefined)
    expect(() => plan.render({ nonce: undefined, https: true, ctx })).toThrow(/without one/)
  })

  it('works in a report-only policy compiled alongside', () => {
    const issues: ConfigIssue[] = []
    const plan = compileCsp(
      { directives: { scriptSrc: ["'strict-dynamic'"] } },
      'contentSecurityPolicyReportOnly',
      withNonce,
      issues,
      true,
    )
    expect(issues).toEqual([])
    expect(plan?.name).toBe('Content-Security-Policy-Report-Only')
    expect(
      directives(plan?.render({ nonce: NONCE, https: true, ctx }) ?? '').get('script-src'),
    ).toBe(`'strict-dynamic' ${SOURCE}`)
  })
})

describe('nonce with https-only upgrade-insecure-requests', () => {
  const httpsOnly: CspSettings = { nonce: true, upgradeInsecureRequests: 'https-only' }

  it('precomputes an HTTPS and an HTTP variant, each with the nonce', () => {
    const plan = compile(undefined, httpsOnly)
    const https = plan.render({ nonce: NONCE, https: true, ctx })
    const http = plan.render({ nonce: NONCE, https: false, ctx })
    expect(https).toBe(`${http};upgrade-insecure-requests`)
    expect(count(http, SOURCE)).toBe(2)
    expect(count(https, SOURCE)).toBe(2)
    expect(plan.dynamic).toBe(false)
  })

  it('keeps the nonce in a directive created after upgrade-insecure-requests', () => {
    const plan = compile(
      { useDefaults: false, directives: { defaultSrc: ["'self'"], upgradeInsecureRequests: [] } },
      httpsOnly,
    )
    expect(plan.render({ nonce: NONCE, https: true, ctx })).toBe(
      `default-src 'self';upgrade-insecure-requests;script-src 'self' ${SOURCE};style-src 'self' ${SOURCE}`,
    )
    expect(plan.render({ nonce: NONCE, https: false, ctx })).toBe(
      `default-src 'self';script-src 'self' ${SOURCE};style-src 'self' ${SOURCE}`,
    )
  })
})
