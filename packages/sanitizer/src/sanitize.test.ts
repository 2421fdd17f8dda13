import { RampartConfigError } from '@rampart/core'
import { testApp } from '@rampart/core/testing'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { pollutedParameters, sanitize } from './sanitize.js'

const json = { 'content-type': 'application/json', 'content-length': '10' }

describe('sanitize: bodies', () => {
  it('rejects a prototype-pollution key with the rule and the path, never the value', async () => {
    const app = testApp([sanitize()])
    const res = await app.send({
      body: JSON.parse('{"user":{"__proto__":{"isAdmin":"secret-value"}}}'),
      headers: json,
    })
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({
      type: 'urn:rampart:problem:input-rejected',
      code: 'proto-key',
      path: 'body.user.__proto__',
    })
    expect(JSON.stringify(res.body)).not.toContain('secret-value')
    expect(({} as { isAdmin?: string }).isAdmin).toBeUndefined()
  })

  it('strip mode cleans the body the handler reads', async () => {
    const guard = sanitize({ mode: 'strip' })
    const app = testApp([guard])
    const res = await app.send({
      body: { name: 'a\u0000b', filter: { $where: 'sleep(1)', ok: 1 } },
      headers: json,
    })
    expect(res.status).toBe(200)
    expect(res.state.get(guard.validated)?.body).toEqual({ name: 'ab', filter: { ok: 1 } })
  })

  it('refuses structures over the limits in any mode', async () => {
    const app = testApp([sanitize({ mode: 'strip', limits: { maxDepth: 3 } })])
    const res = await app.send({ body: { a: { b: { c: { d: 1 } } } }, headers: json })
    expect(res.body).toMatchObject({ code: 'max-depth', path: 'body.a.b.c' })
  })
})

describe('sanitize: query, params, headers', () => {
  it('resolves repeated parameters by policy and keeps the originals aside', async () => {
    const app = testApp([sanitize()])
    const res = await app.send({ path: '/search?role=user&role=admin&q=x' })
    expect(res.status).toBe(200)
    expect(res.query).toEqual({ role: 'admin', q: 'x' })
    expect(res.state.get(pollutedParameters)).toEqual({ 'query.role': ['user', 'admin'] })
    const strict = testApp([sanitize({ parameters: { policy: 'reject' } })])
    expect((await strict.send({ path: '/?role=a&role=b' })).body).toMatchObject({
      code: 'parameter-pollution',
      path: 'query.role',
    })
  })

  it('keeps the originals cleaned by the string rules', async () => {
    const app = testApp([sanitize()])
    const res = await app.send({ path: '/?q=a%00b&q=c' })
    expect(res.state.get(pollutedParameters)).toEqual({ 'query.q': ['ab', 'c'] })
  })

  it('leaves multipart and binary bodies to their own parsers', async () => {
    let read = false
    const app = testApp([sanitize()])
    const res = await app.send({
      body: new Proxy(
        {},
        {
          get: () => {
            read = true
            return undefined
          },
        },
      ),
      headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': '100' },
    })
    expect(res.status).toBe(200)
    expect(read).toBe(false)
  })

  it('keeps declared array fields', async () => {
    const app = testApp([sanitize({ parameters: { arrays: ['tag'] } })])
    const res = await app.send({ path: '/?tag=a&tag=b' })
    expect(res.query).toEqual({ tag: ['a', 'b'] })
  })

  it('refuses operators in the query and NUL bytes in params and selected headers', async () => {
    const app = testApp([sanitize({ headers: ['User-Agent'] })])
    expect((await app.send({ path: '/?$where=1' })).body).toMatchObject({
      code: 'mongo-operator',
      path: 'query.$where',
    })
    expect((await app.send({ params: { id: '4\u00002' } })).body).toMatchObject({
      code: 'nul-byte',
      path: 'params.id',
    })
    expect((await app.send({ headers: { 'user-agent': 'x\u0000' } })).body).toMatchObject({
      code: 'nul-byte',
      path: 'headers.user-agent',
    })
    expect((await app.send({ params: { id: 'café' } })).params).toEqual({ id: 'café' })
  })
})

