// Runs the built package with V8 refusing to generate code from strings, as Cloudflare Workers
// do: any eval/new Function in the sanitizer or its dependencies (zod's JIT, for one) fails here.
// Run: node --disallow-code-generation-from-strings --test test/
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Engine, RampartConfigError } from '@rampart/core'
import { safeFilename, sanitize } from '@rampart/sanitizer'

test('code generation is really refused in this process', () => {
  assert.throws(() => new Function('return 1'), EvalError)
})

test('option validation works without eval', () => {
  assert.throws(() => sanitize({ mode: 'strict' }), RampartConfigError)
  assert.throws(() => sanitize({ limts: {} }), /Did you mean 'limits'/)
})

test('the guard and safeFilename run without eval', async () => {
  const source = (body) => ({
    native: {},
    method: 'POST',
    header: (name) => (name === 'content-type' ? 'application/json' : null),
    url: () => 'http://example.test/?role=a&role=b',
    path: () => '/',
    clientAddress: () => '192.0.2.1',
    trustsProxy: false,
    readBody: async () => body,
    readRawBody: async () => undefined,
    setBody: () => {},
    setQuery: () => {},
  })
  const engine = new Engine([sanitize()], { onEvent: () => {} })
  assert.equal(await engine.start(source({ name: 'ok' })).runRequest(), undefined)
  const denial = await engine.start(source(JSON.parse('{"__proto__":{"x":1}}'))).runRequest()
  assert.equal(denial?.status, 400)
  assert.equal(safeFilename('../../etc/passwd'), 'passwd')
})
