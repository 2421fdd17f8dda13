/**
 * RFC 7396 JSON merge patch, used to re-check ownership on the record a PATCH would produce
 * (a client must not move a record to another owner or tenant through a partial update).
 * @module
 */
import { isPlainObject, isPrototypeKey } from './paths.js'

/** Far beyond any parsed body; only a cyclic patch object gets there. */
const MAX_PATCH_DEPTH = 100_000

/** Sets an own data property, whatever the key: assigning `__proto__` would set a prototype. */
function setOwn(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
  } else {
    out[key] = value
  }
}

/** A fresh object with the own enumerable keys of `source` (none when it is not an object). */
function copyOf(source: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = {}
  if (isPlainObject(source)) for (const key of Object.keys(source)) setOwn(copy, key, source[key])
  return copy
}

/**
 * RFC 7396 JSON merge patch of `target` by `patch`, without mutating either: objects merge
 * recursively, `null` deletes, anything else replaces. Keys `__proto__`, `constructor`,
 * `prototype` in the patch are ignored (never merged). Used to re-check ownership on the record a
 * PATCH would produce.
 *
 * The result shares the subtrees the patch does not touch with `target`, and non-object patch
 * values (arrays included) with `patch`; every object on a patched path is a fresh copy. The
 * walk is iterative, so deeply nested patches cost no stack. A target that is not a plain
 * object counts as `{}` when the patch is an object, as the RFC says.
 * @throws RangeError for a patch nested over 100,000 levels (only a cyclic object gets there).
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch
  const result = copyOf(target)
  // Still to merge: a fresh copy, the patch object to apply to it, and its depth.
  const pending: [Record<string, unknown>, Record<string, unknown>, number][] = [[result, patch, 0]]
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const [out, changes, depth] = item
    if (depth > MAX_PATCH_DEPTH)
      throw new RangeError(
        `Merge patch nested deeper than ${MAX_PATCH_DEPTH} levels (is it cyclic?)`,
      )
    for (const key of Object.keys(changes)) {
      if (isPrototypeKey(key)) continue
      const change = changes[key]
      if (change === null) {
        delete out[key]
      } else if (isPlainObject(change)) {
        const child = copyOf(Object.hasOwn(out, key) ? out[key] : undefined)
        setOwn(out, key, child)
        pending.push([child, change, depth + 1])
      } else {
        setOwn(out, key, change)
      }
    }
  }
  return result
}
