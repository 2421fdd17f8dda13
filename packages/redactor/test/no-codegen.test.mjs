// Runs the built package with V8 refusing to generate code from strings, as Cloudflare Workers
// do: fast-redact compiles its paths with Function(); this redactor must never need to.
// Run: node --disallow-code-generation-from-strings --test test/
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RampartConfigError } from '@rampart/core'
import { createRedactor } from '@rampart/redactor'

test('code generation is really refused in this process', () => {
  assert.throws(() => new Function('return 1'), EvalError)
})

test('paths compile and redact without eval', () => {
  assert.throws(() => createRedactor({ paths: ['a..b'] }), RampartConfigError)
  const redact = createRedactor({ paths: ['req.headers.cookie', '**.card', 'rows[*].pin'] })
  const input = {
    req: { headers: { cookie: 'sid=1', accept: '*/*' } },
    rows: [{ pin: 1, card: '4242' }],
    Authorization: 'Bearer t',
  }
  assert.equal(
    redact.json(input),
    '{"req":{"headers":{"cookie":"[REDACTED]","accept":"*/*"}},"rows":[{"pin":"[REDACTED]","card":"[REDACTED]"}],"Authorization":"[REDACTED]"}',
  )
  assert.equal(input.req.headers.cookie, 'sid=1')
})
