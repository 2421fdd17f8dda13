/**
 * The demo's users: one per role of the source guides (viewer, editor, manager, admin), their
 * passwords hashed with scrypt at start-up. Sign-in does the same work for an unknown name as
 * for a known one, so its timing does not tell which names exist.
 * @module
 */
import { hashPassword, verifyPassword } from './passwords.js'

/** A signed-in user: what the demo's principal is made of. */
export interface User {
  readonly id: string
  readonly name: string
  readonly roles: readonly string[]
  readonly tenant: string
}

/** The demo accounts and their passwords (printed by `pnpm demo`, shown on the page). */
export const DEMO_ACCOUNTS = [
  { id: 'u-vera', name: 'vera', role: 'viewer', password: 'vera-demo-password' },
  { id: 'u-ed', name: 'ed', role: 'editor', password: 'ed-demo-password' },
  { id: 'u-max', name: 'max', role: 'manager', password: 'max-demo-password' },
  { id: 'u-ada', name: 'ada', role: 'admin', password: 'ada-demo-password' },
] as const

/** The one tenant of the demo's data. */
export const DEMO_TENANT = 'acme'

/** Users by name, with their password hashes. */
export class UserStore {
  /** Users by id: every request with a session looks its user up. */
  private readonly ids: ReadonlyMap<string, User>

  private constructor(
    private readonly users: ReadonlyMap<string, { user: User; hash: string }>,
    /** Checked for unknown names, so they cost what a known name costs. */
    private readonly decoy: string,
  ) {
    this.ids = new Map([...users.values()].map(({ user }) => [user.id, user]))
  }

  /** Hashes the demo accounts' passwords (scrypt: about a second in all). */
  static async seeded(): Promise<UserStore> {
    const entries = await Promise.all(
      DEMO_ACCOUNTS.map(async (a) => {
        const user: User = { id: a.id, name: a.name, roles: [a.role], tenant: DEMO_TENANT }
        return [a.name, { user, hash: await hashPassword(a.password) }] as const
      }),
    )
    return new UserStore(new Map(entries), await hashPassword('decoy password for unknown names'))
  }

  /** The user whose name and password match; `undefined` otherwise (the same for both misses). */
  async authenticate(name: string, password: string): Promise<User | undefined> {
    const entry = this.users.get(name.normalize('NFKC').toLowerCase())
    const ok = await verifyPassword(password, entry?.hash ?? this.decoy)
    return ok && entry !== undefined ? entry.user : undefined
  }

  /** The user with this id (a session's subject). */
  byId(id: string): User | undefined {
    return this.ids.get(id)
  }
}
