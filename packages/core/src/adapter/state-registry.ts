/**
 * Links a framework's request object to its run, so handlers can read guard state.
 *
 * The run sits under a registered symbol on the framework's own request object (Express `req`,
 * Koa `ctx`, Hono `c`). A WeakMap would leave those objects untouched, but measured under load
 * it kept every request's objects alive into old-generation GC (Hono: GC from 2% to 12% of
 * server time); a symbol property dies with the request. Symbols never show up in
 * `Object.keys`, JSON or spreads, and `Symbol.for` lets two copies of an adapter agree.
 * @module
 */
import type { Engine, RequestRun, RequestSource } from '../engine.js'
import type { StateKey } from '../state.js'

/** Where a run is kept on a framework request object. */
export const RUN_KEY: unique symbol = Symbol.for('rampart.run') as never

type Holder<N> = { [RUN_KEY]?: RequestRun<N> }

/** Per-adapter access to runs by native request object. */
export class RunRegistry<N extends object> {
  /**
   * Starts a run for a request and records it; a second `rampart()` on the same request shares
   * the first run's state and request id.
   */
  start(engine: Engine<N>, source: RequestSource<N>): RequestRun<N> {
    const holder = source.native as Holder<N>
    const first = holder[RUN_KEY]
    const run = engine.start(source, first)
    if (first === undefined) holder[RUN_KEY] = run
    return run
  }
  /** The (first) run of a native request, if `rampart()` saw it. */
  get(native: N): RequestRun<N> | undefined {
    return (native as Holder<N>)[RUN_KEY]
  }
  /** Reads a typed state value a guard attached to this request. */
  state<T>(native: N, key: StateKey<T>): T | undefined {
    return (native as Holder<N>)[RUN_KEY]?.state.get(key)
  }
}
