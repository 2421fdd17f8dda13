/**
 * Field patterns (`'address.city'`, `'*'`, `'**.password'`, `'!vatId'`), checked and parsed once
 * when a mask is compiled, and the small value predicates the mask walkers and the merge patch
 * share.
 *
 * Segments are split on dots and matched literally against own keys, so a field whose name
 * itself holds a dot (`'a.b'`) cannot be addressed by a pattern: the masks drop or refuse such
 * keys below partly allowed paths (see `mask.ts`).
 * @module
 */

/** Keys that reach a prototype when assigned or merged: never copied, always reported. */
export function isPrototypeKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype'
}

/** Whether a dotted path has a prototype key among its segments. */
export function hasPrototypeSegment(path: string): boolean {
  if (!path.includes('__proto__') && !path.includes('constructor') && !path.includes('prototype')) {
    return false
  }
  return path.split('.').some(isPrototypeKey)
}

/**
 * True for object literals, `JSON.parse` output and `Object.create(null)` objects, from any
 * realm: an edge runtime's VM may hand over objects whose `Object.prototype` is not ours.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null || Object.getPrototypeOf(proto) === null
}

const toStringTag = Object.prototype.toString

/** True for a `Date` (from any realm): masks treat it as one value, like a primitive. */
export function isDate(value: object): boolean {
  return value instanceof Date || toStringTag.call(value) === '[object Date]'
}

/** One parsed pattern: its segments (a key, `'*'` or `'**'`) and whether it negates. */
export interface ParsedPattern {
  readonly negated: boolean
  readonly segments: readonly string[]
}

/** Why one segment is malformed, or undefined. */
function segmentError(segment: string): string | undefined {
  if (segment === '') return 'empty segment: two dots in a row, or a dot at either end'
  if (segment.trim() === '') return 'blank segment: a segment made of whitespace only'
  if (segment.includes('*') && segment !== '*' && segment !== '**') {
    return `segment '${segment}' mixes '*' with other characters: use '*' (one key) or '**' (any depth) alone`
  }
  if (isPrototypeKey(segment)) {
    return `segment '${segment}' is a prototype key: such keys are never copied nor accepted`
  }
  return undefined
}

/** Why `pattern` is malformed, or undefined when it is fine (used by config validation). */
export function patternError(pattern: string): string | undefined {
  if (typeof pattern !== 'string') return 'a field pattern must be a string'
  if (pattern === '') return 'empty pattern'
  const body = pattern.startsWith('!') ? pattern.slice(1) : pattern
  if (body === '') return "'!' alone: name the path it excludes, e.g. '!creditLimit'"
  if (body.startsWith('!')) return "more than one '!': a pattern is negated once, at its start"
  if (body.includes('!')) return "'!' may only start a pattern"
  for (const segment of body.split('.')) {
    const error = segmentError(segment)
    if (error !== undefined) return error
  }
  return undefined
}

/**
 * Parses a pattern checked by {@link patternError}. A lone `'*'` becomes `'**'` (both mean every
 * field) and repeated `'**'` collapse, so equivalent patterns compile to the same automaton.
 * @throws TypeError when the pattern is malformed.
 */
export function parsePattern(pattern: string): ParsedPattern {
  const error = patternError(pattern)
  if (error !== undefined) throw new TypeError(`Invalid field pattern '${pattern}': ${error}`)
  const negated = pattern.startsWith('!')
  const raw = (negated ? pattern.slice(1) : pattern).split('.')
  if (raw.length === 1 && raw[0] === '*') return { negated, segments: ['**'] }
  const segments: string[] = []
  for (const segment of raw) {
    if (segment === '**' && segments[segments.length - 1] === '**') continue
    segments.push(segment)
  }
  return { negated, segments }
}

/** Formats a walk's position for reports: keys joined by dots, array indexes in brackets. */
export function formatPath(segments: readonly (string | number)[]): string {
  let path = ''
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`
    else path += path === '' ? segment : `.${segment}`
  }
  return path
}
