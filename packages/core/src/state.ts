/**
 * Typed per-request state: guards attach values (a CSP nonce, a rate-limit result) under a
 * key; handlers read them back through their adapter's `getState(native, key)`.
 * @module
 */

declare const stateType: unique symbol

/** A typed key into a request's state. Create one per value with {@link stateKey}. */
export interface StateKey<T> {
  /** Debug name; two keys with the same name are still different keys. */
  readonly name: string
  /** Phantom field carrying the value type; never set at run time. */
  readonly [stateType]?: T
}

/**
 * Creates a state key. Export it from the package that sets the value so handlers can read it.
 * @example export const cspNonce = stateKey<string>('cspNonce')
 */
export function stateKey<T>(name: string): StateKey<T> {
  return Object.freeze({ name }) as StateKey<T>
}

/** Typed values attached to one request. */
export interface StateBag {
  get<T>(key: StateKey<T>): T | undefined
  set<T>(key: StateKey<T>, value: T): void
  has(key: StateKey<unknown>): boolean
}

/** A Map-backed state bag. */
export class MapStateBag implements StateBag {
  // Created on first set: many requests carry no state.
  #values: Map<StateKey<unknown>, unknown> | undefined
  get<T>(key: StateKey<T>): T | undefined {
    return this.#values?.get(key) as T | undefined
  }
  set<T>(key: StateKey<T>, value: T): void {
    if (this.#values === undefined) this.#values = new Map()
    this.#values.set(key, value)
  }
  has(key: StateKey<unknown>): boolean {
    return this.#values?.has(key) ?? false
  }
}
