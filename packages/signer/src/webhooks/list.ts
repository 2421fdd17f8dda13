/**
 * One-or-many options (`secret: key | [oldKey, newKey]`) as a list.
 * @module
 */

/** `value` as a list: empty for `undefined`, itself for an array, else a one-element list. */
export function list<T>(value: T | readonly T[] | undefined): readonly T[] {
  if (value === undefined) return []
  // `Array.isArray` does not narrow readonly arrays, hence the assertions.
  return Array.isArray(value) ? (value as readonly T[]) : [value as T]
}
