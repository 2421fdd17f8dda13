/**
 * String rules, each one linear pass (no regular expression that can backtrack): Unicode
 * normalisation first, then NUL bytes, control characters, invisible characters and mixed
 * scripts. Pure ASCII strings without control characters, the common case, are recognised in
 * one scan and left alone.
 * @module
 */
import type { RuleCode } from './violations.js'

/** How strings are normalised before every other rule. */
export type NormalizationForm = 'NFC' | 'NFKC' | false

/** The resolved string rules. */
export interface StringRules {
  readonly normalize: NormalizationForm
  readonly invisible: boolean
  readonly mixedScript: boolean
}

/**
 * Anything but printable ASCII: the strings that need the slow path. One character class, no
 * quantifier: the regex engine scans linearly (and faster than a charCodeAt loop in JS).
 */
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/

/** Below this length a loop in JS beats the regex call's fixed cost (measured). */
const SHORT = 24

/** Whether `s` needs the slow path: a control character or anything beyond ASCII. */
function needsWork(s: string): boolean {
  if (s.length > SHORT) return NOT_PRINTABLE_ASCII.test(s)
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x20 || c > 0x7e) return true
  }
  return false
}

/** C0 controls other than tab, LF and CR; DEL; C1 controls. */
function isStrippedControl(c: number): boolean {
  return (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || (c >= 0x7f && c <= 0x9f)
}

/** Zero-width and byte-order characters, and the bidirectional overrides and isolates. */
function isInvisible(c: number): boolean {
  return (
    (c >= 0x200b && c <= 0x200f) ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x2064) ||
    (c >= 0x2066 && c <= 0x2069) ||
    c === 0xfeff ||
    c === 0x00ad ||
    c === 0x180e
  )
}

const LATIN = /\p{Script=Latin}/u
const CYRILLIC = /\p{Script=Cyrillic}/u
const GREEK = /\p{Script=Greek}/u

/**
 * Whether one word mixes Latin with Cyrillic or Greek letters (`pаypal` with a Cyrillic `а`): the
 * classic look-alike spoof. Words are split on anything that is not a letter.
 */
function mixesScripts(s: string): boolean {
  let latin = false
  let other = false
  for (const ch of s) {
    if (/\P{L}/u.test(ch)) {
      latin = false
      other = false
      continue
    }
    if (LATIN.test(ch)) latin = true
    else if (CYRILLIC.test(ch) || GREEK.test(ch)) other = true
    if (latin && other) return true
  }
  return false
}

/** A string rule's finding (one shared, frozen object per code: the walk allocates nothing). */
export interface StringFinding {
  readonly code: RuleCode
}

const finding = (code: RuleCode): StringFinding => Object.freeze({ code })
const NUL = finding('nul-byte')
const INVISIBLE = finding('invisible-char')
const MIXED = finding('mixed-script')

/**
 * Whether normalising `s` cannot change it, decided without calling ICU: below U+0300 every
 * character is NFC-stable (combining marks and the characters NFC rewrites start there); NFKC
 * also rewrites some Latin-1 characters (NBSP, `²`, `½`), so only ASCII and C1 are safe for it.
 */
function isStable(s: string, form: 'NFC' | 'NFKC'): boolean {
  const limit = form === 'NFC' ? 0x300 : 0xa0
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= limit) return false
  return true
}

/**
 * Applies the rules to `s` and answers the cleaned string (normalised, control characters
 * stripped; `s` itself when nothing changed) or a finding: a NUL byte, or (when asked) an
 * invisible character or mixed scripts. `strip` removes NULs and invisible characters instead.
 */
export function checkString(s: string, rules: StringRules, strip: boolean): string | StringFinding {
  if (!needsWork(s)) return s
  const normalized =
    rules.normalize === false || isStable(s, rules.normalize) ? s : s.normalize(rules.normalize)
  // Most non-ASCII text (accents, other scripts) has nothing to remove: find the first character
  // a rule acts on, and rebuild the string only from there.
  let first = -1
  for (let i = 0; i < normalized.length; i++) {
    const c = normalized.charCodeAt(i)
    if (c === 0 || isStrippedControl(c) || (rules.invisible && isInvisible(c))) {
      first = i
      break
    }
  }
  let out = first === -1 ? normalized : normalized.slice(0, first)
  const changed = first !== -1 || normalized !== s
  for (let i = first === -1 ? normalized.length : first; i < normalized.length; i++) {
    const c = normalized.charCodeAt(i)
    if (c === 0) {
      if (!strip) return NUL
      continue
    }
    if (isStrippedControl(c)) continue
    if (rules.invisible && isInvisible(c)) {
      if (!strip) return INVISIBLE
      continue
    }
    out += normalized[i]
  }
  const value = changed ? out : s
  if (rules.mixedScript && mixesScripts(value)) return MIXED
  return value
}

/** Whether a key holds a NUL or another control character (refused in any mode). */
export function keyHasControl(key: string): boolean {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i)
    if (c === 0 || isStrippedControl(c)) return true
  }
  return false
}

/** Whether `key` is ASCII-only (so NFKC cannot change it). */
export function isAscii(key: string): boolean {
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) >= 0x80) return false
  return true
}
