/**
 * The per-request check of a function directive value: the one piece of CSP work that cannot
 * happen at construction. It is a single pass over the returned string.
 * @module
 */
import type { SecurityContext } from '@rampart/core'
import type { FunctionSlot } from './segments.js'
import { SOURCE_KEYWORDS } from './source-expression.js'

/** What is wrong with a returned value, or `undefined`. One pass, no allocation when valid. */
function problem(value: string): string | undefined {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c === 0x3b) return 'contains ";", which would end the directive'
    if (c === 0x2c) return 'contains ",", which would start a second policy'
    if (c === 0x0d || c === 0x0a)
      return 'contains a line break (CR or LF), which would inject a header'
    if (c < 0x20 || c > 0x7e)
      return 'contains a control or non-ASCII character, which cannot go in a header'
  }
  // helmet's check on returned values: an unquoted keyword, nonce or hash is a host name.
  if (
    SOURCE_KEYWORDS.has(value) ||
    value.startsWith('nonce-') ||
    value.startsWith('sha256-') ||
    value.startsWith('sha384-') ||
    value.startsWith('sha512-')
  ) {
    return `is a keyword, nonce or hash without its single quotes (write "'${value}'")`
  }
  return undefined
}

/** Shortens a returned value for an error message (it may be long or partly user-supplied). */
function excerpt(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)
}

/**
 * Calls a function directive value and checks what it returned.
 * @throws Error naming the directive and option path when the function throws, returns a
 * non-string, or returns a value that could break or inject into the header. The guard turns
 * this into a 500 and a `guard.failed` event; the message is for logs, never for clients.
 */
export function evaluateFunctionSlot(slot: FunctionSlot, ctx: SecurityContext): string {
  let value: unknown
  try {
    value = slot.fn(ctx)
  } catch (cause) {
    throw new Error(
      `Content-Security-Policy: the ${slot.directive} function at ${slot.path} threw: ${String(cause)}`,
      { cause },
    )
  }
  if (typeof value !== 'string') {
    throw new Error(
      `Content-Security-Policy: the ${slot.directive} function at ${slot.path} returned ${typeof value}, expected a string`,
    )
  }
  const wrong = problem(value)
  if (wrong !== undefined) {
    throw new Error(
      `Content-Security-Policy: the ${slot.directive} function at ${slot.path} returned ${excerpt(value)}, which ${wrong}; the header was not sent`,
    )
  }
  return value
}