describe('sanitize: rich text', () => {
  it('cleans HTML only in the fields declared rich text, arrays included', async () => {
    const guard = sanitize({ richText: { fields: ['description', 'items.notes'] } })
    const app = testApp([guard])
    const res = await app.send({
      headers: json,
      body: {
        description: '<p onclick="x()">Hi <script>alert(1)</script><b>there</b></p>',
        title: '<b>kept as typed: escaping belongs in templates</b>',
        items: [{ notes: '<img src=x onerror=alert(1)>ok' }, { notes: ['<i>a</i>', 7] }],
      },
    })
    expect(res.status).toBe(200)
    expect(res.state.get(guard.validated)?.body).toEqual({
      description: '<p>Hi <b>there</b></p>',
      title: '<b>kept as typed: escaping belongs in templates</b>',
      items: [{ notes: 'ok' }, { notes: ['<i>a</i>', 7] }],
    })
  })

  it('takes a custom allow list and refuses a malformed one', async () => {
    const guard = sanitize({ richText: { fields: ['bio'], allow: { em: [] } } })
    const res = await testApp([guard]).send({ headers: json, body: { bio: '<b>x</b> <em>y</em>' } })
    expect(res.state.get(guard.validated)?.body).toEqual({ bio: 'x <em>y</em>' })
    expect(() => sanitize({ richText: { fields: [] } })).toThrow(/richText.fields/)
    expect(() => sanitize({ richText: { fields: ['a'], allow: { 'x y': [] } } })).toThrow(
      RampartConfigError,
    )
  })
})

describe('sanitize: schemas', () => {
  const partner = z.object({ name: z.string().min(1), creditLimit: z.coerce.number().max(1e6) })

  it('validates after sanitising and hands the typed value to the handler', async () => {
    const guard = sanitize({
      schema: { body: partner, query: z.object({ page: z.coerce.number() }) },
    })
    const app = testApp([guard])
    const res = await app.send({
      path: '/?page=2',
      body: { name: 'Acme', creditLimit: '5000' },
      headers: json,
    })
    expect(res.status).toBe(200)
    const input = res.state.get(guard.validated)
    expect(input).toEqual({
      body: { name: 'Acme', creditLimit: 5000 },
      query: { page: 2 },
      params: undefined,
    })
    expect(res.query).toEqual({ page: 2 })
    expectTypeOf(input?.body).toEqualTypeOf<{ name: string; creditLimit: number } | undefined>()
  })

  it('lists every schema error with path and code, never the value', async () => {
    const app = testApp([sanitize({ schema: { body: partner } })])
    const res = await app.send({
      body: { name: '', creditLimit: '99999999-secret' },
      headers: json,
    })
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({
      type: 'urn:rampart:problem:validation-failed',
      errors: [
        { path: 'body.name', code: 'too_small', message: expect.any(String) },
        { path: 'body.creditLimit', code: 'invalid_type', message: expect.any(String) },
      ],
    })
    expect(JSON.stringify(res.body)).not.toContain('secret')
  })

  it('answers 415 when a JSON schema meets another body type', async () => {
    const app = testApp([sanitize({ schema: { body: partner } })])
    const res = await app.send({
      body: 'name=Acme',
      headers: { 'content-type': 'text/plain', 'content-length': '9' },
    })
    expect(res.status).toBe(415)
    expect(res.body).toMatchObject({ accepted: ['json'] })
  })

  it('refuses a schema that is not a Standard Schema, at construction', () => {
    expect(() => sanitize({ schema: { body: { parse() {} } as never } })).toThrow(
      RampartConfigError,
    )
    expect(() => sanitize({ mode: 'strict' as never })).toThrow(/Did you mean 'strip'/)
  })
})
