import { describe, expect, it } from 'vitest'
import { hashPassword, verifyPassword } from './passwords.js'

describe('passwords', () => {
  it('verifies the right password and refuses a wrong one, with a fresh salt each time', async () => {
    const stored = await hashPassword('correct horse battery staple')
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{43}$/)
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true)
    expect(await verifyPassword('correct horse battery stapler', stored)).toBe(false)
    expect(await hashPassword('correct horse battery staple')).not.toBe(stored)
  })

  it('treats canonically equal Unicode as the same password', async () => {
    const stored = await hashPassword('Ｐassword')
    expect(await verifyPassword('Password', stored)).toBe(true)
  })

  it('answers false for malformed hashes instead of throwing', async () => {
    for (const bad of [
      '',
      'md5$x',
      'scrypt$a$b$c$d$e',
      'scrypt$1024$8$1$c2FsdA$short',
      `scrypt$3$8$1$c2FsdA$${'A'.repeat(43)}`,
    ]) {
      expect(await verifyPassword('x', bad)).toBe(false)
    }
  })
})
