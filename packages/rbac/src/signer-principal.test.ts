// The principal can come from @rampart/signer: a verified request signature's key metadata
// (`principal: { id, roles }`) becomes the request's principal, and policy.require() decides on
// its roles, as it would on a session user's. Roles attached to API keys work the same way.
import { type TestApp, testApp } from '@rampart/core/testing'
import { type SigningKey, signRequest, verifySignature } from '@rampart/signer'
import { describe, expect, it } from 'vitest'
import { definePolicy } from './policy.js'

const secret = (text: string) => new TextEncoder().encode(text.padEnd(32, '.'))

const keys = [
  {
    id: 'erp-sync',
    alg: 'hmac-sha256' as const,
    key: secret('erp-sync secret'),
    principal: { id: 'erp-sync', roles: ['importer'] },
  },
  {
    id: 'reporting',
    alg: 'hmac-sha256' as const,
    key: secret('reporting secret'),
    principal: { id: 'reporting', roles: ['reader'] },
  },
]

const policy = definePolicy({
  resources: { partner: { actions: ['read', 'import'] } },
  roles: {
    reader: { grants: ['partner:read'] },
    importer: { inherits: ['reader'], grants: ['partner:import'] },
  },
})

/** Headers of a POST signed with `keyId` at the test app's clock. */
async function signed(app: TestApp, keyId: string, path: string): Promise<Record<string, string>> {
  const key = keys.find((k) => k.id === keyId) as SigningKey & { id: string }
  const request = await signRequest(new Request(`http://test.local${path}`, { method: 'POST' }), {
    key: { id: key.id, alg: 'hmac-sha256', key: key.key },
    now: app.clock.now,
  })
  return Object.fromEntries(request.headers)
}

describe('principal from @rampart/signer', () => {
  it('decides on the verified key’s roles', async () => {
    const app = testApp([verifySignature({ keys }), policy.require('partner:import')])
    const allowed = await app.send({
      method: 'POST',
      path: '/partners/import',
      headers: await signed(app, 'erp-sync', '/partners/import'),
    })
    expect(allowed.status).toBe(200)
    const refused = await app.send({
      method: 'POST',
      path: '/partners/import',
      headers: await signed(app, 'reporting', '/partners/import'),
    })
    expect(refused.status).toBe(403)
    expect(app.eventsOf('rbac.denied')).toEqual([
      expect.objectContaining({ principal: 'reporting', reason: 'no_grant', status: 403 }),
    ])
  })

  it('answers 401 when no signature made a principal', async () => {
    const app = testApp([policy.require('partner:read')])
    const res = await app.send({ method: 'POST', path: '/partners/import' })
    expect(res.status).toBe(401)
    expect(res.body).toMatchObject({ type: 'urn:rampart:problem:unauthenticated' })
  })
})
