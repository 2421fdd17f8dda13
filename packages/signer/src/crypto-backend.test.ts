// Each vitest run checks it tests the backend it means to: the Node run the node:crypto one, the
// edge run the Web Crypto one (vitest.config.ts and vitest.edge.config.ts). Every other test in
// the package then runs against both.

import { describe, expect, it } from 'vitest'
import { BACKEND } from '#crypto-backend'

describe('crypto backend', () => {
  it('is node:crypto on Node and Web Crypto in the edge runtime', () => {
    const edge = typeof (globalThis as { EdgeRuntime?: unknown }).EdgeRuntime === 'string'
    expect(BACKEND).toBe(edge ? 'web-crypto' : 'node-crypto')
  })
})
