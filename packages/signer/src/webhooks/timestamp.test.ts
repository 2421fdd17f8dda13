import { describe, expect, it } from 'vitest'
import {
  checkTolerance,
  clockOf,
  DEFAULT_TOLERANCE_MS,
  isUnixSeconds,
  parseUnixSeconds,
} from './timestamp.js'

describe('parseUnixSeconds', () => {
  it('reads canonical integers', () => {
    expect(parseUnixSeconds('0')).toBe(0)
    expect(parseUnixSeconds('1614265330')).toBe(1614265330)
    expect(parseUnixSeconds('999999999999')).toBe(999999999999)
  })
  it.each([
    '',
    '+123',
    '-1',
    '1e9',
    '0x10',
    ' 123',
    '123 ',
    '123.0',
    '1.5',
    '0123',
    '00',
    '1_000',
    '1,000',
    'abc',
    'Infinity',
    'NaN',
    '１２３',
    '1234567890123',
    '9'.repeat(10_000),
  ])('refuses %j', (text) => {
    expect(parseUnixSeconds(text)).toBeUndefined()
  })
})

describe('isUnixSeconds', () => {
  it('accepts what parseUnixSeconds would read back', () => {
    expect(isUnixSeconds(0)).toBe(true)
    expect(isUnixSeconds(999999999999)).toBe(true)
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 1e12]) {
      expect(isUnixSeconds(bad)).toBe(false)
    }
  })
})

describe('checkTolerance', () => {
  const t = 1_700_000_000
  const at = (ms: number, tolerance?: number) =>
    clockOf({ now: () => ms, ...(tolerance === undefined ? {} : { tolerance }) })
  it('defaults to five minutes and accepts the boundary itself', () => {
    expect(DEFAULT_TOLERANCE_MS).toBe(300_000)
    expect(checkTolerance(t, at(t * 1000 + 300_000))).toBeUndefined()
    expect(checkTolerance(t, at(t * 1000 - 300_000))).toBeUndefined()
    expect(checkTolerance(t, at(t * 1000 + 300_001))).toBe('too-old')
    expect(checkTolerance(t, at(t * 1000 - 300_001))).toBe('created-in-future')
  })
  it('honours a configured tolerance, including zero', () => {
    expect(checkTolerance(t, at(t * 1000, 0))).toBeUndefined()
    expect(checkTolerance(t, at(t * 1000 + 1, 0))).toBe('too-old')
    expect(checkTolerance(t, at(t * 1000 - 1, 0))).toBe('created-in-future')
    expect(checkTolerance(t, at(t * 1000 + 10_000, 10_000))).toBeUndefined()
    expect(checkTolerance(t, at(t * 1000 + 10_001, 10_000))).toBe('too-old')
  })
  it('uses Date.now when no clock is given', () => {
    const clock = clockOf({})
    expect(clock.now).toBe(Date.now)
    expect(clock.tolerance).toBe(DEFAULT_TOLERANCE_MS)
  })
  it('throws for a configuration that cannot work', () => {
    expect(() => clockOf({ tolerance: -1 })).toThrow(TypeError)
    expect(() => clockOf({ tolerance: Number.NaN })).toThrow(TypeError)
    expect(() => clockOf({ tolerance: Number.POSITIVE_INFINITY })).toThrow(TypeError)
    expect(() => checkTolerance(t, clockOf({ now: () => Number.NaN }))).toThrow(TypeError)
  })
})
