/**
 * The answers a fail-open store gives while its primary is down: every rate policy admits with
 * nothing counted, every write "succeeds". Kept apart so the fail-open contract is in one place.
 * @module
 */
import type { ConsumeRequest, ConsumeResult, RateResult, TakeOptions } from './types.js'

/** An admitting result with nothing spent and `remaining` units left. */
export function openResult(now: number, remaining: number): RateResult {
  return { allowed: true, count: 0, remaining, resetAt: now, retryAfter: 0 }
}

/** The capacity a take would report when nothing has been taken. */
export function openTake(now: number, options: TakeOptions): RateResult {
  return openResult(now, options.algorithm === 'gcra' ? options.burst : options.capacity)
}

/** An admitting batch result: each policy reports its full limit or capacity. */
export function openConsume(now: number, requests: readonly ConsumeRequest[]): ConsumeResult {
  const results: RateResult[] = new Array(requests.length)
  for (let i = 0; i < requests.length; i++) {
    const request = requests[i] as ConsumeRequest
    results[i] =
      request.algorithm === 'token-bucket' || request.algorithm === 'gcra'
        ? openTake(now, request)
        : request.algorithm === 'block'
          ? openResult(now, Number.POSITIVE_INFINITY)
          : openResult(now, request.limit ?? Number.POSITIVE_INFINITY)
  }
  return { allowed: true, retryAfter: 0, results }
}
