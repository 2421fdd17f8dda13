/**
 * `safeFilename()`: a client-supplied upload name made safe to use as one path segment on any
 * common file system. Every step is a linear scan; nothing is resolved against a directory.
 * @module
 */

/** Options of {@link safeFilename}. */
export interface SafeFilenameOptions {
  /** Longest result in UTF-8 bytes (most file systems allow 255). Default 255. */
  readonly maxBytes?: number
  /** Replaces characters Windows forbids (`<>:"|?*`). Default `'_'`. */
  readonly replacement?: string
  /** Returned when nothing usable is left (e.g. `'..'`). Default `'file'`. */
  readonly fallback?: string
}

/** Characters that separate path segments somewhere, and their look-alikes. */
const SEPARATORS = new Set([
  0x2f, // /
  0x5c, // \
  0x2215, // ∕ division slash
  0x2044, // ⁄ fraction slash
  0x29f8, // ⧸ big solidus
  0x29f9, // ⧹ big reverse solidus
  0xfe68, // ﹨ small reverse solidus
  0xff0f, // ／ full-width solidus
  0xff3c, // ＼ full-width reverse solidus
])

/** Windows forbids these in names (the separators are handled above). */
const FORBIDDEN = new Set([0x3c, 0x3e, 0x3a, 0x22, 0x7c, 0x3f, 0x2a])

/** Controls, bidirectional overrides and isolates, zero-width and other invisible characters. */
function isDropped(c: number): boolean {
  return (
    c < 0x20 ||
    (c >= 0x7f && c <= 0x9f) ||
    (c >= 0x200b && c <= 0x200f) ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x2064) ||
    (c >= 0x2066 && c <= 0x2069) ||
    c === 0xfeff ||
    c === 0x00ad
  )
}

/** Device names Windows reserves, with or without an extension (`con.txt` too). */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i

const encoder = new TextEncoder()

/** Cuts `s` to at most `max` UTF-8 bytes without splitting a character. */
function cutToBytes(s: string, max: number): string {
  if (encoder.encode(s).length <= max) return s
  let out = ''
  let bytes = 0
  for (const ch of s) {
    const size = encoder.encode(ch).length
    if (bytes + size > max) break
    out += ch
    bytes += size
  }
  return out
}

/**
 * Makes an upload's name safe: the last path segment only (after `/`, `\` and their Unicode
 * look-alikes, once normalised with NFKC), without control, bidi-override or invisible
 * characters, without Windows-forbidden characters, leading dots, or trailing dots and spaces,
 * never a reserved device name (`CON`, `nul.txt`: prefixed with `_`), and at most `maxBytes`
 * UTF-8 bytes with the extension kept. `fallback` when nothing usable is left.
 * @example safeFilename('..\\..\\windows\\system32\\cmd.exe') // 'cmd.exe'
 * @example safeFilename('invoice\u202Efdp.exe') // 'invoicefdp.exe'
 */
export function safeFilename(name: unknown, options: SafeFilenameOptions = {}): string {
  const { maxBytes = 255, replacement = '_', fallback = 'file' } = options
  if (typeof name !== 'string') return fallback
  const normalized = name.normalize('NFKC')
  let start = 0
  for (let i = 0; i < normalized.length; i++) {
    if (SEPARATORS.has(normalized.charCodeAt(i))) start = i + 1
  }
  let out = ''
  for (let i = start; i < normalized.length; i++) {
    const c = normalized.charCodeAt(i)
    if (isDropped(c)) continue
    out += FORBIDDEN.has(c) ? replacement : normalized[i]
  }
  // Leading dots hide a file (and `..` is no name); trailing dots and spaces vanish on Windows.
  let from = 0
  while (from < out.length && (out[from] === '.' || out[from] === ' ')) from++
  let to = out.length
  while (to > from && (out[to - 1] === '.' || out[to - 1] === ' ')) to--
  out = out.slice(from, to)
  if (RESERVED.test(out)) out = `_${out}`
  const dot = out.lastIndexOf('.')
  const extension = dot > 0 && out.length - dot <= 16 ? out.slice(dot) : ''
  if (encoder.encode(out).length > maxBytes) {
    const stem = cutToBytes(
      out.slice(0, out.length - extension.length),
      maxBytes - encoder.encode(extension).length,
    )
    out = stem === '' ? cutToBytes(out, maxBytes) : stem + extension
    while (out.endsWith('.') || out.endsWith(' ')) out = out.slice(0, -1)
  }
  return out === '' ? fallback : out
}
