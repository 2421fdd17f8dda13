/**
 * `POST /login`: a strict per-address limit, the body validated, then the lockout of the source
 * guides (5 failures for one account from one address: locked for 5 minutes), then scrypt. A
 * success answers a signed session token; a failure a 401 that does not say which part was wrong.
 * @module
 */
import type { RampartStore } from '@rampart/core'
import { lockout } from '@rampart/lockout'
import { rateLimit } from '@rampart/rate-limiter'
import { sanitize } from '@rampart/sanitizer'
import { z } from 'zod'
import type { Sessions } from '../../domain/sessions.js'
import type { UserStore } from '../../domain/users.js'
import { type DemoRoute, json, problemReply } from '../routes.js'

/** The login body: bounded strings, nothing else. */
const loginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
})

/** What the login route needs. */
export interface LoginRouteOptions {
  readonly users: UserStore
  readonly sessions: Sessions
  readonly store: RampartStore
  readonly perMinute: number
  /** Keys the lockout's store keys; required when the store is shared. */
  readonly lockoutSecret?: string
}

/** The source guides' lockout: 5 failures, then 300 s. */
export const LOCKOUT = { failures: 5, lockForSeconds: 300 } as const

/** `POST /login`. */
export function loginRoute(o: LoginRouteOptions): DemoRoute {
  const checkBody = sanitize({ schema: { body: loginBody } })
  return {
    method: 'POST',
    path: '/login',
    guards: [
      rateLimit({ limit: o.perMinute, window: '1m', store: o.store, prefix: 'rl:login:' }),
      checkBody,
      lockout({
        identify: async (ctx) => ((await ctx.body()) as { username?: unknown }).username,
        store: o.store,
        secret: o.lockoutSecret,
        pair: { failures: LOCKOUT.failures, within: '15m', lockFor: `${LOCKOUT.lockForSeconds}s` },
      }),
    ],
    async handle(req) {
      const body = req.get(checkBody.validated)?.body
      const user = body && (await o.users.authenticate(body.username, body.password))
      if (!user) {
        return problemReply(
          401,
          'invalid-credentials',
          'Unauthorized',
          'Wrong user name or password.',
        )
      }
      const { token, expires } = o.sessions.issue(user.id)
      return json(200, {
        token,
        expiresAt: new Date(expires).toISOString(),
        user: { id: user.id, name: user.name, roles: user.roles },
      })
    },
  }
}
