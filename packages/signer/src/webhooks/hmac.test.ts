import { afterEach, describe, expect, it, vi } from 'vitest'
import { utf8 } from '../bytes.js'
import { toHex } from './hex.js'
import { assertHmacSigningKey, hmacKeyFromBytes, hmacKeyFromText, hmacSha256 } from './hmac.js'
import { cachedKey, clearKeyCache } from './key-cache.js'

const mac = async (secret: string, text: string) =>
  toHex(await hmacSha256(await hmacKeyFromText(secret), Uint8Array.from(utf8(text))))

afterEach(() => {
  vi.restoreAllMocks()
})

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

describe('key cache', () => {
  it('imports each secret once, however many verifications use it', async () => {
    const importKey = vi.spyOn(crypto.subtle, 'importKey')
    const secret = `cache-test-${Math.random()}`
    const keys = await Promise.all([hmacKeyFromText(secret), hmacKeyFromText(secret)])
    await hmacKeyFromText(secret)
    expect(importKey).toHaveBeenCalledTimes(1)
    expect(keys[0]).toBe(keys[1])
  })
  it('caches raw key bytes by value, not by array identity', async () => {
    const importKey = vi.spyOn(crypto.subtle, 'importKey')
    const material = Uint8Array.from(utf8(`bytes-${Math.random()}`))
    const first = await hmacKeyFromBytes(material)
    const second = await hmacKeyFromBytes(Uint8Array.from(material))
    expect(first).toBe(second)
    expect(importKey).toHaveBeenCalledTimes(1)
  })
  it('does not confuse a text secret with the same bytes interpreted otherwise', async () => {
    const text = await hmacKeyFromText('c2FtZQ==')
    const raw = await hmacKeyFromBytes(utf8('c2FtZQ=='))
    expect(text).not.toBe(raw)
  })
  it('drops a failed import so the next call tries again', async () => {
    let calls = 0
    const load = async (): Promise<CryptoKey> => {
      calls++
      throw new Error('boom')
    }
    await expect(cachedKey('failing', load)).rejects.toThrow('boom')
    await expect(cachedKey('failing', load)).rejects.toThrow('boom')
    expect(calls).toBe(2)
  })
  it('stays bounded, evicting the least recently used key', async () => {
    clearKeyCache()
    const importKey = vi.spyOn(crypto.subtle, 'importKey')
    await hmacKeyFromText('kept')
    for (let i = 0; i < 70; i++) {
      await hmacKeyFromText(`filler-${i}`)
      if (i % 10 === 0) await hmacKeyFromText('kept') // recently used: survives
    }
    const before = importKey.mock.calls.length
    await hmacKeyFromText('kept')
    expect(importKey.mock.calls.length).toBe(before)
    await hmacKeyFromText('filler-0') // long evicted: imported again
    expect(importKey.mock.calls.length).toBe(before + 1)
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
