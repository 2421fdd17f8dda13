/**
 * `verifySignature()`: the server guard. It verifies the request's RFC 9421 signature against
 * the policy, checks `Content-Digest` over the raw body, claims the nonce, and hands the key's
 * principal to later guards and the handler.
 * @module
 */
import {
  defineGuard,
  type Guard,
  isStoreUnavailableError,
  type SecurityContext,
  stateKey,
} from '@rampart/core'
import './events.js'
import type { HttpMessage } from './message.js'
import { resolveOptions, type VerifySignatureOptions } from './options.js'
import { signatureRejected, signerMisconfigured, signerUnavailable } from './problems.js'
import { RawBodyUnavailableError, type VerifiedSignature, verifyMessage } from './verify.js'

/** The verified signature, for the handler (`getState(req, verifiedSignature)`). */
export const verifiedSignature = stateKey<VerifiedSignature>('verifiedSignature')

/** Warning code when the raw body is gone before the guard runs. */
export const WARN_RAW_BODY = 'RAMPART_SIGNER_RAW_BODY_UNAVAILABLE'

/** The request as the signature base reads it. */
export function contextMessage(ctx: SecurityContext): HttpMessage {
  const search = ctx.url.search
  return {
    method: ctx.method,
    target: {
      scheme: ctx.url.protocol.slice(0, -1),
      authority: ctx.url.host,
      path: ctx.path === '' ? '/' : ctx.path,
      query: search === '' ? undefined : search.slice(1),
    },
    fields(name) {
      const value = ctx.headers.get(name)
      return value === null ? undefined : [value.trim()]
    },
  }
}

/** Whether the request carries content (a declared length above zero, or chunked). */
export function hasContent(ctx: SecurityContext): boolean {
  const length = ctx.headers.get('content-length')
  if (length !== null) return length.trim() !== '0'
  return ctx.headers.has('transfer-encoding')
}

/**
 * The answer when the raw body is gone (a parser before the guard kept no bytes): a 500 and a
 * one-time warning naming the fix, never a check of re-serialised content.
 */
export function denyWithoutRawBody(ctx: SecurityContext, error: RawBodyUnavailableError): void {
  ctx.warnOnce(WARN_RAW_BODY, error.message)
  ctx.deny(signerMisconfigured)
}

/**
 * A guard that admits only requests carrying a valid RFC 9421 signature by a known key. Refusals
 * are 401 problems naming the failure code; the principal of the key becomes the request's.
 * @throws RampartConfigError (`ERR_RAMPART_SIGNER_CONFIG`) for an invalid option or key entry.
 * @example
 * app.post('/orders', rampart(verifySignature({ keys: [{ id: 'partner-1', alg: 'ed25519', key: publicPem }] })), handler)
 */
export function verifySignature(options: VerifySignatureOptions): Guard {
  const { policy } = resolveOptions(options)
  return defineGuard({
    name: 'verify-signature' as const,
    async request(ctx: SecurityContext): Promise<void> {
      let result: Awaited<ReturnType<typeof verifyMessage>>
      try {
        result = await verifyMessage(
          {
            message: contextMessage(ctx),
            hasBody: hasContent(ctx),
            body: () => ctx.rawBody(),
            ip: ctx.ip,
            now: ctx.now(),
          },
          policy,
        )
      } catch (error) {
        if (error instanceof RawBodyUnavailableError) {
          denyWithoutRawBody(ctx, error)
          ctx.emit('signature.rejected', { code: 'raw-body-unavailable', reason: error.message })
          return
        }
        if (isStoreUnavailableError(error)) {
          ctx.deny(signerUnavailable)
          return
        }
        throw error
      }
      if (!result.ok) {
        const { code, reason, label, keyid } = result
        ctx.emit('signature.rejected', {
          code,
          reason,
          ...(label === undefined ? {} : { label }),
          ...(keyid === undefined ? {} : { keyid }),
        })
        ctx.deny(signatureRejected(code))
        return
      }
      ctx.state.set(verifiedSignature, result)
      if (result.principal !== undefined) ctx.setPrincipal(result.principal)
      ctx.emit('signature.verified', { keyid: result.keyid, label: result.label, alg: result.alg })
    },
  })
}
