/**
 * The response phase in Hono: run it when the body has been fully handed to the runtime (or the
 * client went away), as the Node adapters do on `finish`/`close`, without delaying the response.
 * @module
 */
import type { RequestRun } from '@rampart/core'
import type { Context } from 'hono'

/** Keeps a promise alive on runtimes with an execution context (Workers); elsewhere it just runs. */
export function settleLater(c: Context, pending: Promise<void>): void {
  try {
    c.executionCtx.waitUntil(pending)
  } catch {
    // No execution context (Node, Bun): the promise runs to completion on its own.
  }
}

/**
 * Wraps the response body so the response phase runs once it has been read to the end
 * (`aborted: false`) or cancelled by a disconnecting client (`aborted: true`).
 */
export function observeResponse(c: Context, run: RequestRun<Context>): void {
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
