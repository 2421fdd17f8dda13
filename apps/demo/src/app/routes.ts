/**
 * The demo's routes as plain data: a method, a path, the guards in front of it and a handler
 * that knows nothing of Express, Koa or Hono. Each framework's wiring (`src/http/`) registers the
 * same table with its own adapter, which is the point of the demo: the app logic is written once.
 * @module
 */
import type { Guard, Problem, StateKey } from '@rampart/core'

/** HTTP methods the demo serves. */
export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'

/** What a handler gets: the route params and the guards' state. */
export interface DemoRequest {
  /** Route params (`:id`), as the framework's router matched them. */
  readonly params: Readonly<Record<string, string | undefined>>
  /** A guard's state for this request (the adapter's `getState`). */
  get<T>(key: StateKey<T>): T | undefined
}

/** What a handler answers. */
export type DemoReply =
  | { readonly status: number; readonly json: unknown }
  | { readonly status: number; readonly problem: Problem }
  | { readonly status: number; readonly text: string; readonly contentType: string }
  | { readonly status: 204 }

/** One route. */
export interface DemoRoute {
  readonly method: Method
  /** `/api/partners/:id`: the syntax Express, Koa's router and Hono share. */
  readonly path: string
  readonly guards: readonly Guard[]
  readonly handle: (request: DemoRequest) => DemoReply | Promise<DemoReply>
}

/** Writes one event-stream chunk; the framework's wiring provides it. */
export type StreamWriter = (chunk: string) => void

/** `GET /events`: opens a stream with `write`, returns the function that closes it. */
export type StreamOpener = (write: StreamWriter) => () => void

/** A JSON reply. */
export const json = (status: number, body: unknown): DemoReply => ({ status, json: body })

/** A problem reply (RFC 9457), with the demo's own problem type. */
export function problemReply(status: number, slug: string, title: string, detail: string) {
  const problem: Problem = { type: `urn:rampart-demo:problem:${slug}`, title, status, detail }
  return { status, problem } satisfies DemoReply
}
