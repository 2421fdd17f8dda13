import { describe, expect, it } from 'vitest'
import { Sessions } from './sessions.js'

const SECRET = 'a demo session secret of 32 bytes!'

describe('session tokens', () => {
  const sessions = new Sessions(SECRET, 60_000)

  it('round-trips a user id until the token expires', () => {
    const token = sessions.issue('u-ed', 1_000).token
    expect(sessions.verify(token, 1_000)).toEqual({ userId: 'u-ed', expires: 61_000 })
    expect(sessions.verify(token, 60_999)?.userId).toBe('u-ed')
    expect(sessions.verify(token, 61_000)).toBeUndefined()
  })

  it('refuses forged, tampered and malformed tokens without throwing', () => {
    const token = sessions.issue('u-ed', 0).token
    const [v, payload, mac] = token.split('.') as [string, string, string]
    const other = Buffer.from(JSON.stringify({ sub: 'u-ada', exp: 1e15 })).toString('base64url')
    for (const bad of [
      `${v}.${other}.${mac}`,
      `${v}.${payload}.${mac.slice(0, -2)}`,
      `v2.${payload}.${mac}`,
      `${token}.extra`,
      new Sessions('another secret that is 32 bytes long!').issue('u-ed', 0).token,
      'v1..',
      '',
      'x'.repeat(10_000),
      null,
      undefined,
    ]) {
      expect(sessions.verify(bad, 0)).toBeUndefined()
    }
  })

  it('refuses a secret shorter than 32 bytes', () => {
    expect(() => new Sessions('short')).toThrow(RangeError)
  })
})
