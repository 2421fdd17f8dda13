// Type-level contract: checked by `tsc` (the typecheck task compiles tests) and run as no-ops.
import { describe, expectTypeOf, it } from 'vitest'
import type { SecurityContext } from './context.js'
import type { SecurityEvent, SecurityEventHandler } from './events.js'
import { stateKey } from './state.js'

// How a feature package adds its events.
declare module './events.js' {
  interface SecurityEventMap {
    'example.limited': { readonly key: string; readonly limit: number }
  }
}

describe('public types', () => {
  it('state keys carry their value type', () => {
    const nonce = stateKey<string>('nonce')
    expectTypeOf<SecurityContext['state']['get']>().toBeFunction()
    const read = (ctx: SecurityContext) => ctx.state.get(nonce)
    expectTypeOf(read).returns.toEqualTypeOf<string | undefined>()
    // @ts-expect-error a number is not a string
    const write = (ctx: SecurityContext) => ctx.state.set(nonce, 42)
    void write
  })

  it('events are a discriminated union that packages extend by declaration merging', () => {
    const handler: SecurityEventHandler = (event) => {
      if (event.type === 'example.limited') expectTypeOf(event.limit).toEqualTypeOf<number>()
      if (event.type === 'rampart.warning') expectTypeOf(event.code).toEqualTypeOf<string>()
      expectTypeOf(event.requestId).toEqualTypeOf<string | undefined>()
    }
    void handler
    expectTypeOf<SecurityEvent<'example.limited'>['key']>().toEqualTypeOf<string>()
  })

  it('emit checks the fields of the event it names', () => {
    const ok = (ctx: SecurityContext) => ctx.emit('example.limited', { key: 'k', limit: 1 })
    // @ts-expect-error limit is missing
    const missing = (ctx: SecurityContext) => ctx.emit('example.limited', { key: 'k' })
    // @ts-expect-error unknown event name
    const unknown = (ctx: SecurityContext) => ctx.emit('nope', {})
    void ok
    void missing
    void unknown
  })
})
