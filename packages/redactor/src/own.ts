/**
 * Writing a key into a copy. An own `__proto__` key (JSON.parse makes them) must stay a key:
 * plain assignment would set the copy's prototype instead.
 * @module
 */

/** Sets `out[key] = value` as an own, enumerable data property, whatever the key. */
export function setOwn(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
  } else {
    out[key] = value
  }
}
