/**
 * Turns laid-out segments into a {@link CspPlan} whose `render` does the least work the
 * policy allows: return a constant, concatenate fixed parts around the nonce, or (only with
 * function values) evaluate and check those functions.
 * @module
 */
import type { CspPlan, CspRequest } from '../header-plan.js'
import { evaluateFunctionSlot } from './function-value.js'
import { NONCE_SLOT, type Segment } from './segments.js'

/** A policy's segments for HTTPS requests and for plain-HTTP ones (often the same array). */
export interface PolicyVariants {
  readonly https: readonly Segment[]
  readonly http: readonly Segment[]
}

function missingNonce(): never {
  throw new Error(
    'Content-Security-Policy: this policy carries a nonce (usesNonce) but render() was called without one',
  )
}

/** The fixed strings between nonce slots (so `parts.length` is the slot count plus one). */
function nonceParts(segments: readonly Segment[]): readonly string[] {
  const parts = ['']
  for (const segment of segments) {
    if (segment === NONCE_SLOT) parts.push('')
    else parts[parts.length - 1] += segment as string
  }
  return parts
}

/** `parts[0] + nonce + parts[1] + …`, unrolled for the usual two slots (script and style). */
function joinNonce(parts: readonly string[], nonce: string): string {
  const source = `'nonce-${nonce}'`
  if (parts.length === 3) return (parts[0] as string) + source + parts[1] + source + parts[2]
  let out = parts[0] as string
  for (let i = 1; i < parts.length; i++) out += source + parts[i]
  return out
}

/** Renders segments that include function values: evaluated and checked per request. */
function renderDynamic(segments: readonly Segment[], request: CspRequest): string {
  let out = ''
  for (const segment of segments) {
    if (typeof segment === 'string') out += segment
    else if (segment === NONCE_SLOT) {
      if (request.nonce === undefined) missingNonce()
      out += `'nonce-${request.nonce}'`
    } else out += evaluateFunctionSlot(segment, request.ctx)
  }
  return out
}

/**
 * Builds the plan. `render` throws (see `evaluateFunctionSlot`) when a function value is
 * invalid, and when the plan uses a nonce but the request carries none.
 */
export function createPlan(name: string, variants: PolicyVariants): CspPlan {
  const { https, http } = variants
  const all = https === http ? https : [...https, ...http]
  const dynamic = all.some((s) => typeof s === 'object')
  const usesNonce = all.includes(NONCE_SLOT)
  const same = https === http
  let render: (request: CspRequest) => string
  if (dynamic) {
    render = (request) => renderDynamic(request.https ? https : http, request)
  } else if (usesNonce) {
    const httpsParts = nonceParts(https)
    const httpParts = same ? httpsParts : nonceParts(http)
    render = (request) => {
      const nonce = request.nonce ?? missingNonce()
      return joinNonce(request.https ? httpsParts : httpParts, nonce)
    }
  } else {
    const httpsValue = https.join('')
    const httpValue = same ? httpsValue : http.join('')
    render = same ? () => httpsValue : (request) => (request.https ? httpsValue : httpValue)
  }
  return Object.freeze({ name, usesNonce, dynamic, render })
}
