import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runClient } from './client-run.js'
import { type RunningDemo, startDemo } from './server.js'

describe('pnpm demo:client', () => {
  let demo: RunningDemo
  beforeAll(async () => {
    demo = await startDemo({ framework: 'koa', port: 0, host: '127.0.0.1', logLevel: 'silent' })
  }, 30_000)
  afterAll(() => demo.close())

  it('gets every answer it expects, the replay and the changed body refused', async () => {
    const steps = await runClient(demo.origin)
    expect(steps.map((s) => [s.status, s.expected])).toEqual(
      steps.map((s) => [s.expected, s.expected]),
    )
    expect(steps[1]?.detail).toBe('code: replayed')
    expect(steps[3]?.detail).toBe('code: invalid-signature')
    expect(steps[6]?.detail).toBe('code: digest-mismatch')
    expect(steps[4]?.detail).toMatch(/owner svc-crm$/)
  })
})
