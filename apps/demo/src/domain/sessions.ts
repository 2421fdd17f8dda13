/**
 * Sessions as signed bearer tokens: `v1.<payload>.<mac>`, the payload the user id and an expiry,
 * the MAC an HMAC-SHA256 under a server secret, checked in constant time. Nothing is stored on
 * the server, so the two instances of `pnpm demo:cluster` accept each other's tokens when they
 * share `DEMO_SESSION_SECRET`; without it each process draws its own secret.
 * @module
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** Longer tokens are refused before any parsing. */
const MAX_TOKEN_LENGTH = 512

/** A session's subject and when it ends (ms since the epoch). */
export interface Session {
  readonly userId: string
  readonly expires: number
}

/** Issues and checks session tokens under one secret. */
export class Sessions {
  private readonly secret: Buffer

  /**
   * @param secret at least 32 bytes (a random one when omitted)
   * @param ttl how long a session lasts, in ms (default 1 hour)
   */
  constructor(
    secret: string | Uint8Array = randomBytes(32),
    private readonly ttl = 60 * 60 * 1000,
  ) {
    this.secret = Buffer.from(typeof secret === 'string' ? Buffer.from(secret) : secret)
    if (this.secret.length < 32)
      throw new RangeError('the session secret must be at least 32 bytes')
  }

  /** A token for `userId`, valid for the TTL from `now`, and when it ends. */
  issue(userId: string, now = Date.now()): { token: string; expires: number } {
    const expires = now + this.ttl
    const payload = Buffer.from(JSON.stringify({ sub: userId, exp: expires })).toString('base64url')
    return { token: `v1.${payload}.${this.mac(payload).toString('base64url')}`, expires }
  }

  /** The session a token carries, or `undefined` for a forged, malformed or expired one. */
  verify(token: string | null | undefined, now = Date.now()): Session | undefined {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return undefined
    const [version, payload, mac, extra] = token.split('.')
    if (version !== 'v1' || payload === undefined || mac === undefined || extra !== undefined) {
      return undefined
    }
    const given = Buffer.from(mac, 'base64url')
    const expected = this.mac(payload)
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
    let claims: unknown
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
    } catch {
      return undefined
    }
    const { sub, exp } = (claims ?? {}) as { sub?: unknown; exp?: unknown }
    if (typeof sub !== 'string' || typeof exp !== 'number' || exp <= now) return undefined
    return { userId: sub, expires: exp }
  }

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.secret).update(`rampart-demo-session:${payload}`).digest()
  }
}
