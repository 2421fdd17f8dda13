/**
 * State keys `@rampart/headers` attaches for handlers.
 * @module
 */
import { stateKey } from '@rampart/core'

/**
 * The request's CSP nonce, when `nonce: true`. Read it with your adapter's accessor and put it
 * on inline `<script nonce="…">` and `<style nonce="…">` tags:
 * `getState(req, cspNonce)` (Express), `getState(ctx, cspNonce)` (Koa), `getState(c, cspNonce)` (Hono).
 */
export const cspNonce = stateKey<string>('cspNonce')
