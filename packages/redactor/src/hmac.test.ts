import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hex, hmacSha256, sha256 } from './hmac.js'

const encoder = new TextEncoder()

describe('sha256 and hmacSha256', () => {
  it('match the published vectors', () => {
    expect(hex(sha256(encoder.encode('')))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    )
    expect(hex(sha256(encoder.encode('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    )
    // RFC 4231, test case 2.
    expect(hex(hmacSha256('Jefe')('what do ya want for nothing?'))).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    )
  })

  // Web Crypto refuses an empty key; the censor's schema requires 16 characters anyway.
  it('agree with Web Crypto on random keys and messages, long ones included', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 100 }),
        fc.string({ maxLength: 300 }),
        async (key, message) => {
          const k = await crypto.subtle.importKey(
            'raw',
            encoder.encode(key),
            { name: 'HMAC', hash: 'SHA-256' },
            false,
            ['sign'],
          )
          const expected = new Uint8Array(
            await crypto.subtle.sign('HMAC', k, encoder.encode(message)),
          )
          expect(hex(hmacSha256(key)(message))).toBe(hex(expected))
        },
      ),
      { numRuns: 200 },
    )
  })
})
