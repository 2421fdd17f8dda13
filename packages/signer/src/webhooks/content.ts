/**
 * The bytes a webhook MAC or signature covers: an ASCII prefix (`id.timestamp.` or
 * `timestamp.`) followed by the raw body. The body is concatenated as bytes, never decoded to a
 * string and re-encoded, so a body that is not valid UTF-8 is still verified exactly as sent.
 * @module
 */

import { asBytes, type Bytes, utf8 } from '../bytes.js'

/**
 * A fresh buffer holding `prefix` (UTF-8) then `body`. Only the bytes `body` covers are copied,
 * so a view into a larger pooled buffer (non-zero `byteOffset`) works. A string body is UTF-8
 * encoded (for senders; verifiers pass the bytes they received).
 */
export function signedContent(prefix: string, body: Bytes | string): Uint8Array<ArrayBuffer> {
  const head = utf8(prefix)
  const tail = typeof body === 'string' ? utf8(body) : asBytes(body)
  const out = new Uint8Array(head.length + tail.length)
  out.set(head, 0)
  out.set(tail, head.length)
  return out
}
