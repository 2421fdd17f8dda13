import { describe, expect, it } from 'vitest'
import { type ParameterRules, resolveParameters } from './parameters.js'

const rules = (over: Partial<ParameterRules> = {}): ParameterRules => ({
  policy: 'last',
  arrays: new Set(),
  maxParameters: 1_000,
  ...over,
})

describe('parameter pollution', () => {
  it('resolves repeated scalars at any depth by policy and keeps the originals', () => {
    const query = { role: ['user', 'admin'], filter: { status: ['a', 'b', 'c'] }, q: 'x' }
    expect(resolveParameters(query, 'query', rules())).toMatchObject({
      ok: true,
      polluted: { 'query.role': ['user', 'admin'], 'query.filter.status': ['a', 'b', 'c'] },
    })
    expect(query).toEqual({ role: 'admin', filter: { status: 'c' }, q: 'x' })
    const first = { role: ['user', 'admin'] }
    resolveParameters(first, 'query', rules({ policy: 'first' }))
    expect(first).toEqual({ role: 'user' })
  })

  it('rejects repetition with the reject policy, naming the parameter', () => {
    expect(
      resolveParameters({ a: { b: ['1', '2'] } }, 'query', rules({ policy: 'reject' })),
    ).toEqual({
      ok: false,
      violation: { code: 'parameter-pollution', path: 'query.a.b' },
    })
  })

  it('keeps declared arrays, collapses a one-element array elsewhere, walks arrays of objects', () => {
    const query = { tags: ['a', 'b'], role: ['admin'], items: [{ id: ['1', '2'] }, { id: '3' }] }
    const result = resolveParameters(query, 'query', rules({ arrays: new Set(['tags']) }))
    expect(result).toMatchObject({ ok: true, polluted: { 'query.items[0].id': ['1', '2'] } })
    expect(query).toEqual({ tags: ['a', 'b'], role: 'admin', items: [{ id: '2' }, { id: '3' }] })
  })

  it('counts parameters against maxParameters', () => {
    const many = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`p${i}`, 'v']))
    expect(resolveParameters(many, 'query', rules({ maxParameters: 10 }))).toMatchObject({
      ok: false,
      violation: { code: 'max-parameters' },
    })
    expect(
      resolveParameters({ a: Array(11).fill('v') }, 'query', rules({ maxParameters: 10 })),
    ).toMatchObject({ ok: false, violation: { code: 'max-parameters', path: 'query.a' } })
  })
})
