// Runs the built package with V8 refusing to generate code from strings, as Cloudflare Workers
// do: any eval/new Function in the policy compiler, the masks or their dependencies (zod's JIT,
// for one) fails here.
// Run: node --disallow-code-generation-from-strings --test test/
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RampartConfigError } from '@rampart/core'
import { definePolicy } from '@rampart/rbac'
import { erpPartners, erpPolicy } from '@rampart/rbac/testing'

test('code generation is really refused in this process', () => {
  assert.throws(() => new Function('return 1'), EvalError)
})

test('policy validation works without eval', () => {
  assert.throws(
    () =>
      definePolicy({
        resources: { partner: { actions: ['read'] } },
        roles: { a: { inherits: ['b'] }, b: { inherits: ['a'] } },
      }),
    RampartConfigError,
  )
  assert.throws(
    () => definePolicy({ resources: {}, roles: { viewer: { grant: [] } } }),
    /Did you mean 'grants'/,
  )
})

test('decisions, masks and write checks work without eval', () => {
  const policy = erpPolicy()
  const { p1, p2 } = erpPartners()
  const alice = { id: 'alice', roles: ['editor'], tenant: 'acme' }
  assert.equal(policy.can(alice, 'partner:update', p1), true)
  assert.equal(policy.can(alice, 'partner:update', p2), false)
  assert.equal(policy.explain(alice, 'partner:update').effect, 'conditional')
  const seen = policy.filter(alice, 'partner:read', p1)
  assert.equal(seen.name, p1.name)
  assert.equal('creditLimit' in seen, false)
  const write = policy.checkWrite(alice, 'partner:update', { creditLimit: 1 }, { resource: p1 })
  assert.equal(write.ok, false)
  assert.deepEqual(write.forbidden, ['creditLimit'])
})
