// Runs the built package with V8 refusing to generate code from strings, as Cloudflare Workers
// do: any eval/new Function in the limiter or its dependencies (zod's JIT, for one) fails here.
// Run: node --disallow-code-generation-from-strings --test test/
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Engine, RampartConfigError } from '@rampart/core'
import { rateLimit } from '@rampart/rate-limiter'

test('code generation is really refused in this process', () => {
  assert.throws(() => new Function('return 1'), EvalError)
})

test('option validation works without eval', () => {
  assert.throws(() => rateLimit({ limit: 0, window: '1m' }), RampartConfigError)
  assert.throws(() => rateLimit({ limit: 1, window: '1m', windw: 1 }), /Did you mean 'window'/)
})

test('a limiter with every feature runs through the engine without eval', async () => {
  const limiter = rateLimit({
    policies: [
      { limit: 1, window: '1m', algorithm: 'sliding-window' },
      { limit: 10, window: '1h', algorithm: 'gcra' },
    ],
    headers: 'both',
    partitionKey: { secret: 'a-secret-of-16-chars-or-more' },
    block: { after: 1, within: '1h', for: '1m' },
    skipFailedRequests: true,
  })
  const source = {
    native: {},
    method: 'GET',
    header: () => null,
    url: () => 'http://example.test/',
    path: () => '/',
    clientAddress: () => '::ffff:10.1.2.3',
    trustsProxy: false,
    readBody: async () => undefined,
    readRawBody: async () => undefined,
    setBody: () => {},
  }
  const engine = new Engine([limiter], { onEvent: () => {} })
  const first = engine.start(source)
  assert.equal(await first.runRequest(), undefined)
  assert.match(first.response.headers.get('ratelimit') ?? '', /;pk=:[A-Za-z0-9+/]{16}:$/)
  await first.runResponse({ status: 200, aborted: false })
  const second = engine.start(source)
  const denial = await second.runRequest()
  assert.equal(denial?.status, 429)
  // The block's minute, or the sliding window's own wait when that is longer.
  assert.ok(Number(denial?.headers?.['Retry-After']) >= 60)
  assert.equal((await limiter.peek('10.1.2.3')).blocked, true)
})
