/**
 * Turns a handler's {@link DemoReply} into status, content type and body text: the one part of
 * answering that all three frameworks share.
 * @module
 */
import { PROBLEM_CONTENT_TYPE, problemBody } from '@rampart/core'
import { type DemoReply, problemReply } from '../app/routes.js'

/** A reply ready for the wire. */
export interface WireReply {
  readonly status: number
  readonly contentType?: string
  readonly body?: string
}

/** Renders a reply; a problem gets the request id, as the guards' problems do. */
export function render(reply: DemoReply, requestId: string | undefined): WireReply {
  if ('problem' in reply) {
    return {
      status: reply.status,
      contentType: PROBLEM_CONTENT_TYPE,
      body: problemBody(reply.problem, requestId),
    }
  }
  if ('json' in reply) {
    return {
      status: reply.status,
      contentType: 'application/json; charset=utf-8',
      body: JSON.stringify(reply.json),
    }
  }
  if ('text' in reply)
    return { status: reply.status, contentType: reply.contentType, body: reply.text }
  return { status: reply.status }
}

/** The answer for a path no route serves. */
export const NOT_FOUND = problemReply(
  404,
  'not-found',
  'Not Found',
  'No route serves this method and path.',
)

/** The answer when too many event streams are open. */
export const STREAMS_FULL = problemReply(
  503,
  'too-many-streams',
  'Service Unavailable',
  'Too many event streams are open; try again later.',
)

/** Headers of an event stream: never cached, never buffered by a proxy. */
export const EVENT_STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  'x-accel-buffering': 'no',
} as const
