/**
 * The guards every request passes, whatever the framework: the access log first (so refusals
 * are logged with their status), the client allow-list, the API's security headers, the session
 * (a bearer token becomes the principal) and the global limit of the source guides: 100 API
 * requests per minute per client.
 * @module
 */
import {
  defineGuard,
  type Guard,
  ipFilter,
  problem,
  type RampartStore,
  stateKey,
} from '@rampart/core'
import { securityHeaders } from '@rampart/headers'
import { rateLimit } from '@rampart/rate-limiter'
import type { RbacPrincipal } from '@rampart/rbac'
import { accessLog, type Redactor } from '@rampart/redactor'
import type { Logger } from 'pino'
import type { Sessions } from '../domain/sessions.js'
import type { User, UserStore } from '../domain/users.js'

declare module '@rampart/core' {
  interface SecurityEventMap {
    /** A route that needs a session was asked without one (`token`: whether one was sent). */
    'demo.unauthenticated': { readonly token: boolean }
  }
}

/** The signed-in user of a request with a valid session token. */
export const signedInUser = stateKey<User>('demo.user')

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{1,512})$/

/**
 * Reads `Authorization: Bearer <token>`; a valid session makes its user the request's principal
 * (what `@rampart/rbac` decides on). No token, or a bad one, leaves the request anonymous: the
 * routes that need a user answer 401 themselves.
 */
export function sessionGuard(sessions: Sessions, users: UserStore): Guard {
  return defineGuard({
    name: 'demo-session',
    request(ctx) {
      const token = BEARER.exec(ctx.headers.get('authorization') ?? '')?.[1]
      const session = sessions.verify(token, ctx.now())
      const user = session && users.byId(session.userId)
      if (user === undefined) return
      ctx.state.set(signedInUser, user)
      const principal: RbacPrincipal = { id: user.id, roles: user.roles, tenant: user.tenant }
      ctx.setPrincipal(principal)
    },
  })
}

/**
 * Refuses a request without a session with a 401 problem. Mounted before a route's body checks,
 * so an anonymous client learns that it must sign in, not what the body should look like.
 */
export const signedIn: Guard = defineGuard({
  name: 'demo-signed-in',
  request(ctx) {
    if (ctx.state.get(signedInUser) === undefined) {
      ctx.emit('demo.unauthenticated', { token: ctx.headers.has('authorization') })
      ctx.deny(problem(401, 'unauthenticated', 'Unauthorized', { detail: 'Sign in first.' }))
    }
  },
})

/** What the app-wide guards need. */
export interface AppGuardOptions {
  readonly logger: Logger
  readonly redactor: Redactor
  readonly allow: readonly string[]
  readonly perMinute: number
  readonly store: RampartStore
  readonly sessions: Sessions
  readonly users: UserStore
}

/** Paths outside the global API limit: the page, its assets, the event stream, `/api/info`. */
const unlimited = (path: string) => !path.startsWith('/api/') || path === '/api/info'

/** The app-wide guards, in order. */
export function appGuards(o: AppGuardOptions): Guard[] {
  return [
    accessLog({ logger: o.logger, redactor: o.redactor, skip: (ctx) => ctx.path === '/events' }),
    ipFilter({ allow: [...o.allow] }),
    // A refused request still gets the security headers: a 429 is a response like any other.
    securityHeaders({ preset: 'api' }),
    sessionGuard(o.sessions, o.users),
    rateLimit({
      limit: o.perMinute,
      window: '1m',
      store: o.store,
      prefix: 'rl:api:',
      skip: (ctx) => unlimited(ctx.path),
    }),
  ]
}
