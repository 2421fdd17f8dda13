/**
 * The events `@rampart/lockout` emits. Accounts appear only as the HMAC id the store uses,
 * never as the identity itself.
 * @module
 */

/** Which counter a lock belongs to. */
export type LockoutCounter = 'pair' | 'ip' | 'account'

declare module '@rampart/core' {
  interface SecurityEventMap {
    /** An attempt was refused: a lock, a delay or a ceiling applies. `retryAfter` in ms. */
    'lockout.refused': { readonly retryAfter: number; readonly account?: string }
    /** An attempt was settled. */
    'lockout.attempt': {
      readonly outcome: 'success' | 'failure' | 'cancelled'
      readonly account?: string
    }
    /** A counter reached its threshold: the pair, IP or account is locked for `for` ms. */
    'lockout.locked': {
      readonly counter: LockoutCounter
      readonly for: number
      readonly account?: string
    }
    /** `unlock()` or `unlockIp()` ran. */
    'lockout.unlocked': { readonly account?: string; readonly unlockedIp?: string }
    /** The store failed; `open` says whether the attempt went through uncounted. */
    'lockout.unavailable': { readonly store: string; readonly open: boolean }
  }
}
