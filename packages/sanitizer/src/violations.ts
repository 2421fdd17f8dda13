/**
 * What the sanitizer can find, as stable codes, and how a finding's location is written. A
 * finding names the rule and the path, never the offending value.
 * @module
 */

/** Where a value came from. */
export type InputLocation = 'body' | 'query' | 'params' | 'headers'

/** Stable rule codes, one per kind of finding. */
export type RuleCode =
  | 'max-depth'
  | 'max-keys'
  | 'max-total-keys'
  | 'max-array-length'
  | 'max-string-length'
  | 'max-parameters'
  | 'proto-key'
  | 'mongo-operator'
  | 'mongo-dotted-key'
  | 'nul-byte'
  | 'control-char-key'
  | 'invisible-char'
  | 'mixed-script'
  | 'parameter-pollution'

/** One finding: the rule and where, e.g. `{ code: 'proto-key', path: 'body.user.__proto__' }`. */
export interface Violation {
  readonly code: RuleCode
  /** `<location>` then `.key` or `[index]` segments; odd keys quoted (`["a.b"]`). */
  readonly path: string
}

/** Longest key shown in a path; longer keys are cut (a path must not carry a payload). */
const MAX_SHOWN_KEY = 64

function isIdentifier(key: string): boolean {
  if (key.length === 0 || key.length > MAX_SHOWN_KEY) return false
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i)
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36
    if (!letter && !(i > 0 && c >= 48 && c <= 57)) return false
  }
  return true
}

/** One path segment: `.key`, `[3]`, or `["odd key"]` (printable ASCII only, cut to 64). */
export function pathSegment(key: string | number): string {
  if (typeof key === 'number') return `[${key}]`
  if (isIdentifier(key)) return `.${key}`
  let shown = ''
  const end = Math.min(key.length, MAX_SHOWN_KEY)
  for (let i = 0; i < end; i++) {
    const c = key.charCodeAt(i)
    if (c === 34 || c === 92) shown += `\\${key[i]}`
    else if (c >= 0x20 && c < 0x7f) shown += key[i]
    else shown += `\\u${c.toString(16).padStart(4, '0')}`
  }
  return `["${shown}${key.length > MAX_SHOWN_KEY ? '…' : ''}"]`
}
