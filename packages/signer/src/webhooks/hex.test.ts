import { describe, expect, it } from 'vitest'
import { fromHex, toHex } from './hex.js'

describe('toHex', () => {
  it('writes two lowercase digits per byte', () => {
    expect(toHex(new Uint8Array([0, 1, 15, 16, 171, 255]))).toBe('00010f10abff')
    expect(toHex(new Uint8Array())).toBe('')
  })
  it('reads only the bytes a view covers', () => {
    const buffer = new Uint8Array([1, 2, 3, 4, 5])
    expect(toHex(buffer.subarray(1, 3))).toBe('0203')
  })
})

describe('fromHex', () => {
  it('round-trips every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    expect(fromHex(toHex(all))).toEqual(all)
  })
  it('accepts either case', () => {
    expect(fromHex('ABcdEF')).toEqual(new Uint8Array([0xab, 0xcd, 0xef]))
    expect(fromHex('')).toEqual(new Uint8Array())
  })
  it.each([
    ['odd length', 'abc'],
    ['non-hex letter', 'zz'],
    ['0x prefix', '0x10'],
    ['space', 'ab cd'],
    ['leading whitespace', ' abc'],
    ['sign', '+a'],
    ['colon separated', 'ab:cd'],
    ['non-ASCII digit', '１２'],
    ['letter after f', 'fg'],
    ['letter after F', 'FG'],
    ['character before 0', '/0'],
    ['character after 9', '9:'],
    ['character before A', '@A'],
    ['character before a', '`a'],
  ])('refuses %s', (_, text) => {
    expect(fromHex(text)).toBeUndefined()
  })
})
