// The demo's domain without any framework: sign-in, the partner store and the policy that the
// three apps put in front of it.
import { beforeAll, describe, expect, it } from 'vitest'
import { PartnerStore } from './partners.js'
import { demoPolicy } from './policy.js'
import { DEMO_ACCOUNTS, UserStore } from './users.js'

describe('demo domain', () => {
  let users: UserStore
  beforeAll(async () => {
    users = await UserStore.seeded()
  })
  const sign = async (name: string) => {
    const account = DEMO_ACCOUNTS.find((a) => a.name === name)
    const user = await users.authenticate(name, account?.password ?? '')
    if (user === undefined) throw new Error(`cannot sign in as ${name}`)
    return user
  }

  it('signs the demo accounts in, and nobody with a wrong password or an unknown name', async () => {
    expect((await sign('ed')).roles).toEqual(['editor'])
    expect(await users.authenticate('ed', 'vera-demo-password')).toBeUndefined()
    expect(await users.authenticate('mallory', 'ed-demo-password')).toBeUndefined()
    expect(await users.authenticate('ＥＤ', 'ed-demo-password')).toMatchObject({ id: 'u-ed' })
  })

  it('hands out copies: changing a returned record does not change the store', () => {
    const store = new PartnerStore()
    const first = store.get('p-1001') as { name: string }
    first.name = 'changed'
    expect(store.get('p-1001')?.name).toBe('Nordwind Logistik GmbH')
  })

  it('lets managers see and write the credit limit, editors only their own partners', async () => {
    const store = new PartnerStore()
    const [vera, ed, max] = await Promise.all([sign('vera'), sign('ed'), sign('max')])
    const own = store.get('p-1001')
    const others = store.get('p-1002')
    expect(demoPolicy.filter(vera, 'partner:read', own)).not.toHaveProperty('creditLimit')
    expect(demoPolicy.filter(max, 'partner:read', own)).toHaveProperty('creditLimit', 50_000)
    expect(demoPolicy.can(ed, 'partner:update', own)).toBe(true)
    expect(demoPolicy.can(ed, 'partner:update', others)).toBe(false)
    const raise = demoPolicy.checkWrite(
      ed,
      'partner:update',
      { creditLimit: 1e6 },
      { resource: own },
    )
    expect(raise).toMatchObject({ ok: false, forbidden: ['creditLimit'] })
    const byManager = demoPolicy.checkWrite(
      max,
      'partner:update',
      { creditLimit: 1e6 },
      { resource: others },
    )
    expect(byManager.ok).toBe(true)
    expect(demoPolicy.filter(vera, 'partner:read', store.list())).toHaveLength(3)
  })
})
