/**
 * Bounding a store call in time without keeping the process alive.
 * @module
 */
import { StoreTimeoutError } from './errors.js'

/** Lets a Node timer not hold the event loop open; other runtimes have no `unref`. */
export function unrefTimer(timer: unknown): void {
  ;(timer as { unref?(): void } | undefined)?.unref?.()
}

/**
 * Settles like `promise`, or rejects with a {@link StoreTimeoutError} after `ms`: a hand-rolled
 * `Promise.race` that also clears the timer as soon as `promise` settles. A late rejection of
 * `promise` stays handled.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, store: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new StoreTimeoutError(store, ms)), ms)
    unrefTimer(timer)
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}
