/**
 * Server-to-server API clients: each signs its requests (RFC 9421, HMAC-SHA256) with its own
 * key, and each key carries the roles its client acts with. The secrets default to fixed demo
 * values so that `pnpm demo:client` works out of the box; `DEMO_CLIENT_SECRET_REPORTING` and
 * `DEMO_CLIENT_SECRET_CRM` replace them. A production API would give each partner an Ed25519
 * key pair and keep only the public key (see the signer's README).
 * @module
 */
import { DEMO_TENANT } from './users.js'

/** One API client: its key id, secret and the principal its signed requests act as. */
export interface ApiClient {
  readonly keyId: string
  readonly secret: string
  readonly principal: {
    readonly id: string
    readonly roles: readonly string[]
    readonly tenant: string
  }
  /** What the client is for, shown by `pnpm demo:client`. */
  readonly description: string
}

/** The demo's API clients, with secrets from the environment when set. */
export function apiClients(env: NodeJS.ProcessEnv = process.env): readonly ApiClient[] {
  return [
    {
      keyId: 'reporting-2026',
      secret: env.DEMO_CLIENT_SECRET_REPORTING ?? 'demo-only-reporting-secret-0123456789abcdef',
      principal: { id: 'svc-reporting', roles: ['viewer'], tenant: DEMO_TENANT },
      description: 'a reporting job: reads partners',
    },
    {
      keyId: 'crm-sync-2026',
      secret: env.DEMO_CLIENT_SECRET_CRM ?? 'demo-only-crm-sync-secret-0123456789abcdef',
      principal: { id: 'svc-crm', roles: ['editor'], tenant: DEMO_TENANT },
      description: 'a CRM sync: reads partners and creates its own',
    },
  ]
}
