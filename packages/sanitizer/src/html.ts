/**
 * The opt-in allow-list HTML sanitiser for fields declared rich text. Safe by construction: the
 * output is rebuilt from scratch — allowed tags written by us with quoted, escaped attribute
 * values; everything else is text, fully escaped. Whatever the input's markup tricks (unclosed
 * quotes, odd comments, `<svg>` namespaces), nothing but the allowed tags can come out, so no
 * parser differential between this scanner and a browser can produce markup. One linear pass.
 * @module
 */

/** Allowed tags and, per tag, allowed attributes. */
export type HtmlAllowList = Readonly<Record<string, readonly string[]>>

/** What rich-text fields may keep by default: text formatting, lists, quotes, links. */
export const DEFAULT_HTML_ALLOW: HtmlAllowList = {
  p: [],
  br: [],
  b: [],
  strong: [],
  i: [],
  em: [],
  u: [],
  s: [],
  ul: [],
  ol: [],
  li: [],
  blockquote: [],
  code: [],
  pre: [],
  a: ['href', 'title'],
}

/** Tags that have no closing tag. */
const VOID = new Set(['br', 'hr', 'img', 'wbr'])

/** Tags whose whole content is dropped with them (never shown as text). */
const DROP_CONTENT = new Set([
  'script',
  'style',
  'template',
  'iframe',
  'object',
  'noscript',
  'textarea',
  'title',
  'xmp',
])

/** URL attributes, and the schemes they may use. */
const URL_ATTRIBUTES = new Set(['href', 'src', 'cite'])
const SAFE_SCHEMES = ['http:', 'https:', 'mailto:']

function escapeText(s: string): string {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string
    if (c === '&') out += '&amp;'
    else if (c === '<') out += '&lt;'
    else if (c === '>') out += '&gt;'
    else if (c === '"') out += '&quot;'
    else if (c === "'") out += '&#39;'
    else out += c
  }
  return out
}

/** Decodes the character references a URL scheme could hide behind (`&#106;avascript:`). */
function decodeEntities(s: string): string {
  if (!s.includes('&')) return s
  let out = ''
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '&') {
      out += s[i]
      continue
    }
    let j = i + 1
    let numeric = false
    let hex = false
    if (s[j] === '#') {
      numeric = true
      j++
      if (s[j] === 'x' || s[j] === 'X') {
        hex = true
        j++
      }
    }
    const start = j
    while (j < s.length && j - start < 10 && /[0-9A-Za-z]/.test(s[j] as string)) j++
    const body = s.slice(start, j)
    if (numeric && body !== '') {
      const code = Number.parseInt(body, hex ? 16 : 10)
      out += Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : ''
    } else if (body === 'colon') {
      out += ':'
    } else if (body === 'Tab' || body === 'NewLine') {
      out += ''
    } else {
      out += s.slice(i, j)
    }
    i = s[j] === ';' ? j : j - 1
  }
  return out
}

