import { describe, expect, it } from 'vitest'
import { NONCE_BYTES, NoncePool } from './nonce.js'

describe('NoncePool', () => {
  it('gives 24-character base64 nonces of 18 bytes', () => {
    const nonce = new NoncePool().next()
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{24}$/)
    expect(atob(nonce)).toHaveLength(NONCE_BYTES)
  })

  it('never repeats across many refills', () => {
    const pool = new NoncePool()
    const seen = new Set<string>()
    for (let i = 0; i < 10_000; i++) seen.add(pool.next())
    expect(seen.size).toBe(10_000)
  })

  it('encodes the pool bytes exactly (checked against btoa)', () => {
    const pool = new NoncePool()
    const original = crypto.getRandomValues
    const fixed = new Uint8Array(NONCE_BYTES * 256).map((_, i) => (i * 37 + 11) & 255)
    crypto.getRandomValues = (<T extends ArrayBufferView | null>(array: T): T => {
      ;(array as unknown as Uint8Array).set(fixed)
      return array
    }) as typeof crypto.getRandomValues
    try {
      const first = pool.next()
      const second = pool.next()
      const expected = (from: number) =>
        btoa(String.fromCharCode(...fixed.subarray(from, from + NONCE_BYTES)))
      expect(first).toBe(expected(0))
      expect(second).toBe(expected(NONCE_BYTES))
    } finally {
      crypto.getRandomValues = original
    }
  })
})
