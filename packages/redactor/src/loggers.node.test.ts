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
