/**
 * Directive names: helmet's spelling rules (camelCase or kebab-case) and the list of
 * directives browsers know, with the grammar each one's value follows.
 * @module
 */

import { closestMatch } from '@rampart/core'
import { isAlpha, isDigit, isLower, isUpper } from './chars.js'

/**
 * Which grammar a directive's value follows; see `directive-value.ts`. `'unknown'` is for a
 * key that is not a directive: its value still gets the checks every directive gets.
 */
export type DirectiveKind =
  | 'unknown'
  | 'sources'
  | 'ancestors'
  | 'sandbox'
  | 'report-uri'
  | 'report-to'
  | 'valueless'
  | 'require-trusted-types-for'
  | 'trusted-types'
  | 'webrtc'
  | 'mime-types'

/**
 * Every directive of CSP Level 3 and its companions (Trusted Types, Fenced Frames, Mixed
 * Content), plus the obsolete ones a helmet config may still carry (`block-all-mixed-content`,
 * `plugin-types`, `prefetch-src`, `navigate-to`): browsers ignore an unknown directive with
 * nothing but a console message, so a misspelt one would silently weaken the policy.
 */
export const DIRECTIVE_KINDS: ReadonlyMap<string, DirectiveKind> = new Map<string, DirectiveKind>([
  ['default-src', 'sources'],
  ['child-src', 'sources'],
  ['connect-src', 'sources'],
  ['fenced-frame-src', 'sources'],
  ['font-src', 'sources'],
  ['frame-src', 'sources'],
  ['img-src', 'sources'],
  ['manifest-src', 'sources'],
  ['media-src', 'sources'],
  ['object-src', 'sources'],
  ['prefetch-src', 'sources'],
  ['script-src', 'sources'],
  ['script-src-elem', 'sources'],
  ['script-src-attr', 'sources'],
  ['style-src', 'sources'],
  ['style-src-elem', 'sources'],
  ['style-src-attr', 'sources'],
  ['worker-src', 'sources'],
  ['base-uri', 'sources'],
  ['form-action', 'sources'],
  ['navigate-to', 'sources'],
  ['frame-ancestors', 'ancestors'],
  ['sandbox', 'sandbox'],
  ['report-uri', 'report-uri'],
  ['report-to', 'report-to'],
  ['upgrade-insecure-requests', 'valueless'],
  ['block-all-mixed-content', 'valueless'],
  ['require-trusted-types-for', 'require-trusted-types-for'],
  ['trusted-types', 'trusted-types'],
  ['webrtc', 'webrtc'],
  ['plugin-types', 'mime-types'],
])

/** A parsed directive name, or why it is not one. */
export type DirectiveName =
  | { readonly ok: true; readonly name: string; readonly kind: DirectiveKind }
  | { readonly ok: false; readonly message: string }

/**
 * helmet's name grammar, `^[a-z](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$`, checked in one pass: a
 * lower-case letter first, letters, digits and hyphens after, no hyphen last.
 */
function hasNameSyntax(raw: string): boolean {
  if (raw.length === 0 || !isLower(raw.charCodeAt(0))) return false
  for (let i = 1; i < raw.length; i++) {
    const c = raw.charCodeAt(i)
    if (!isAlpha(c) && !isDigit(c) && c !== 0x2d) return false
  }
  return raw.charCodeAt(raw.length - 1) !== 0x2d
}

/** helmet's `dashify`: each capital becomes `-` and its lower case (`scriptSrc` → `script-src`). */
export function dashify(raw: string): string {
  let out = ''
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i)
    out += isUpper(c) ? `-${String.fromCharCode(c + 0x20)}` : raw[i]
  }
  return out
}

/** `script-src` → `scriptSrc`, for hints in the spelling the user chose. */
function camelize(name: string): string {
  let out = ''
  for (let i = 0; i < name.length; i++) {
    if (name[i] === '-' && i + 1 < name.length) out += (name[++i] as string).toUpperCase()
    else out += name[i]
  }
  return out
}

/** A "Did you mean …?" sentence in the user's spelling, or `''`. */
function hint(raw: string): string {
  const near = closestMatch(raw, DIRECTIVE_KINDS.keys())
  if (near === undefined) return ''
  let camel = false
  for (let i = 0; i < raw.length; i++) camel ||= isUpper(raw.charCodeAt(i))
  const spelt = camel && !raw.includes('-') && !raw.includes('_') ? camelize(near) : near
  return ` Did you mean ${JSON.stringify(spelt)}?`
}

/** Parses a key of `directives` into a kebab-case directive name and its value grammar. */
export function parseDirectiveName(raw: string): DirectiveName {
  if (raw.length === 0) return { ok: false, message: 'a directive name cannot be empty.' }
  if (!hasNameSyntax(raw)) {
    return {
      ok: false,
      message: `${JSON.stringify(raw)} is not a valid directive name: write it in camelCase (scriptSrc) or kebab-case (script-src).${hint(raw)}`,
    }
  }
  const name = dashify(raw)
  const kind = DIRECTIVE_KINDS.get(name)
  if (kind === undefined) {
    const spelt = name === raw ? '' : ` (${name})`
    return {
      ok: false,
      message: `${JSON.stringify(raw)}${spelt} is not a Content-Security-Policy directive; browsers ignore unknown directives.${hint(raw)}`,
    }
  }
  return { ok: true, name, kind }
}
