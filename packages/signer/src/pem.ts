/**
 * PEM: the base64 DER inside `-----BEGIN …-----` armour, for the key formats Web Crypto imports
 * (SPKI public keys, PKCS #8 private keys).
 * @module
 */
import { fromBase64 } from './bytes.js'

/** A PEM block's label and DER bytes. */
export interface PemBlock {
  readonly label: string
  readonly der: Uint8Array
}

/** Reads the first PEM block of `text`; `undefined` when there is none or it is malformed. */
export function readPem(text: string): PemBlock | undefined {
  const begin = /-----BEGIN ([A-Z0-9 ]{1,40})-----/.exec(text)
  if (begin === null) return undefined
  const label = begin[1] as string
  const start = begin.index + begin[0].length
  const end = text.indexOf(`-----END ${label}-----`, start)
  if (end === -1) return undefined
  let body = ''
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i)
    // Line breaks and spaces inside the armour are layout, not data.
    if (c !== 10 && c !== 13 && c !== 32 && c !== 9) body += text[i]
  }
  const der = fromBase64(body)
  return der === undefined ? undefined : { label, der }
}