/** Whether a URL is relative or uses an allowed scheme, after the tricks browsers forgive. */
function isSafeUrl(raw: string): boolean {
  let url = ''
  for (const ch of decodeEntities(raw)) {
    const c = ch.charCodeAt(0)
    // Browsers ignore controls and whitespace inside a scheme (`java\tscript:`).
    if (c > 0x20 && c !== 0x7f) url += ch
  }
  const colon = url.indexOf(':')
  if (colon === -1) return true
  const slash = url.search(/[/?#]/)
  if (slash !== -1 && slash < colon) return true
  const scheme = url.slice(0, colon + 1).toLowerCase()
  return SAFE_SCHEMES.includes(scheme)
}

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 12 || c === 13
}

/** One parsed tag. */
interface Tag {
  readonly name: string
  readonly closing: boolean
  readonly attributes: readonly (readonly [string, string])[]
  /** Index just past the tag's `>`. */
  readonly end: number
}

/** A tag that runs to the end of the input: browsers drop it, and so does the scan. */
const UNTERMINATED = 'unterminated'

/**
 * Reads a tag at `at` (which holds `<`): the tag, `undefined` when `<` does not start one (it is
 * then text), or {@link UNTERMINATED}. Like a browser's tokenizer it never rescans: a quoted
 * value runs to its closing quote whatever it holds, so each character is read once.
 */
function readTag(s: string, at: number): Tag | undefined | typeof UNTERMINATED {
  let i = at + 1
  const closing = s[i] === '/'
  if (closing) i++
  const nameStart = i
  if (!/[A-Za-z]/.test(s[i] ?? '')) return undefined
  while (i < s.length && isNameChar(s.charCodeAt(i))) i++
  const name = s.slice(nameStart, i).toLowerCase()
  const attributes: [string, string][] = []
  while (i < s.length) {
    while (i < s.length && (isSpace(s.charCodeAt(i)) || s[i] === '/')) i++
    if (i >= s.length) return UNTERMINATED
    if (s[i] === '>') return { name, closing, attributes, end: i + 1 }
    const attrStart = i
    while (
      i < s.length &&
      !isSpace(s.charCodeAt(i)) &&
      s[i] !== '=' &&
      s[i] !== '>' &&
      s[i] !== '/'
    )
      i++
    const attr = s.slice(attrStart, i).toLowerCase()
    while (i < s.length && isSpace(s.charCodeAt(i))) i++
    let value = ''
    if (s[i] === '=') {
      i++
      while (i < s.length && isSpace(s.charCodeAt(i))) i++
      const quote = s[i]
      if (quote === '"' || quote === "'") {
        const close = s.indexOf(quote, i + 1)
        if (close === -1) return UNTERMINATED
        value = s.slice(i + 1, close)
        i = close + 1
      } else {
        const valueStart = i
        while (i < s.length && !isSpace(s.charCodeAt(i)) && s[i] !== '>') i++
        value = s.slice(valueStart, i)
      }
    }
    if (attr !== '') attributes.push([attr, value])
  }
  return UNTERMINATED
}

/**
 * Keeps only allowed tags and attributes; every other tag is removed (its text kept, except
 * `script`, `style` and the like, whose content goes too), comments and doctypes are removed, a
 * tag cut off by the end of the input is dropped with the rest (as browsers do),
 * text is escaped, URL attributes keep only relative, `http(s):` and `mailto:` URLs, and links
 * get `rel="noopener noreferrer nofollow"`. Tags left open are closed at the end.
 */
export function sanitizeHtml(input: string, allow: HtmlAllowList = DEFAULT_HTML_ALLOW): string {
  let out = ''
  const open: string[] = []
  let i = 0
  let text = 0
  let lower: string | undefined
  const flushText = (to: number) => {
    if (to > text) out += escapeText(input.slice(text, to))
  }
  while (i < input.length) {
    const lt = input.indexOf('<', i)
    if (lt === -1) break
    if (input.startsWith('<!--', lt)) {
      flushText(lt)
      const end = input.indexOf('-->', lt + 4)
      i = end === -1 ? input.length : end + 3
      text = i
      continue
    }
    if (input[lt + 1] === '!' || input[lt + 1] === '?') {
      flushText(lt)
      const end = input.indexOf('>', lt)
      i = end === -1 ? input.length : end + 1
      text = i
      continue
    }
    const tag = readTag(input, lt)
    if (tag === undefined) {
      i = lt + 1
      continue
    }
    if (tag === UNTERMINATED) {
      // Browsers drop a tag cut off by the end of the input; nothing after `<` is output.
      flushText(lt)
      text = input.length
      break
    }
    flushText(lt)
    i = tag.end
    text = i
    if (!tag.closing && DROP_CONTENT.has(tag.name)) {
      // Skip to the matching close tag, case-insensitively; the content is never output.
      lower ??= input.toLowerCase()
      const close = lower.indexOf(`</${tag.name}`, i)
      const end = close === -1 ? -1 : input.indexOf('>', close)
      i = end === -1 ? input.length : end + 1
      text = i
      continue
    }
    const allowed = allow[tag.name]
    if (allowed === undefined) continue
    if (tag.closing) {
      const at = open.lastIndexOf(tag.name)
      if (at === -1) continue
      while (open.length > at) out += `</${open.pop()}>`
      continue
    }
    let attributes = ''
    for (const [name, value] of tag.attributes) {
      if (!allowed.includes(name)) continue
      if (URL_ATTRIBUTES.has(name) && !isSafeUrl(value)) continue
      attributes += ` ${name}="${escapeText(decodeEntities(value))}"`
    }
    if (tag.name === 'a') attributes += ' rel="noopener noreferrer nofollow"'
    out += `<${tag.name}${attributes}>`
    if (!VOID.has(tag.name)) open.push(tag.name)
  }
  flushText(input.length)
  while (open.length > 0) out += `</${open.pop()}>`
  return out
}
