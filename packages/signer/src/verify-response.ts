/**
 * `responseVerifier()`: for clients, the check of a server's signed response (and of its
 * `Content-Digest` over the exact body), with the same policy options as the server guard.
 * @module
 */
import { requestMessage, responseMessage } from './message.js'
import { resolveOptions, type VerifySignatureOptions } from './options.js'
import { type VerifyResult, verifyMessage } from './verify.js'

/** Options of {@link responseVerifier}: the guard's, with response defaults. */
export type VerifyResponseOptions = Omit<VerifySignatureOptions, 'coverQuery'>

/**
 * A function that verifies signed responses. Defaults differ from the guard's: the signature must
 * cover `@status` (and `content-digest` when there is a body) and carry `created` and `keyid`.
 * Pass the request a response answers to check components bound to it (`"@method";req`).
 * @throws RampartConfigError (`ERR_RAMPART_SIGNER_CONFIG`) for an invalid option.
 * @example
 * const verify = responseVerifier({ keys: [{ id: 'api-2026', alg: 'ed25519', key: serverPublicPem }] })
 * const res = await fetch(req); const result = await verify(res.clone(), req)
 */
export function responseVerifier(
  options: VerifyResponseOptions,
): (response: Response, request?: Request) => Promise<VerifyResult> {
  const { policy } = resolveOptions({
    ...options,
    components: options.components ?? ['@status'],
    params: options.params ?? ['created', 'keyid'],
    coverQuery: false,
  })
  return async (response, request) => {
    const body = new Uint8Array(await response.clone().arrayBuffer())
    return verifyMessage(
      {
        message: responseMessage(response),
        ...(request === undefined ? {} : { request: requestMessage(request) }),
        hasBody: body.byteLength > 0,
        body: async () => body,
        ip: undefined,
        now: Date.now(),
      },
      policy,
    )
  }
}
