/**
 * Events raised outside a request: the wrapped store's failover and recovery, and the
 * programmatic API's. They go to the limiter's `onEvent` when set; otherwise store events wait
 * (a few at most) for the next request, which emits them through the app's `rampart()` handler.
 * @module
 */
import {
  type SecurityContext,
  type SecurityEvent,
  type SecurityEventHandler,
  type SecurityEventMap,
  type SecurityEventType,
  safeEmit,
} from '@rampart/core'

/** Store events kept for the next request when no `onEvent` is set. */
const MAX_QUEUED = 16

/** Routes events raised outside a request. */
export class OutsideEvents {
  #queue: SecurityEvent[] = []
  readonly #handler: SecurityEventHandler | undefined
  readonly #source: string

  constructor(handler: SecurityEventHandler | undefined, source: string) {
    this.#handler = handler
    this.#source = source
  }

  /** Whether store events wait for a request. */
  get pending(): boolean {
    return this.#queue.length > 0
  }

  /** The `onEvent` of a store the limiter wraps. */
  readonly fromStore = (event: SecurityEvent): void => {
    if (this.#handler !== undefined) safeEmit(this.#handler, event)
    else if (this.#queue.length < MAX_QUEUED) this.#queue.push(event)
  }

  /** Emits an event of the programmatic API (dropped without `onEvent`). */
  emit<K extends SecurityEventType>(type: K, data: SecurityEventMap[K]): void {
    if (this.#handler === undefined) return
    safeEmit(this.#handler, { ...data, type, time: Date.now(), source: this.#source } as never)
  }

  /** Emits the waiting store events through a request. */
  drain(ctx: SecurityContext): void {
    const events = this.#queue
    this.#queue = []
    for (const event of events) {
      const { type, time: _time, source: _source, ...data } = event
      ctx.emit(type, data as never)
    }
  }
}
