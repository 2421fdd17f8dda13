/**
 * PEM-armoured private keys (RFC 7468, OpenSSH, PGP): the whole block, from `-----BEGIN` to the
 * matching `-----END … PRIVATE KEY-----`. Certificates and public keys are left alone.
 * @module
 */
import { B64, BACKSLASH, DIGIT, EQ, is, SPACE, UPPER } from './chars.js'
import { type Finding, finding } from './ids.js'

/** The longest block looked at (a 4096-bit RSA key is about 3.3 KiB). */
export const MAX_PEM = 16 * 1024
/** The longest label read (`ENCRYPTED PRIVATE KEY`, `PGP PRIVATE KEY BLOCK`...). */
const MAX_LABEL = 64
const END_MARKER = '-----END '

/**
 * Where the next `-----END ` is, remembered across the candidates of one scan: each search starts
 * past the last one found, so many `-----BEGIN` lines cost one pass over the text, not one each.
 */
export interface PemMemo {
  /** Where the last search started; -1 before the first. */
  from: number
  /** What it found: the marker's index, or -1 for none. */
  at: number
}

/** A fresh memo for one scan. */
export function pemMemo(): PemMemo {
  return { from: -1, at: -1 }
}

/** The first `-----END ` at or after `from` (which only grows during a scan). */
function nextEnd(text: string, from: number, memo: PemMemo): number {
  if (memo.from < 0 || (memo.at >= 0 && memo.at < from)) {
    memo.from = from
    memo.at = text.indexOf(END_MARKER, from)
  }
  return memo.at
}

/** Key material after a header that lost its END: base64, padding, blanks and `\n` escapes. */
function isBody(c: number): boolean {
  return (
    is(c, B64) ||
    c === EQ ||
    c === SPACE ||
    c === 0x0a ||
    c === 0x0d ||
    c === 0x09 ||
    c === BACKSLASH
  )
}

/**
 * The private-key block whose first dash is at `i`, or `undefined`. A header whose END is missing
 * (a log line cut short, or the scan's limit) still reports the header and the key material that
 * follows it: a truncated key is a leaked key.
 */
export function matchPem(text: string, i: number, memo: PemMemo): Finding | undefined {
  if (!text.startsWith('----BEGIN ', i + 1)) return undefined
  const labelStart = i + 11
  let j = labelStart
  while (
    j - labelStart < MAX_LABEL &&
    (is(text.charCodeAt(j), UPPER | DIGIT) || text.charCodeAt(j) === SPACE)
  )
    j++
  if (!text.startsWith('-----', j)) return undefined
  const label = text.slice(labelStart, j)
  if (!label.endsWith('PRIVATE KEY') && !label.endsWith('PRIVATE KEY BLOCK')) return undefined
  const body = j + 5
  const end = nextEnd(text, body, memo)
  if (end >= 0) {
    const close = end + END_MARKER.length + label.length + 5
    if (
      close - i <= MAX_PEM &&
      text.startsWith(label, end + END_MARKER.length) &&
      text.startsWith('-----', close - 5)
    ) {
      return finding('pem-private-key', i, close)
    }
  }
  const max = Math.min(text.length, i + MAX_PEM)
  let k = body
  while (k < max && isBody(text.charCodeAt(k))) k++
  // Keep the line break (or blank) after the material out of the span.
  while (k > body && (text.charCodeAt(k - 1) <= SPACE || text.charCodeAt(k - 1) === BACKSLASH)) k--
  return finding('pem-private-key', i, k)
}
