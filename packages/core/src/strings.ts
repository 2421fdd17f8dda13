/**
 * String helpers for the per-request path.
 * @module
 */

/**
 * The engine's canonical copy of a string: what a property key becomes. It is flat (one heap
 * object, where a concatenation is a rope of several, flattened again by every lookup that hashes
 * it) and shared with every equal property name, so comparing it with the names
 * `Object.keys` returns is a pointer check.
 */
export function internalize(value: string): string {
  return Object.keys({ [value]: 0 })[0] as string
}
