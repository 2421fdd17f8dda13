/**
 * Lays a planned policy out as the header text: fixed strings, with slots for the nonce and
 * for function values. Adjacent strings are merged, so a policy without functions or nonce
 * is a single string and one with nonces is `parts[0] + nonce + parts[1] + …`.
 * @module
 */
import type { PlannedDirective } from './nonce.js'
import type { CspDirectiveFunction } from './types.js'

/** Where the per-request `'nonce-…'` source goes. */
export const NONCE_SLOT: unique symbol = Symbol('nonce')

/** A function directive value, evaluated per request. */
export interface FunctionSlot {
  /** The user's function. */
  readonly fn: CspDirectiveFunction
  /** Directive it belongs to (kebab-case), for error messages. */
  readonly directive: string
  /** Issue path of the directive option, for error messages. */
  readonly path: string
}

/** A piece of the header value. */
export type Segment = string | FunctionSlot | typeof NONCE_SLOT

/** A directive that is exactly `'none'`: the nonce replaces it rather than joining it. */
function isLoneNone(directive: PlannedDirective): boolean {
  const { facts } = directive
  return facts.none && facts.tokens === 1 && facts.functions === 0
}

/** The pieces after the directive name, in order, each to be separated by one space. */
function directivePieces(directive: PlannedDirective): Segment[] {
  const pieces: Segment[] = []
  // `'none'` next to another source is ignored by browsers (and reported at construction
  // when the user wrote it), so the nonce takes its place instead of joining it.
  if (!(directive.nonce && isLoneNone(directive))) {
    for (const entry of directive.entries) {
      pieces.push(
        typeof entry === 'string'
          ? entry
          : { fn: entry, directive: directive.name, path: directive.path },
      )
    }
  }
  if (directive.nonce) pieces.push(NONCE_SLOT)
  return pieces
}

/**
 * The segments of one policy variant, formatted exactly as helmet formats it: directives
 * joined by `;` with no space, each `name value` or just `name` when it has no value.
 *
 * helmet formats a policy that has a function value differently from a fixed one: a fixed
 * directive whose entries are all empty strings is `name` in a fixed policy but `name ` in
 * a dynamic one. `dynamicFormatting` reproduces that, so output stays byte-for-byte equal.
 */
export function buildSegments(
  directives: readonly PlannedDirective[],
  dynamicFormatting: boolean,
): readonly Segment[] {
  const raw: Segment[] = []
  directives.forEach((directive, index) => {
    if (index > 0) raw.push(';')
    const pieces = directivePieces(directive)
    const fixed = pieces.every((piece) => typeof piece === 'string')
    if (pieces.length === 0 || (fixed && !dynamicFormatting && pieces.join(' ') === '')) {
      raw.push(directive.name)
      return
    }
    raw.push(`${directive.name} `)
    pieces.forEach((piece, i) => {
      if (i > 0) raw.push(' ')
      raw.push(piece)
    })
  })
  const merged: Segment[] = []
  for (const segment of raw) {
    const last = merged.length - 1
    if (typeof segment === 'string' && typeof merged[last] === 'string') {
      merged[last] = (merged[last] as string) + segment
    } else merged.push(segment)
  }
  return merged
}
