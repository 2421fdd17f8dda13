import { describe, expect, it } from 'vitest'
import { durationSchema, parseOptions, RampartConfigError, z } from './config.js'

const schema = z.strictObject({
  limit: z.number().int().positive(),
  window: durationSchema({ min: 1 }),
  nested: z.strictObject({ enabled: z.boolean() }).optional(),
  list: z.array(z.string()).optional(),
})

function issuesOf(input: unknown) {
  try {
    parseOptions('@rampart/test factory()', schema, input, 'ERR_TEST_CONFIG')
  } catch (error) {
    expect(error).toBeInstanceOf(RampartConfigError)
    return error as RampartConfigError
  }
  throw new Error('expected a RampartConfigError')
}

describe('parseOptions', () => {
  it('returns parsed values, durations in ms', () => {
    expect(parseOptions('x', schema, { limit: 5, window: '15m' })).toEqual({
      limit: 5,
      window: 900_000,
    })
  })

  it('names every invalid option path, with the scope and code', () => {
    const error = issuesOf({ limit: -1, window: 'soon', list: ['a', 3] })
    expect(error.code).toBe('ERR_TEST_CONFIG')
    expect(error.message).toContain('@rampart/test factory()')
    expect(error.issues.map((i) => i.path).sort()).toEqual(['limit', 'list[1]', 'window'])
    expect(error.issues.find((i) => i.path === 'window')?.message).toMatch(
      /'soon' is not a duration.*15m/,
    )
  })

  it('suggests the nearest known option for a typo', () => {
    const error = issuesOf({ limit: 1, window: 1, limt: 2 })
    expect(error.issues).toEqual([
      { path: 'limt', message: "unknown option. Did you mean 'limit'?" },
    ])
  })

  it('lists known options when nothing is close, also in nested objects', () => {
    const error = issuesOf({ limit: 1, window: 1, nested: { enabled: true, zzzzzzzz: 1 } })
    expect(error.issues[0]?.path).toBe('nested.zzzzzzzz')
    expect(error.issues[0]?.message).toContain('Known options: enabled')
  })

  it('enforces duration bounds', () => {
    const error = issuesOf({ limit: 1, window: 0 })
    expect(error.issues[0]?.message).toMatch(/between 1 ms/)
  })
})
