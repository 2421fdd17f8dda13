// Runs the built package with V8 refusing to generate code from strings, as Cloudflare Workers
// do: any eval/new Function in core or its dependencies (zod's JIT, for one) fails here.
// Run: node --disallow-code-generation-from-strings --test test/
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Engine, ipFilter, memoryStore, parseDuration, RampartConfigError } from '@rampart/core'

test('code generation is really refused in this process', () => {
  assert.throws(() => new Function('return 1'), EvalError)
})

test('option validation works without eval (zod falls back to its interpreter)', () => {
  assert.throws(() => ipFilter({ allow: ['not-an-ip'] }), RampartConfigError)
  assert.equal(parseDuration('15m'), 900_000)
})

test('a guard runs through the engine without eval', async () => {
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
  const engine = new Engine([ipFilter({ allow: ['192.168.0.0/16'] })], { onEvent: () => {} })
  const denial = await engine.start(source).runRequest()
  assert.equal(denial?.status, 403)
})

test('the memory store works without eval', async () => {
  const store = memoryStore({ maxKeys: 10 })
  const result = await store.hit('k', { window: 1000, limit: 1 })
  assert.equal(result.allowed, true)
  assert.equal((await store.hit('k', { window: 1000, limit: 1 })).allowed, false)
  await store.close()
})
