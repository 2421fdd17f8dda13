import { describe, expect, it } from 'vitest'
import { partnerCreate, partnerPatch } from './schemas.js'

const valid = {
  name: 'Nordwind Logistik GmbH',
  email: 'einkauf@nordwind.example',
  phone: '+49 (40) 123-4567',
  website: 'https://nordwind.example/kontakt',
  vatId: 'de123456789',
}

describe('partner schemas (the source guides’ rules)', () => {
  it('accepts a valid partner and upper-cases the VAT id', () => {
    expect(partnerCreate.parse(valid)).toEqual({ ...valid, vatId: 'DE123456789' })
  })

  it.each([
    ['name', '<script>'],
    ['name', ''],
    ['name', 'x'.repeat(101)],
    ['email', 'no-at-sign.example'],
    ['email', 'a@nodot'],
    ['email', `${'a'.repeat(250)}@b.cd`],
    ['phone', '+49 40 ABC'],
    ['phone', '1'.repeat(21)],
    ['website', 'ftp://files.example'],
    ['website', 'https://localhost'],
    ['vatId', 'DE 123'],
    ['vatId', 'X'.repeat(33)],
  ])('refuses %s = %j', (field, value) => {
    expect(partnerCreate.safeParse({ ...valid, [field]: value }).success).toBe(false)
  })

  it('refuses unknown keys (an ownerId in the body) and bad credit limits', () => {
    expect(partnerCreate.safeParse({ ...valid, ownerId: 'u-max' }).success).toBe(false)
    expect(partnerPatch.safeParse({ creditLimit: -1 }).success).toBe(false)
    expect(partnerPatch.safeParse({ creditLimit: 1.5 }).success).toBe(false)
    expect(partnerPatch.parse({ creditLimit: 5_000 })).toEqual({ creditLimit: 5_000 })
  })

  it('answers a long hostile string in linear time (no backtracking)', () => {
    const hostile = `${'a@'.repeat(5_000)}`
    expect(partnerCreate.safeParse({ ...valid, email: hostile }).success).toBe(false)
    expect(
      partnerCreate.safeParse({ ...valid, website: `https://${'a.'.repeat(5_000)}` }).success,
    ).toBe(false)
  })
})
