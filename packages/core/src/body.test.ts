import { describe, expect, it } from 'vitest'
import { checkDeclaredLength, collectBody, parseBody, parseByteSize } from './body.js'
import { ProblemError } from './problem.js'

const bytes = (s: string) => new TextEncoder().encode(s)
async function* chunks(...parts: string[]) {
  for (const p of parts) yield bytes(p)
}
const statusOf = (fn: () => unknown) => {
  try {
    fn()
  } catch (error) {
    return (error as ProblemError).problem.status
  }
  return undefined
}

describe('collectBody', () => {
  it('joins chunks', async () => {
    expect(new TextDecoder().decode(await collectBody(chunks('ab', 'cd', 'é'), 100))).toBe('abcdé')
  })
  it('refuses more than the limit with a 413 problem, as soon as it is crossed', async () => {
    let pulled = 0
    async function* endless() {
      for (;;) {
        pulled++
        yield bytes('x'.repeat(1024))
      }
    }
    const error = await collectBody(endless(), 4096).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ProblemError)
    expect((error as ProblemError).problem.status).toBe(413)
    expect(pulled).toBe(5)
  })
  it('checks a declared Content-Length up front', () => {
    expect(statusOf(() => checkDeclaredLength('999999', 10))).toBe(413)
    expect(statusOf(() => checkDeclaredLength('10', 10))).toBeUndefined()
    expect(statusOf(() => checkDeclaredLength(null, 10))).toBeUndefined()
  })
})

describe('parseBody', () => {
  it('parses JSON, +json, forms and text; leaves other types to the raw bytes', () => {
    expect(parseBody(bytes('{"a":1}'), 'application/json; charset=utf-8', null)).toEqual({ a: 1 })
    expect(parseBody(bytes('{"a":1}'), 'application/merge-patch+json', null)).toEqual({ a: 1 })
    expect(parseBody(bytes('a=1&a=2&b=%20'), 'application/x-www-form-urlencoded', null)).toEqual({
      a: ['1', '2'],
      b: ' ',
    })
    expect(parseBody(bytes('hi'), 'text/plain', null)).toBe('hi')
    expect(parseBody(bytes('\x00\x01'), 'application/octet-stream', null)).toBeUndefined()
    expect(parseBody(undefined, 'application/json', null)).toBeUndefined()
    expect(parseBody(bytes(''), 'application/json', null)).toBeUndefined()
  })
  it('never lets a form key reach Object.prototype', () => {
    const form = parseBody(
      bytes('__proto__=x&constructor=y'),
      'application/x-www-form-urlencoded',
      null,
    ) as Record<string, unknown>
    expect(Object.getPrototypeOf(form)).toBeNull()
    expect(Object.getOwnPropertyDescriptor(form, '__proto__')?.value).toBe('x')
    expect(({} as Record<string, unknown>).x).toBeUndefined()
  })
  it('answers malformed input with 400 and compressed input with 415', () => {
    expect(statusOf(() => parseBody(bytes('{'), 'application/json', null))).toBe(400)
    expect(statusOf(() => parseBody(new Uint8Array([0xff, 0xfe]), 'application/json', null))).toBe(
      400,
    )
    expect(statusOf(() => parseBody(bytes('{}'), 'application/json', 'gzip'))).toBe(415)
  })
})

describe('parseByteSize', () => {
  it.each([
    [1024, 1024],
    ['100kb', 102_400],
    ['1mb', 1_048_576],
    ['1 MB', 1_048_576],
    ['12', 12],
  ])('%j → %d', (input, out) => expect(parseByteSize(input)).toBe(out))
  it.each([-1, 1.5, '1tb', 'lots', ''])('rejects %j', (input) =>
    expect(parseByteSize(input)).toBeUndefined(),
  )
})
