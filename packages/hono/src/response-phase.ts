/**
 * The response phase in Hono: run it when the body has been fully handed to the runtime (or the
 * client went away), as the Node adapters do on `finish`/`close`, without delaying the response.
 * @module
 */
import type { RequestRun } from '@rampart/core'
import { observeNodeResponse } from '@rampart/core/adapter'
import type { Context } from 'hono'
import { nodeOutgoing } from './node-server.js'

/** Keeps a promise alive on runtimes with an execution context (Workers); elsewhere it just runs. */
export function settleLater(c: Context, pending: Promise<void>): void {
  try {
    c.executionCtx.waitUntil(pending)
  } catch {
    // No execution context (Node, Bun): the promise runs to completion on its own.
  }
}

/**
 * Runs the response phase once the response is done. On Node, when the Node response finished
 * (`aborted: false`) or the connection closed first (`aborted: true`), as the Express and Koa
 * adapters do. Elsewhere, wraps the body so the phase runs once it has been read to the end or
 * cancelled by a disconnecting client.
 */
export function observeResponse(c: Context, run: RequestRun<Context>): void {
  // Watching Node's response is free; wrapping the body (below) would cost @hono/node-server
  // its fast path for ready-made bodies, several times the cost of a small JSON answer.
  const outgoing = nodeOutgoing(c)
  if (outgoing !== undefined) {
    observeNodeResponse(outgoing, run as RequestRun<unknown>)
    return
  }
  const res = c.res
  const status = res.status
  const body = res.body
  let settled = false
  const settle = (aborted: boolean) => {
    if (settled) return
    settled = true
    settleLater(c, run.runResponse({ status, aborted }))
  }
  if (body === null) {
    settle(false)
    return
  }
  const reader = body.getReader()
  const watched = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read()
        if (done) {
          controller.close()
          settle(false)
        } else {
          controller.enqueue(value)
        }
      } catch (error) {
        controller.error(error)
        settle(true)
      }
    },
    cancel(reason) {
      settle(true)
      return reader.cancel(reason)
    },
  })
  c.res = undefined
  c.res = new Response(watched, res)
}
