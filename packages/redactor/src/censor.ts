/**
 * Censors: what a redacted value becomes.
 * @module
 */
import { hex, hmacSha256 } from './hmac.js'

/**
 * What a redacted value becomes: a fixed text, nothing, its last characters, a keyed hash (two
 * log lines about the same secret show the same `[REDACTED:3f2a…]`, which reveals nothing without
 * the key), or your function.
 */
export type Censor =
  | string
  | 'remove'
  | { readonly partial: number; readonly mask?: string }
  | { readonly hash: { readonly secret: string; readonly bytes?: number } }
  | ((value: unknown, path: readonly (string | number)[]) => unknown)

/** The default censor's text. */
export const DEFAULT_CENSOR = '[REDACTED]'

/** Marks a value to leave out of its object (the `'remove'` censor). */
export const REMOVED: unique symbol = Symbol('rampart.redactor.removed')

/**
 * A compiled censor; `usesPath` when it reads the path (only a function censor does), `fixed`
 * when it gives every value the same answer (a text, or {@link REMOVED}).
 */
export type CensorFn = ((value: unknown, path: readonly (string | number)[]) => unknown) & {
  readonly usesPath?: boolean
  readonly fixed?: string | typeof REMOVED
}

function fixedCensor(answer: string | typeof REMOVED): CensorFn {
  const fixed: { fixed: string | typeof REMOVED } = { fixed: answer }
  return Object.assign(() => answer, fixed)
}

/**
 * Compiles a censor. `partial` keeps the last N characters of strings (as receipts do with card
 * numbers: `************4242`) and never more than a quarter of the string; other values get the
 * default text. A function censor that throws gives the default text.
 */
export function compileCensor(censor: Censor | undefined): CensorFn {
  if (censor === undefined) return fixedCensor(DEFAULT_CENSOR)
  if (censor === 'remove') return fixedCensor(REMOVED)
  if (typeof censor === 'string') return fixedCensor(censor)
  if (typeof censor === 'function') {
    const fn: CensorFn = (value, path) => {
      try {
        return censor(value, path)
      } catch {
        return DEFAULT_CENSOR
      }
    }
    return Object.assign(fn, { usesPath: true })
  }
  if ('hash' in censor) {
    const mac = hmacSha256(censor.hash.secret)
    const bytes = censor.hash.bytes ?? 8
    return (value) => {
      // Strings as they are; anything else by its JSON text, so 1 and '1' differ.
      let text: string
      try {
        text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))
      } catch {
        return DEFAULT_CENSOR
      }
      return `[REDACTED:${hex(mac(text), bytes)}]`
    }
  }
  const keep = censor.partial
  const mask = censor.mask ?? '*'
  return (value) => {
    if (typeof value !== 'string') return DEFAULT_CENSOR
    const shown = Math.min(keep, Math.floor(value.length / 4))
    return mask.repeat(Math.min(value.length - shown, 32)) + value.slice(value.length - shown)
  }
}
