import { memoryStore } from '@rampart/core'
import { testApp } from '@rampart/core/testing'
import { describe, expect, it } from 'vitest'
import { rateLimit, WARN_MEMORY_MULTI_INSTANCE, WARN_SHARED_PREFIX } from './rate-limit.js'
import { switchableStore } from './test-support/switchable-store.js'

const policy = { limit: 5, window: '1m' } as const

const codesOf = (app: ReturnType<typeof testApp>) =>
  app.eventsOf('rampart.warning').map((e) => e.code)

describe('one-time warnings', () => {
  it('two limiters on one store with one prefix: RAMPART_RATE_LIMIT_SHARED_PREFIX, for both', async () => {
    const store = memoryStore()
    const first = rateLimit({ ...policy, store })
    const second = rateLimit({ ...policy, store })
    expect(first.prefix).toBe(second.prefix)
    for (const limiter of [first, second]) {
      const app = testApp([limiter])
      await app.send()
      await app.send()
      expect(codesOf(app)).toEqual([WARN_SHARED_PREFIX])
      expect(app.eventsOf('rampart.warning')[0]?.message).toContain(`prefix '${first.prefix}'`)
    }
  })

  it('no warning with another prefix, another store or other policies', async () => {
    const store = memoryStore()
    const limiters = [
      rateLimit({ ...policy, store, prefix: 'login:' }),
      rateLimit({ ...policy, store, prefix: 'api:' }),
      rateLimit({ limit: 6, window: '1m', store }),
      rateLimit({ ...policy, store: memoryStore() }),
      rateLimit(policy),
      rateLimit(policy),
    ]
    for (const limiter of limiters) {
      const app = testApp([limiter])
      await app.send()
      expect(codesOf(app)).toEqual([])
    }
  })

  it('instances above 1 with a per-process store: RAMPART_RATE_LIMIT_MEMORY_MULTI_INSTANCE', async () => {
    const app = testApp([rateLimit({ ...policy, instances: 4 })])
    await app.send()
    await app.send()
    expect(codesOf(app)).toEqual([WARN_MEMORY_MULTI_INSTANCE])
    expect(app.eventsOf('rampart.warning')[0]?.message).toContain('up to 4× the limit')
    for (const limiter of [
      rateLimit({ ...policy, instances: 1 }),
      rateLimit({ ...policy, instances: 4, store: switchableStore() }),
    ]) {
      const quiet = testApp([limiter])
      await quiet.send()
      expect(codesOf(quiet)).toEqual([])
    }
  })
})
