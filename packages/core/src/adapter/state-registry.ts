/**
 * Links a framework's request object to its run, so handlers can read guard state.
 * A WeakMap: nothing is written onto the framework's objects and nothing outlives the request.
 * @module
 */
import type { Engine, RequestRun, RequestSource } from '../engine.js'
import type { StateKey } from '../state.js'

/** Per-adapter registry of runs by native request object. */
export class RunRegistry<N extends object> {
  readonly #runs = new WeakMap<N, RequestRun<N>>()
  /** Records the first run for a native request; later `rampart()` instances share its state. */
  set(native: N, run: RequestRun<N>): void {
    if (!this.#runs.has(native)) this.#runs.set(native, run)
  }
  /**
   * Starts a run for a request and records it; a second `rampart()` on the same request shares
   * the first run's state and request id.
   */
  start(engine: Engine<N>, source: RequestSource<N>): RequestRun<N> {
    const run = engine.start(source, this.#runs.get(source.native))
    this.set(source.native, run)
    return run
  }
  /** The run of a native request, if `rampart()` saw it. */
  get(native: N): RequestRun<N> | undefined {
    return this.#runs.get(native)
  }
  /** Reads a typed state value a guard attached to this request. */
  state<T>(native: N, key: StateKey<T>): T | undefined {
    return this.#runs.get(native)?.state.get(key)
  }
}
