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

/** Whether `s` needs the slow path: a control character or anything beyond ASCII. */
function needsWork(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x20 || c >= 0x7f) return true
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
 * Applies the rules to `s` and answers the cleaned string (normalised, control characters
 * stripped; `s` itself when nothing changed) or a finding: a NUL byte, or (when asked) an
 * invisible character or mixed scripts. `strip` removes NULs and invisible characters instead.
 */
export function checkString(s: string, rules: StringRules, strip: boolean): string | StringFinding {
  if (!needsWork(s)) return s
  const normalized = rules.normalize === false ? s : s.normalize(rules.normalize)
  let out = ''
  let changed = normalized !== s
  for (let i = 0; i < normalized.length; i++) {
    const c = normalized.charCodeAt(i)
    if (c === 0) {
      if (!strip) return NUL
      changed = true
      continue
    }
    if (isStrippedControl(c)) {
      changed = true
      continue
    }
    if (rules.invisible && isInvisible(c)) {
      if (!strip) return INVISIBLE
      changed = true
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
