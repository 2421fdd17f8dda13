import { afterEach, describe, expect, it, vi } from 'vitest'
import { utf8 } from '../bytes.js'
import { hmacKeyFromBytes, hmacKeyFromText } from './hmac.js'
import { cachedKey, clearKeyCache } from './key-cache.js'

afterEach(() => {
  vi.restoreAllMocks()
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
