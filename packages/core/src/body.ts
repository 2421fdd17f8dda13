/**
 * Body reading and parsing for adapters when no framework parser ran. Web-standard only.
 * @module
 */
import { ProblemError, problem, problems } from './problem.js'

/** Default cap on a body the adapter reads itself: 1 MiB, as body-parser's default is 100 kB-1 MB. */
export const DEFAULT_BODY_LIMIT = 1_048_576

/**
 * Collects an async iterable of byte chunks (a Node stream or a Web `ReadableStream`) into one
 * buffer, refusing more than `limit` bytes with a 413 problem as soon as the limit is crossed.
 */
export async function collectBody(
  chunks: AsyncIterable<Uint8Array | string>,
  limit: number,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  let total = 0
  const encoder = new TextEncoder()
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk
    total += bytes.byteLength
    if (total > limit) throw new ProblemError(problems.bodyTooLarge(limit))
    parts.push(bytes)
  }
  if (parts.length === 1) return parts[0] as Uint8Array
  const out = new Uint8Array(total)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.byteLength
  }
  return out
}

/** Throws a 413 problem when a declared `Content-Length` already exceeds the limit. */
export function checkDeclaredLength(contentLength: string | null, limit: number): void {
  if (contentLength === null) return
  const length = Number(contentLength)
  if (Number.isFinite(length) && length > limit)
    throw new ProblemError(problems.bodyTooLarge(limit))
}

function mediaType(contentType: string | null): string {
  if (contentType === null) return ''
  const semi = contentType.indexOf(';')
  return (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase()
}

/**
 * Parses urlencoded pairs (a form body, or a query string with or without its `?`) into a
 * null-prototype object; repeated names become arrays, in order.
 * @example parseUrlencoded('?a=1&a=2&b=x') // { a: ['1', '2'], b: 'x' }
 */
export function parseUrlencoded(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null)
  for (const [key, value] of new URLSearchParams(text)) {
    const existing = out[key]
    if (existing === undefined) out[key] = value
    else if (Array.isArray(existing)) existing.push(value)
    else out[key] = [existing, value]
  }
  return out
}

const decoder = new TextDecoder('utf-8', { fatal: true })

/**
 * Parses raw bytes by media type: JSON (`application/json`, `*+json`), urlencoded forms and
 * `text/*`. Other types yield `undefined` (the raw bytes stay available). Malformed input or a
 * compressed body is a 400/415 problem, never an exception that escapes as a 500.
 */
export function parseBody(
  bytes: Uint8Array | undefined,
  contentType: string | null,
  contentEncoding: string | null,
): unknown {
  if (bytes === undefined || bytes.byteLength === 0) return undefined
  const type = mediaType(contentType)
  const isJson = type === 'application/json' || type.endsWith('+json')
  const isForm = type === 'application/x-www-form-urlencoded'
  const isText = type.startsWith('text/')
  if (!isJson && !isForm && !isText) return undefined
  if (contentEncoding !== null && contentEncoding.trim().toLowerCase() !== 'identity') {
    throw new ProblemError(
      problem(415, 'unsupported-encoding', 'Unsupported Media Type', {
        detail: 'Compressed request bodies are not accepted here.',
      }),
    )
  }
  let text: string
  try {
    text = decoder.decode(bytes)
  } catch {
    throw new ProblemError(problems.malformedBody('The request body is not valid UTF-8.'))
  }
  if (isForm) return parseUrlencoded(text)
  if (isText) return text
  try {
    return JSON.parse(text)
  } catch {
    throw new ProblemError(problems.malformedBody('The request body is not valid JSON.'))
  }
}

/** Parses a size such as `1048576`, `'100kb'` or `'1mb'` into bytes, or `undefined` if invalid. */
export function parseByteSize(input: number | string): number | undefined {
  if (typeof input === 'number')
    return Number.isSafeInteger(input) && input >= 0 ? input : undefined
  const match = /^(\d+)\s?(b|kb|mb|gb)?$/i.exec(input.trim())
  if (!match) return undefined
  const scale = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[
    (match[2] ?? 'b').toLowerCase() as 'b' | 'kb' | 'mb' | 'gb'
  ]
  const bytes = Number(match[1]) * scale
  return Number.isSafeInteger(bytes) ? bytes : undefined
}
