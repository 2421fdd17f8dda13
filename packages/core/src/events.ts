/**
 * Typed security events. Packages add their events by declaration merging:
 *
 * ```ts
 * declare module '@rampart/core' {
 *   interface SecurityEventMap {
 *     'rate-limit.exceeded': { key: string; limit: number }
 *   }
 * }
 * ```
 * @module
 */

/**
 * Event name → event-specific fields. Extend it with `declare module '@rampart/core'`.
 * Fields must never hold secrets (passwords, tokens, raw keys).
 */
export interface SecurityEventMap {
  /** A guard threw. `error` is the thrown value, for the app's own logs only; never sent to clients. */
  'guard.failed': { readonly phase: 'request' | 'response'; readonly error: unknown }
  /** A one-time configuration or deployment warning (see each package's README for codes). */
  'rampart.warning': { readonly code: string; readonly message: string }
  /** `ipFilter` refused a client. */
  'ip-filter.denied': { readonly reason: 'deny-list' | 'not-allowed' | 'no-ip' }
  /** A fallback store switched from its primary to its fallback. */
  'store.failover': { readonly store: string; readonly error: unknown }
  /** A fallback store's primary answers again. */
  'store.recovered': { readonly store: string }
}

/** Every known event name. */
export type SecurityEventType = keyof SecurityEventMap

/** Fields every event carries. Request fields are absent for events raised outside a request. */
export interface SecurityEventBase {
  /** Milliseconds since the epoch, from the context's clock. */
  readonly time: number
  /** Name of the guard (or store) that raised it. */
  readonly source?: string
  readonly requestId?: string
  readonly method?: string
  readonly path?: string
  readonly ip?: string
}

/** A security event: the discriminated union of every `SecurityEventMap` entry. */
export type SecurityEvent<K extends SecurityEventType = SecurityEventType> = {
  [T in K]: SecurityEventBase & { readonly type: T } & SecurityEventMap[T]
}[K]

/** Receives every event; subscribe once per app (logging, metrics, audit trail). */
export type SecurityEventHandler = (event: SecurityEvent) => void

/**
 * Default handler when an app subscribes to nothing: warnings go to `console.warn` (once each),
 * everything else is dropped.
 */
export const defaultEventHandler: SecurityEventHandler = (event) => {
  if (event.type === 'rampart.warning') {
    console.warn(`[rampart] ${event.code}: ${event.message}`)
  }
}

/**
 * Calls a handler without letting it break the caller: an app's logging bug must never
 * turn into a failed request.
 */
export function safeEmit(handler: SecurityEventHandler, event: SecurityEvent): void {
  try {
    handler(event)
  } catch {
    // Deliberately ignored: event delivery is best effort.
  }
}

/**
 * Creates a once-per-code warning function, as express-rate-limit's validations do: each code
 * is reported the first time only. `disabled` codes (or `true` for all) are never reported.
 */
export function createWarnOnce(
  handler: SecurityEventHandler,
  disabled: boolean | readonly string[] = false,
  source?: string,
): (code: string, message: string) => void {
  const seen = new Set<string>(disabled === true || disabled === false ? [] : disabled)
  return (code, message) => {
    if (disabled === true || seen.has(code)) return
    seen.add(code)
    safeEmit(handler, { type: 'rampart.warning', time: Date.now(), source, code, message })
  }
}
