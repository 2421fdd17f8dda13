/**
 * Helpers for option errors every package shares: "did you mean" hints and short descriptions
 * of a received value. Construction-time only.
 * @module
 */

/** Longest input worth comparing: beyond this a typo hint is noise and the cost is quadratic. */
const MAX_LENGTH = 64

/**
 * Edit distance counting a swap of two neighbours as one edit (optimal string alignment), so
 * `slef` is one edit from `self`.
 */
function distance(a: string, b: string): number {
  const width = b.length + 1
  const d: number[] = []
  for (let i = 0; i <= a.length; i++) {
    for (let j = 0; j <= b.length; j++) {
      if (i === 0 || j === 0) {
        d.push(i + j)
        continue
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(
        (d[(i - 1) * width + j] as number) + 1,
        (d[i * width + j - 1] as number) + 1,
        (d[(i - 1) * width + j - 1] as number) + cost,
      )
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (d[(i - 2) * width + j - 2] as number) + 1)
      }
      d.push(best)
    }
  }
  return d[a.length * width + b.length] as number
}

/**
 * Folds the spelling differences that are not typos: case, and `-`/`_` separators, so
 * `script_src`, `ScriptSrc` and `script-src` all compare equal.
 */
function fold(value: string): string {
  let out = ''
  for (const ch of value.toLowerCase()) if (ch !== '-' && ch !== '_') out += ch
  return out
}

/**
 * The candidate closest to `input`, when it is close enough to be a likely typo (a distance of
 * 1 for words up to 4 letters, 2 up to 8, 3 beyond), else `undefined`.
 * @example closestMatch('alow', ['allow', 'deny']) // 'allow'
 */
export function closestMatch(input: string, candidates: Iterable<string>): string | undefined {
  if (input.length > MAX_LENGTH) return undefined
  const folded = fold(input)
  const lower = input.toLowerCase()
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const candidate of candidates) {
    const d = distance(folded, fold(candidate))
    // On a tie, prefer the spelling closest to the input's own (`syncXHR` → `syncXhr`, not `sync-xhr`).
    const better =
      d < bestDistance ||
      (d === bestDistance &&
        best !== undefined &&
        distance(lower, candidate.toLowerCase()) < distance(lower, best.toLowerCase()))
    if (better) {
      best = candidate
      bestDistance = d
    }
  }
  // Longer words tolerate more slips (`scriptSource` → `scriptSrc` is three).
  const limit = folded.length <= 4 ? 1 : folded.length <= 8 ? 2 : 3
  return bestDistance <= limit ? best : undefined
}

/**
 * True for `{ ... }` literals and `Object.create(null)` objects. Arrays, maps, class instances
 * and functions are not options objects: accepting them would read keys the caller never
 * meant as options.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/**
 * Describes a value for an issue message: strings quoted, numbers and booleans as written,
 * containers by kind. Long strings are cut so a pasted blob cannot flood the error.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > 64 ? `${value.slice(0, 64)}…` : value
    return `'${shown}'`
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (typeof value === 'bigint') return `${value}n`
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array'
  if (typeof value === 'function') return 'a function'
  if (typeof value === 'symbol') return 'a symbol'
  if (isPlainObject(value)) return 'an object'
  const tag = Object.prototype.toString.call(value).slice(8, -1)
  return tag === 'Object' ? 'an object with a custom prototype' : `a ${tag}`
}
