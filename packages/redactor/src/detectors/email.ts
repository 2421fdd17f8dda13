/**
 * E-mail addresses as people write them: `local@domain.tld`, found from the `@`. The local part
 * is read backwards and the domain forwards, each within the RFC 5321 limits (64 and 253
 * characters), so every candidate costs a bounded amount whatever surrounds it.
 * @module
 */
import { AT, COLON, DOT, EMAIL_LOCAL, HOST, is, LOWER, SLASH, UPPER, URL_BREAK } from './chars.js'
import { type Finding, finding } from './ids.js'

const MAX_LOCAL = 64
const MAX_DOMAIN = 253
const MAX_LABEL = 63

/**
 * Whether the local part starting at `start` is a URL's user name (`https://user@host`,
 * `https://user:password@host`): that is URL userinfo, not an address.
 */
function isUserinfo(text: string, start: number): boolean {
  let k = start
  if (text.charCodeAt(k - 1) === COLON) {
    k--
    const floor = k - MAX_LOCAL
    while (k > floor && k > 0 && !is(text.charCodeAt(k - 1), URL_BREAK)) {
      const c = text.charCodeAt(k - 1)
      if (c === SLASH || c === AT) break
      k--
    }
  }
  return text.charCodeAt(k - 1) === SLASH
}

/**
 * The end of a domain name starting at `from`: dot-separated labels of letters, digits and
 * hyphens, at least two, the last one (the TLD) two or more letters; -1 when there is none. A
 * trailing dot (the end of a sentence) is left out.
 */
function domainEnd(text: string, from: number): number {
  const max = Math.min(text.length, from + MAX_DOMAIN + 1)
  let end = from
  while (end < max && is(text.charCodeAt(end), HOST)) end++
  if (end - from > MAX_DOMAIN) return -1
  while (end > from && text.charCodeAt(end - 1) === DOT) end--
  let label = from
  let dots = 0
  let letters = true
  for (let j = from; j < end; j++) {
    const c = text.charCodeAt(j)
    if (c === DOT) {
      if (j === label || j - label > MAX_LABEL) return -1
      dots++
      label = j + 1
      letters = true
    } else if (!is(c, UPPER | LOWER)) {
      letters = false
    }
  }
  // The last label is the top-level domain: letters only, so `lodash@4.17.21` is no address.
  if (dots === 0 || !letters || end - label < 2 || end - label > MAX_LABEL) return -1
  return end
}

/** The e-mail address around the `@` at `i`, or `undefined`. */
export function matchEmail(text: string, i: number): Finding | undefined {
  let start = i
  while (i - start <= MAX_LOCAL && is(text.charCodeAt(start - 1), EMAIL_LOCAL)) start--
  if (i - start > MAX_LOCAL) return undefined
  while (start < i && text.charCodeAt(start) === DOT) start++
  if (start === i || text.charCodeAt(i - 1) === DOT || isUserinfo(text, start)) return undefined
  const end = domainEnd(text, i + 1)
  return end < 0 ? undefined : finding('email', start, end)
}
