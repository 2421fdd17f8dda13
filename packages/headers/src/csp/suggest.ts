/**
 * "Did you mean" hints for misspelt directive names, keywords and sandbox tokens.
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
 */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  if (input.length > MAX_LENGTH) return undefined
  const folded = fold(input)
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const candidate of candidates) {
    const d = distance(folded, fold(candidate))
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  // Longer words tolerate more slips (`scriptSource` → `scriptSrc` is three).
  const limit = folded.length <= 4 ? 1 : folded.length <= 8 ? 2 : 3
  return bestDistance <= limit ? best : undefined
}
