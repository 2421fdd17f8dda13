/**
 * Errors a store raises when its backend cannot answer.
 * @module
 */

/**
 * Thrown by a fail-closed `fallbackStore` while its primary is down, so a guard can answer
 * 503 instead of guessing. `cause` holds the primary's last error (for the app's logs only).
 */
export class StoreUnavailableError extends Error {
  /** Stable error code. */
  readonly code = 'ERR_RAMPART_STORE_UNAVAILABLE'
  /** Name of the store that is unavailable. */
  readonly store: string
  constructor(store: string, cause?: unknown) {
    super(`store '${store}' is unavailable`, { cause })
    this.name = 'StoreUnavailableError'
    this.store = store
  }
}

/**
 * Recognises a {@link StoreUnavailableError}, also one from another copy of core (by its code),
 * so a guard answers 503 for it and rethrows everything else.
 */
export function isStoreUnavailableError(error: unknown): error is StoreUnavailableError {
  return (
    error instanceof StoreUnavailableError ||
    (error instanceof Error &&
      (error as { code?: unknown }).code === 'ERR_RAMPART_STORE_UNAVAILABLE')
  )
}

/** A store operation took longer than its timeout; the operation may still complete later. */
export class StoreTimeoutError extends Error {
  /** Stable error code. */
  readonly code = 'ERR_RAMPART_STORE_TIMEOUT'
  /** Name of the store that timed out. */
  readonly store: string
  /** The timeout that elapsed, in ms. */
  readonly timeout: number
  constructor(store: string, timeout: number) {
    super(`store '${store}' did not answer within ${timeout} ms`)
    this.name = 'StoreTimeoutError'
    this.store = store
    this.timeout = timeout
  }
}
