/**
 * Raw body bytes kept beside an Express request, for guards such as the signer that need the
 * exact bytes even when `express.json()` ran first.
 * @module
 */
import type { IncomingMessage } from 'node:http'

const rawBodies = new WeakMap<IncomingMessage, Uint8Array>()

/**
 * body-parser `verify` hook that keeps the raw bytes for Rampart guards. The one-line set-up when
 * a parser runs before `rampart()`:
 *
 * ```ts
 * app.use(express.json({ verify: captureRawBody }))
 * ```
 */
export function captureRawBody(req: IncomingMessage, _res: unknown, buf: Uint8Array): void {
  rawBodies.set(req, buf)
}

/** Stores bytes the adapter read itself. */
export function rememberRawBody(req: IncomingMessage, bytes: Uint8Array): void {
  rawBodies.set(req, bytes)
}

/** The raw bytes kept for a request, if any. */
export function rawBodyOf(req: IncomingMessage): Uint8Array | undefined {
  return rawBodies.get(req)
}
