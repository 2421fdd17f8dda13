/**
 * Staged headers and the response phase for adapters whose framework writes to a Node
 * `ServerResponse` (Express, Koa). Typed structurally so core imports nothing from Node.
 * @module
 */
import type { RequestRun } from '../engine.js'
import type { StagedHeader } from '../staged-headers.js'

type OutgoingHeaders = Record<string, unknown> | unknown[] | undefined

/** The slice of Node's `ServerResponse` the hooks use. */
export interface NodeResponseLike {
  statusCode: number
  readonly headersSent: boolean
  readonly writableFinished: boolean
  writeHead(...args: unknown[]): unknown
  /** Lower-cased names of the headers set so far (Node's `getHeaderNames()`). */
  getHeaderNames(): string[]
  setHeader(name: string, value: string | number | readonly string[]): unknown
  removeHeader(name: string): void
  once(event: 'finish' | 'close', listener: () => void): unknown
}

function headerArg(args: unknown[] | undefined): OutgoingHeaders {
  if (args === undefined) return undefined
  // writeHead(status, headers) or writeHead(status, statusMessage, headers)
  const candidate = typeof args[1] === 'string' ? args[2] : args[1]
  return typeof candidate === 'object' && candidate !== null
    ? (candidate as OutgoingHeaders)
    : undefined
}

function inHeaderArg(headers: OutgoingHeaders, lower: string): boolean {
  if (headers === undefined) return false
  if (Array.isArray(headers)) {
    // Flat [name, value, name, value] or [[name, value], ...]
    for (let i = 0; i < headers.length; i++) {
      const entry = headers[i]
      const name = Array.isArray(entry) ? entry[0] : i % 2 === 0 ? entry : undefined
      if (typeof name === 'string' && name.toLowerCase() === lower) return true
    }
    return false
  }
  for (const name of Object.keys(headers)) if (name.toLowerCase() === lower) return true
  return false
}

function dropFromHeaderArg(headers: OutgoingHeaders, lower: string): void {
  if (headers === undefined || Array.isArray(headers)) return
  for (const name of Object.keys(headers)) if (name.toLowerCase() === lower) delete headers[name]
}

/**
 * Merges staged headers into a Node response right before its head is written: `default`
 * headers only where neither the response nor `writeHead`'s own headers argument has one,
 * `override` and `remove` always.
 */
export function applyToNodeResponse(
  res: NodeResponseLike,
  staged: readonly StagedHeader[],
  args?: unknown[],
): void {
  const explicit = headerArg(args)
  // One getHeaderNames() (already lower-cased) instead of a hasHeader() per staged header, which
  // lower-cases every name again: about a fifth of a securityHeaders() request, measured. Staged keys
  // are unique, so the snapshot cannot go stale for a later entry.
  let present: string[] | undefined
  for (let i = 0; i < staged.length; i++) {
    const header = staged[i] as StagedHeader
    if (header.mode === 'remove') {
      res.removeHeader(header.name)
      dropFromHeaderArg(explicit, header.key)
    } else if (header.mode === 'override') {
      dropFromHeaderArg(explicit, header.key)
      res.setHeader(header.name, header.value)
    } else {
      if (present === undefined) present = res.getHeaderNames()
      if (!present.includes(header.key) && !inHeaderArg(explicit, header.key)) {
        res.setHeader(header.name, header.value)
      }
    }
  }
}

/** Marks a response whose `writeHead` already merges the request's staged headers. */
const STAGING_HOOKED = Symbol.for('rampart.staging-hooked')

/**
 * Wraps this one response's `writeHead` so staged headers are merged whatever writes the head:
 * the handler, a 404, the framework's error handler, or a stream.
 */
export function stageOnNodeResponse(res: NodeResponseLike, run: RequestRun<unknown>): void {
  const hooked = res as { [STAGING_HOOKED]?: true }
  // Runs on one request share their staged list, so one hook serves every rampart() on it.
  if (hooked[STAGING_HOOKED] || run.response.headers.size === 0 || res.headersSent) return
  hooked[STAGING_HOOKED] = true
  const original = res.writeHead
  res.writeHead = function writeHeadWithStagedHeaders(this: unknown, ...args: unknown[]) {
    res.writeHead = original
    applyToNodeResponse(res, run.staged(), args)
    return original.apply(this, args)
  }
}

/** Runs the response phase once, when the response finished or the connection closed. */
export function observeNodeResponse(res: NodeResponseLike, run: RequestRun<unknown>): void {
  let done = false
  const settle = () => {
    if (done) return
    done = true
    void run.runResponse({ status: res.statusCode, aborted: !res.writableFinished })
  }
  res.once('finish', settle)
  res.once('close', settle)
}

/** Writes a denial to a Node response that has not started yet. */
export function writeDenialToNode(
  res: NodeResponseLike & { end(body: string): unknown },
  run: RequestRun<unknown>,
  rendered: ReturnType<RequestRun<unknown>['render']>,
): void {
  if (res.headersSent) return
  res.statusCode = rendered.status
  for (const header of run.staged()) if (header.mode === 'remove') res.removeHeader(header.name)
  for (const [name, value] of rendered.headers) res.setHeader(name, value)
  res.end(rendered.body)
}
