// base64 in both alphabets and the constant-time comparison, on every kind of byte view.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fromBase64, latin1Equal, timingSafeEqual, toBase64, toBase64Url } from './bytes.js'

describe('base64', () => {
  it('round-trips any bytes in both alphabets, as btoa writes them', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), (bytes) => {
        const std = toBase64(bytes)
        expect(std).toBe(btoa(String.fromCharCode(...bytes)))
        expect(fromBase64(std)).toEqual(bytes)
        const url = toBase64Url(bytes)
        expect(url).not.toMatch(/[+/=]/)
        expect(fromBase64(url, false)).toEqual(bytes)
      }),
    )
  })

  it('strict decoding refuses other alphabets, bad padding and non-canonical pad bits', () => {
    expect(fromBase64('aGk=')).toEqual(new TextEncoder().encode('hi'))
    expect(fromBase64('aGk')).toBeUndefined() // padding required
    expect(fromBase64('aG-_')).toBeUndefined() // base64url characters
    expect(fromBase64('aGl=')).toBeUndefined() // non-zero pad bits
    expect(fromBase64('a===')).toBeUndefined()
    expect(fromBase64('aGk=\n')).toBeUndefined()
    expect(fromBase64('aGé=')).toBeUndefined()
    expect(fromBase64('aGk', false)).toEqual(new TextEncoder().encode('hi'))
  })
})

describe('timingSafeEqual', () => {
  it('compares only the bytes a view covers: subarrays, offsets, DataViews, bare buffers', () => {
    const pool = new Uint8Array([9, 1, 2, 3, 9, 1, 2, 3, 7])
    const a = pool.subarray(1, 4)
    const b = pool.subarray(5, 8)
    expect(timingSafeEqual(a, b)).toBe(true)
    expect(timingSafeEqual(a, pool.subarray(6, 9))).toBe(false)
    expect(timingSafeEqual(new DataView(pool.buffer, 1, 3), b)).toBe(true)
    expect(timingSafeEqual(new Uint8Array([1, 2, 3]).buffer, a)).toBe(true)
    expect(timingSafeEqual(new Uint16Array([0x0201]), new Uint8Array([1, 2]))).toBe(true)
  })

  it('answers false on a length mismatch, never throwing', () => {
    expect(timingSafeEqual(new Uint8Array(32), new Uint8Array(31))).toBe(false)
    expect(timingSafeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true)
  })

  it('agrees with a plain comparison on random inputs', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (x, y) => {
        const same = x.length === y.length && x.every((v, i) => v === y[i])
        expect(timingSafeEqual(x, y)).toBe(same)
        expect(timingSafeEqual(x, x.slice())).toBe(true)
      }),
    )
  })
})

describe('latin1Equal', () => {
  const latin1 = (bytes: Uint8Array) => String.fromCharCode(...bytes)

  it('matches bytes against the one-character-per-byte string of the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 }), (x, y) => {
        const same = x.length === y.length && x.every((v, i) => v === y[i])
        expect(latin1Equal(latin1(x), y)).toBe(same)
        expect(latin1Equal(latin1(x), x)).toBe(true)
      }),
    )
  })

  it('answers false on a length mismatch and on characters beyond one byte, without throwing', () => {
    expect(latin1Equal('ab', new Uint8Array([97]))).toBe(false)
    expect(latin1Equal('\u0161', new Uint8Array([0x61]))).toBe(false)
    expect(latin1Equal('', new Uint8Array(0))).toBe(true)
  })

  it('reads only the bytes a pooled view covers', () => {
    const pool = new Uint8Array([9, 0xff, 0x80, 0x00, 9])
    expect(latin1Equal('\u00ff\u0080\u0000', pool.subarray(1, 4))).toBe(true)
  })
})
