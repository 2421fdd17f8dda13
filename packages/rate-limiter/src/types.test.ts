// Type-level contract: checked by `tsc` (the typecheck task compiles tests) and run as no-ops.
import type { SecurityContext, SecurityEvent, SecurityEventHandler, StateKey } from '@rampart/core'
import { describe, expectTypeOf, it } from 'vitest'
import type { RateLimitOptions } from './options.js'
import { type RateLimiter, rateLimit } from './rate-limit.js'
import { type RateLimitInfo, rateLimitInfo } from './state.js'

describe('public types', () => {
  it('adds the rate-limit events to the event union', () => {
    const handler: SecurityEventHandler = (event) => {
      if (event.type === 'rate-limit.exceeded') {
        expectTypeOf(event.retryAfter).toEqualTypeOf<number>()
        expectTypeOf(event.blocked).toEqualTypeOf<boolean>()
        expectTypeOf(event.key).toEqualTypeOf<string | undefined>()
      }
      if (event.type === 'rate-limit.blocked') expectTypeOf(event.for).toEqualTypeOf<number>()
      if (event.type === 'rate-limit.denied') {
        expectTypeOf(event.reason).toEqualTypeOf<'deny-list' | 'no-key'>()
      }
    }
    void handler
    expectTypeOf<SecurityEvent<'rate-limit.blocked'>['violations']>().toEqualTypeOf<number>()
  })

  it('types the state key and the limiter', () => {
    expectTypeOf(rateLimitInfo).toEqualTypeOf<StateKey<RateLimitInfo>>()
    const read = (ctx: SecurityContext) => ctx.state.get(rateLimitInfo)?.policies[0]?.remaining
    expectTypeOf(read).returns.toEqualTypeOf<number | undefined>()
    expectTypeOf(rateLimit).returns.toEqualTypeOf<RateLimiter>()
    expectTypeOf<RateLimiter['consume']>().returns.resolves.toEqualTypeOf<RateLimitInfo>()
  })

  it('one policy at the top level or policies, not both', () => {
    const single: RateLimitOptions = { limit: 5, window: '1m' }
    const many: RateLimitOptions = { policies: [{ limit: 5, window: '1m' }] }
    // @ts-expect-error a top-level limit cannot go with policies
    const both: RateLimitOptions = { limit: 5, window: '1m', policies: [] }
    // @ts-expect-error durations are typed
    const typo: RateLimitOptions = { limit: 5, window: '1 minute' }
    const dynamic: RateLimitOptions = { limit: async () => 10, window: 60_000, algorithm: 'gcra' }
    void [single, many, both, typo, dynamic]
  })
})
