import type { ConfigIssue } from '@rampart/core'
import { describe, expect, it } from 'vitest'
import { HELMET_HEADERS } from './helmet-headers.js'
import * as headers from './index.js'

describe('HELMET_HEADERS', () => {
  it('maps each option to helmet 8.3’s legacy alias', () => {
    expect(Object.fromEntries(HELMET_HEADERS.map((e) => [e.option, e.aliases]))).toEqual({
      crossOriginEmbedderPolicy: [],
      crossOriginOpenerPolicy: [],
      crossOriginResourcePolicy: [],
      originAgentCluster: [],
      referrerPolicy: [],
      strictTransportSecurity: ['hsts'],
      xContentTypeOptions: ['noSniff'],
      xDnsPrefetchControl: ['dnsPrefetchControl'],
      xDownloadOptions: ['ieNoOpen'],
      xFrameOptions: ['frameguard'],
      xPermittedCrossDomainPolicies: ['permittedCrossDomainPolicies'],
      xPoweredBy: ['hidePoweredBy'],
      xXssProtection: ['xssFilter'],
    })
  })

  it('has defaultOn agree with what compile(undefined) does', () => {
    for (const entry of HELMET_HEADERS) {
      const issues: ConfigIssue[] = []
      const out = entry.compile(undefined, entry.option, issues)
      expect(issues).toEqual([])
      expect(out.length > 0, entry.option).toBe(entry.defaultOn)
    }
    expect(HELMET_HEADERS.filter((e) => !e.defaultOn).map((e) => e.option)).toEqual([
      'crossOriginEmbedderPolicy',
    ])
    expect(HELMET_HEADERS.filter((e) => e.kind === 'remove').map((e) => e.option)).toEqual([
      'xPoweredBy',
    ])
  })

  it('is frozen, rows and aliases too', () => {
    expect(Object.isFrozen(HELMET_HEADERS)).toBe(true)
    for (const entry of HELMET_HEADERS) {
      expect(Object.isFrozen(entry)).toBe(true)
      expect(Object.isFrozen(entry.aliases)).toBe(true)
    }
  })

  it('turns every option off with false', () => {
    for (const entry of HELMET_HEADERS) {
      const issues: ConfigIssue[] = []
      expect(entry.compile(false, entry.option, issues)).toEqual([])
      expect(issues).toEqual([])
    }
  })

  it('exports every compiler from the barrel', () => {
    for (const entry of HELMET_HEADERS) expect(Object.values(headers)).toContain(entry.compile)
    for (const name of [
      'compilePermissionsPolicy',
      'compileReportingEndpoints',
      'compileClearSiteData',
      'compileCacheControl',
      'compileRemovals',
      'OWASP_REMOVE_HEADERS',
      'PERMISSIONS_FEATURES',
    ]) {
      expect(headers).toHaveProperty(name)
    }
  })
})
