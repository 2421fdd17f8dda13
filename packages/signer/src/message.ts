/**
 * The view of an HTTP message the signature base is built from: the target's parts as received
 * (never re-encoded), the status of a response, and the field lines by name.
 * @module
 */

/** An HTTP message as the signature base reads it. */
export interface HttpMessage {
  /** Request method (`@method`), as sent. */
  readonly method?: string
  /** Request target, in parts as received: `https`, `example.com:8443`, `/a%20b`, `x=1` (no `?`). */
  readonly target?: {
    readonly scheme: string
    readonly authority: string
    readonly path: string
    /** The query without its `?`; `undefined` when the target has none. */
    readonly query: string | undefined
  }
  /** Response status (`@status`). */
  readonly status?: number
  /**
   * The values of the field lines named `name` (lower case), in order, each without leading and
   * trailing whitespace; `undefined` when the message has no such field.
   */
  fields(name: string): readonly string[] | undefined
}

/** Field lines read from a `Headers`-like getter, which joins repeated lines with `, `. */
export function fieldsFrom(get: (name: string) => string | null): HttpMessage['fields'] {
  return (name) => {
    const value = get(name)
    return value === null ? undefined : [value.trim()]
  }
}

/** The target of a `URL`, in parts. */
export function targetOf(url: URL): NonNullable<HttpMessage['target']> {
  return {
    scheme: url.protocol.slice(0, -1).toLowerCase(),
    authority: url.host.toLowerCase(),
    path: url.pathname === '' ? '/' : url.pathname,
    // `search` is empty both for no query and for a lone `?`; the href tells them apart.
    query: url.search !== '' ? url.search.slice(1) : hasLoneQuestionMark(url) ? '' : undefined,
  }
}

function hasLoneQuestionMark(url: URL): boolean {
  const beforeHash = url.hash === '' ? url.href : url.href.slice(0, -url.hash.length)
  return beforeHash.endsWith('?')
}

/** A Web `Request` as a message. */
export function requestMessage(request: Request): HttpMessage {
  return {
    method: request.method,
    target: targetOf(new URL(request.url)),
    fields: fieldsFrom((name) => request.headers.get(name)),
  }
}

/** A Web `Response` as a message. */
export function responseMessage(response: Response): HttpMessage {
  return { status: response.status, fields: fieldsFrom((name) => response.headers.get(name)) }
}
