/**
 * `GET /api/info` (what the page needs to offer: the framework, the store, the demo accounts and
 * the limits), `GET /api/me` (who the session is) and `GET /api/boom` (a handler that throws an
 * error with a secret in it: the client gets a bare 500 problem, the log a redacted error).
 * @module
 */
import { DEMO_ACCOUNTS } from '../../domain/users.js'
import { signedIn, signedInUser } from '../guards.js'
import { type DemoRoute, json } from '../routes.js'
import { LOCKOUT } from './login.js'

/** What `/api/info` reports. */
export interface InfoOptions {
  readonly framework: string
  readonly store: 'memory' | 'redis'
  readonly perMinute: number
  readonly loginPerMinute: number
}

/** `GET /api/info`, `GET /api/me`, `GET /api/boom`. */
export function accountRoutes(o: InfoOptions): DemoRoute[] {
  const info = {
    framework: o.framework,
    store: o.store,
    accounts: DEMO_ACCOUNTS.map(({ name, role, password }) => ({ name, role, password })),
    limits: { perMinute: o.perMinute, loginPerMinute: o.loginPerMinute, lockout: LOCKOUT },
  }
  return [
    { method: 'GET', path: '/api/info', guards: [], handle: () => json(200, info) },
    {
      method: 'GET',
      path: '/api/me',
      guards: [signedIn],
      handle(req) {
        const user = req.get(signedInUser)
        return json(200, { id: user?.id, name: user?.name, roles: user?.roles })
      },
    },
    {
      method: 'GET',
      path: '/api/boom',
      guards: [],
      handle() {
        throw new Error('payment gateway refused key sk_live_51HdemoSECRETdemo for ann@example.com')
      },
    },
  ]
}
