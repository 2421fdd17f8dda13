import { describe, expect, it } from 'vitest'
import { parseDuration, tryParseDuration } from './duration.js'

describe('parseDuration', () => {
  it.each([
    [250, 250],
    [0, 0],
    ['250', 250],
    ['250ms', 250],
    ['30s', 30_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['7d', 604_800_000],
    ['2w', 1_209_600_000],
    ['1.5s', 1_500],
    [' 5 m ', 300_000],
    [1.4, 1],
  ])('%j → %d ms', (input, ms) => {
    expect(parseDuration(input as never)).toBe(ms)
  })

  it.each([
    -1,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    '',
    'abc',
    '15 minutes',
    '1y',
    '-5m',
    '5mm',
    '1e3',
    `${'9'.repeat(40)}d`,
  ])('rejects %j with a reason', (input) => {
    const result = tryParseDuration(input)
    expect(result.ok).toBe(false)
    expect(() => parseDuration(input as never)).toThrow(RangeError)
  })

  it('rejects non-string, non-number input without throwing from tryParseDuration', () => {
    expect(tryParseDuration({})).toEqual({ ok: false, reason: expect.stringContaining('object') })
    expect(tryParseDuration(undefined).ok).toBe(false)
  })

  it('is linear on hostile input', () => {
    const hostile = `${'1'.repeat(100_000)}x`
    expect(tryParseDuration(hostile).ok).toBe(false)
  })
})
