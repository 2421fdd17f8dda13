// The logger integrations against the real loggers (pino, winston), on Node. Excluded from the
// edge run: the loggers themselves are Node libraries.
import { pino } from 'pino'
import { describe, expect, it, vi } from 'vitest'
import winston from 'winston'
import Transport from 'winston-transport'
import { pinoRedaction, safeConsole, winstonRedaction } from './loggers.js'
import { createRedactor } from './redactor.js'

const redact = createRedactor({ paths: ['req.headers.cookie', '**.card'] })

describe('pino', () => {
  it('redacts the merging object, case-insensitive keys and ** paths included', () => {
    const lines: string[] = []
    const logger = pino(
      { ...pinoRedaction(redact), base: null, timestamp: false },
      {
        write: (line: string) => lines.push(line),
      },
    )
    const req = { headers: { cookie: 'sid=1', Authorization: 'Bearer t', accept: '*/*' } }
    logger.info({ req, order: { card: '4242', id: 7 } }, 'paid')
    expect(JSON.parse(lines[0] as string)).toEqual({
      level: 30,
      req: { headers: { cookie: '[REDACTED]', Authorization: '[REDACTED]', accept: '*/*' } },
      order: { card: '[REDACTED]', id: 7 },
      msg: 'paid',
    })
    // The caller's object is untouched.
    expect(req.headers.cookie).toBe('sid=1')
  })

  it("redacts child loggers' bindings (any depth) and interpolated values (%j, %o, %s)", () => {
    const lines: string[] = []
    const logger = pino(
      { ...pinoRedaction(redact), timestamp: false },
      { write: (line: string) => lines.push(line) },
    )
    const ctx = { token: 'tok-1', user: 'ann' }
    const child = logger.child({ ctx, apiKey: 'k-2' })
    child.info('login %j then %o for %s', { password: 'p-3', id: 1 }, { card: 'c-4' }, 'ann')
    child.child({ region: 'eu', password: 'p-6' }).info({ card: 'c-5' }, 'again')
    // pino writes binding keys unescaped; a line it would break keeps no binding of that child.
    child.child({ 'odd"key': 'p-7' }).info('odd')
    const [first, second, third] = lines.map((line) => JSON.parse(line))
    expect(first).toEqual({
      level: 30,
      pid: process.pid,
      hostname: expect.any(String),
      ctx: { token: '[REDACTED]', user: 'ann' },
      apiKey: '[REDACTED]',
      msg: 'login {"password":"[REDACTED]","id":1} then {"card":"[REDACTED]"} for ann',
    })
    expect(second).toMatchObject({
      ctx: { token: '[REDACTED]', user: 'ann' },
      apiKey: '[REDACTED]',
      region: 'eu',
      password: '[REDACTED]',
      card: '[REDACTED]',
      msg: 'again',
    })
    expect(third).toMatchObject({ apiKey: '[REDACTED]', bindings: '[Unserializable]', msg: 'odd' })
    expect(lines.join('')).not.toMatch(/tok-1|k-2|p-3|c-4|c-5|p-6|p-7/)
    expect(ctx.token).toBe('tok-1')
  })

  it("redacts the error's message pino makes the line's msg when none is given", () => {
    const lines: string[] = []
    const logger = pino(
      { ...pinoRedaction(createRedactor({ detectors: ['jwt', 'url-credentials'] })), base: null },
      { write: (line: string) => lines.push(line) },
    )
    const leak = 'connect to https://admin:hunter2@db.internal failed'
    logger.error(new Error(leak))
    logger.error({ err: new Error(leak) })
    for (const line of lines) {
      expect(line).not.toContain('hunter2')
      expect(JSON.parse(line).msg).toBe('connect to https://admin:[REDACTED]@db.internal failed')
    }
    expect(lines).toHaveLength(2)
  })

  it('keeps an error whole in the line', () => {
    const lines: string[] = []
    const logger = pino(
      { ...pinoRedaction(redact), base: null, timestamp: false },
      {
        write: (line: string) => lines.push(line),
      },
    )
    logger.error({ err: Object.assign(new Error('boom'), { password: 'p' }) }, 'failed')
    expect(JSON.parse(lines[0] as string).err).toMatchObject({
      name: 'Error',
      message: 'boom',
      password: '[REDACTED]',
      stack: expect.stringContaining('boom'),
    })
  })
})

describe('winston', () => {
  it('redacts each entry before the json format', async () => {
    const seen: unknown[] = []
    class Capture extends Transport {
      override log(info: unknown, next: () => void) {
        seen.push(info)
        next()
      }
    }
    const logger = winston.createLogger({
      format: winston.format.combine(winstonRedaction(redact), winston.format.json()),
      transports: [new Capture()],
    })
    logger.info('login', { password: 'p', user: 'ann', order: { card: '4242' } })
    await new Promise((resolve) => setImmediate(resolve))
    const entry = seen[0] as Record<string | symbol, unknown>
    expect(entry).toMatchObject({
      level: 'info',
      message: 'login',
      password: '[REDACTED]',
      user: 'ann',
    })
    expect(JSON.parse(entry[Symbol.for('message')] as string)).toMatchObject({
      password: '[REDACTED]',
      order: { card: '[REDACTED]' },
    })
  })
})

describe('safeConsole', () => {
  it('redacts every argument before the target console sees it', () => {
    const target = { log: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn(), debug: vi.fn() }
    safeConsole(redact, target).error('failed', { token: 't', n: 1 })
    expect(target.error).toHaveBeenCalledWith('failed', { token: '[REDACTED]', n: 1 })
  })
})
