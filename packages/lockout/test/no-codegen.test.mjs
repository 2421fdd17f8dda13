// Runs the built package with V8 refusing to generate code from strings, as Cloudflare Workers
// do: any eval/new Function in the lockout or its dependencies (zod's JIT, for one) fails here.
// Run: node --disallow-code-generation-from-strings --test test/
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RampartConfigError } from '@rampart/core'
import { lockout } from '@rampart/lockout'

test('code generation is really refused in this process', () => {
  assert.throws(() => new Function('return 1'), EvalError)
})

test('option validation works without eval', () => {
  assert.throws(() => lockout({ pair: { failures: 0 } }), RampartConfigError)
  assert.throws(
    () => lockout({ identify: () => 'a', onStoreFailure: 'opn' }),
    /Did you mean 'open'/,
  )
})

test('reserve, fail, lock and unlock without eval', async () => {
  const guard = lockout({ identify: () => undefined, pair: { failures: 2 } })
  for (let i = 0; i < 2; i++) {
    const attempt = await guard.begin('Ａlice', '192.0.2.1')
    assert.equal(attempt.allowed, true)
    await attempt.fail()
  }
  const refused = await guard.begin('alice', '192.0.2.1')
  assert.equal(refused.allowed, false)
  // Fifteen minutes, less the milliseconds this test has taken.
  assert.ok(refused.retryAfter > 890_000 && refused.retryAfter <= 900_000)
  await guard.unlock('ALICE')
  assert.equal((await guard.begin('alice', '192.0.2.1')).allowed, true)
})
