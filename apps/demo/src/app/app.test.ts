import { describe, expect, it } from 'vitest'
import { EventHub, sseMessage } from './event-hub.js'
import { DEFAULT_ALLOW, SettingsError, settingsFrom } from './settings.js'

describe('settingsFrom', () => {
  it('gives a newcomer the defaults', () => {
    expect(settingsFrom({}, {})).toMatchObject({
      framework: 'hono',
      port: 3000,
      host: '::',
      allow: DEFAULT_ALLOW,
      perMinute: 100,
      loginPerMinute: 10,
      redisUrl: undefined,
    })
  })

  it('reads the command line and the environment', () => {
    const s = settingsFrom(
      { framework: 'koa', port: '8080' },
      {
        REDIS_URL: 'redis://127.0.0.1:6379',
        DEMO_ALLOW: ' 10.0.0.0/8 , ::1 ',
        DEMO_PER_MINUTE: '5',
        DEMO_LOCKOUT_SECRET: 'sixteen-chars-ok',
      },
    )
    expect(s).toMatchObject({ framework: 'koa', port: 8080, perMinute: 5 })
    expect(s.allow).toEqual(['10.0.0.0/8', '::1'])
    expect(s.redisUrl).toBe('redis://127.0.0.1:6379')
  })

  it.each([
    [{ framework: 'fastify' }, {}, /--framework must be one of express, koa, hono/],
    [{ port: '70000' }, {}, /--port/],
    [{ port: 'abc' }, {}, /--port/],
    [{}, { DEMO_PER_MINUTE: '0' }, /DEMO_PER_MINUTE must be a positive whole number/],
    [{}, { DEMO_PER_MINUTE: '1e3' }, /DEMO_PER_MINUTE/],
    [{}, { DEMO_SESSION_SECRET: 'short' }, /DEMO_SESSION_SECRET must be at least 32/],
    [{}, { DEMO_LOCKOUT_SECRET: 'short' }, /DEMO_LOCKOUT_SECRET must be at least 16/],
    [{}, { DEMO_WEBHOOK_SECRET: 'plain' }, /whsec_/],
  ])('refuses %o %o with a message naming the setting', (args, env, message) => {
    expect(() => settingsFrom(args, env)).toThrow(SettingsError)
    expect(() => settingsFrom(args, env)).toThrow(message)
  })
})

describe('EventHub', () => {
  it('stamps events, replays the backlog to a new subscriber and keeps only the last ones', () => {
    const hub = new EventHub(2)
    hub.publish({ type: 'a' }, 1)
    hub.publish({ type: 'b' }, 2)
    hub.publish({ type: 'c', detail: 'x' }, 3)
    const seen: unknown[] = []
    const off = hub.subscribe((e) => seen.push(e))
    expect(seen).toEqual([
      { type: 'b', time: 2 },
      { type: 'c', detail: 'x', time: 3 },
    ])
    hub.publish('not an object', 4)
    expect(seen.at(-1)).toEqual({ type: 'unknown', time: 4 })
    off()
    hub.publish({ type: 'd' }, 5)
    expect(seen).toHaveLength(3)
  })

  it('drops a listener that throws, and still delivers to the others', () => {
    const hub = new EventHub()
    const seen: string[] = []
    hub.subscribe(() => {
      throw new Error('socket gone')
    })
    hub.subscribe((e) => seen.push(e.type))
    hub.publish({ type: 'one' })
    hub.publish({ type: 'two' })
    expect(seen).toEqual(['one', 'two'])
    expect(hub.size).toBe(1)
  })

  it('frames SSE messages on one data line, even for text with newlines', () => {
    expect(sseMessage('security', { type: 'x', note: 'a\nb' })).toBe(
      'event: security\ndata: {"type":"x","note":"a\\nb"}\n\n',
    )
  })
})
