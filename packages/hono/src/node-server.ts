/**
 * What `@hono/node-server` exposes on `c.env` when the app runs there: Node's request and
 * response, read structurally (this adapter imports nothing of Node). Elsewhere both are
 * `undefined` and the adapter uses the Fetch objects.
 * @module
 */
import type { NodeResponseLike } from '@rampart/core/adapter'
import type { Context } from 'hono'

/** Node's request under @hono/node-server. */
export interface NodeIncoming {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  readonly socket?: { readonly remoteAddress?: string }
}

type NodeBindings = { incoming?: unknown; outgoing?: unknown }

/** `c.env.incoming` / `c.env.outgoing`, or the same under `c.env.server` (Bun-style bindings). */
function binding(c: Context, name: keyof NodeBindings): unknown {
  const env = c.env as (NodeBindings & { server?: NodeBindings }) | undefined
  return env?.server?.[name] ?? env?.[name]
}

/** The Node request, when the app runs on @hono/node-server. */
export function nodeIncoming(c: Context): NodeIncoming | undefined {
  const incoming = binding(c, 'incoming') as Partial<NodeIncoming> | undefined
  return typeof incoming?.headers === 'object' && incoming.headers !== null
    ? (incoming as NodeIncoming)
    : undefined
}

/** The Node response, when the app runs on @hono/node-server. */
export function nodeOutgoing(c: Context): NodeResponseLike | undefined {
  const outgoing = binding(c, 'outgoing') as Partial<NodeResponseLike> | undefined
  return typeof outgoing?.once === 'function' &&
    typeof outgoing.statusCode === 'number' &&
    typeof outgoing.writableFinished === 'boolean'
    ? (outgoing as NodeResponseLike)
    : undefined
}
