// Node's small Buffers are views into one shared 8 KiB pool: a comparison must read only the
// bytes each Buffer covers, not the pool behind it.
import { describe, expect, it } from 'vitest'
import { timingSafeEqual } from './bytes.js'

describe('timingSafeEqual on pooled Node Buffers', () => {
  it('compares pooled Buffers by their own bytes', () => {
    const a = Buffer.from('same-mac-value')
    const b = Buffer.from('same-mac-value')
    const c = Buffer.from('other-mac-valu')
    expect(a.byteOffset > 0 || b.byteOffset > 0).toBe(true) // they really sit in the pool
    expect(a.buffer === b.buffer).toBe(true)
    expect(timingSafeEqual(a, b)).toBe(true)
    expect(timingSafeEqual(a, c)).toBe(false)
    expect(timingSafeEqual(a, new TextEncoder().encode('same-mac-value'))).toBe(true)
    expect(timingSafeEqual(a.subarray(5), Buffer.from('mac-value'))).toBe(true)
  })
})
