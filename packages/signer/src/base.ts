/**
 * The signature base (RFC 9421 §2.5): one line per covered component, `"<identifier>": <value>`,
 * then the `"@signature-params"` line, joined by newlines, without a trailing one.
 * @module
 */
import {
  ComponentError,
  componentValue,
  type FieldType,
  KNOWN_STRUCTURED_FIELDS,
} from './components.js'
import type { HttpMessage } from './message.js'
import { type InnerList, serializeItem, serializeParams } from './sf/index.js'

/**
 * The signature base of the signature described by `params` (its covered components and
 * parameters, as in `Signature-Input`) over `message`.
 * `identifiers` are the components serialised, when the caller has them already.
 * @throws ComponentError when a component is malformed, repeated or absent.
 */
export function signatureBase(
  params: InnerList,
  message: HttpMessage,
  request?: HttpMessage,
  types: Readonly<Record<string, FieldType>> = KNOWN_STRUCTURED_FIELDS,
  identifiers: readonly string[] = params.items.map((item) => serializeItem(item)),
): string {
  let base = ''
  for (let i = 0; i < params.items.length; i++) {
    const component = params.items[i] as (typeof params.items)[number]
    const identifier = identifiers[i] as string
    // A handful of components: a scan of the earlier ones beats a Set.
    if (identifiers.indexOf(identifier) !== i) {
      throw new ComponentError('malformed', `${identifier} is covered twice`)
    }
    base += `${identifier}: ${componentValue(component, message, request, types)}\n`
  }
  // The inner list serialised, from the identifiers already at hand.
  return `${base}"@signature-params": (${identifiers.join(' ')})${serializeParams(params.params)}`
}
