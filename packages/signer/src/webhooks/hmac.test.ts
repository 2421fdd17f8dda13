import { describe, expect, it } from 'vitest'
import { utf8 } from '../bytes.js'
import { toHex } from './hex.js'
import { assertHmacSigningKey, hmacKeyFromBytes, hmacKeyFromText, hmacSha256 } from './hmac.js'

const mac = async (secret: string, text: string) =>
  toHex(await hmacSha256(await hmacKeyFromText(secret), Uint8Array.from(utf8(text))))

describe('HMAC-SHA256 with a UTF-8 key', () => {
  // stripe-node's CryptoProvider contract vectors (test/crypto/helpers.ts), secret 'test_secret'.
  it("reproduces stripe-node's crypto provider vectors", async () => {
    expect(await mac('test_secret', '')).toBe(
      'f7f9bd47fb987337b5796fdc1fdb9ba221d0d5396814bfcaf9521f43fd8927fd',
    )
    expect(await mac('test_secret', JSON.stringify({ obj1: 'hello', obj2: 'world' }))).toBe(
      'bebb1a643997f419b315ddba19e6f5411e1ce7f810ba6d3617ce72823092f363',
    )
    expect(await mac('test_secret', '\ud83d\ude00')).toBe(
      '837da296d05c4fe31f61d5d7ead035099d9585a5bcde87de952012a78f0b0c43',
    )
  })
  it('refuses an empty secret', async () => {
    await expect(hmacKeyFromText('')).rejects.toThrow(TypeError)
    await expect(hmacKeyFromBytes(new Uint8Array())).rejects.toThrow(TypeError)
  })
})

describe('assertHmacSigningKey', () => {
  it('accepts an HMAC SHA-256 signing key and refuses others', async () => {
    const good = await crypto.subtle.importKey(
      'raw',
      new Uint8Array(32),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    )
    expect(assertHmacSigningKey(good)).toBe(good)
    const sha512 = await crypto.subtle.importKey(
      'raw',
      new Uint8Array(32),
      { name: 'HMAC', hash: 'SHA-512' },
      false,
      ['sign'],
    )
    expect(() => assertHmacSigningKey(sha512)).toThrow(TypeError)
    const verifyOnly = await crypto.subtle.importKey(
      'raw',
      new Uint8Array(32),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['verify'],
    )
    expect(() => assertHmacSigningKey(verifyOnly)).toThrow(TypeError)
  })
})
