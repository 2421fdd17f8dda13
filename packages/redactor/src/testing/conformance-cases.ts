/**
 * `accessLog()` behaviour every adapter must show: pass these to
 * `runConformanceSuite(harness, [redactorCases])`.
 * @module
 */
import { type ConformanceCases, eventually } from '@rampart/core/testing'
import { describe, expect, it } from 'vitest'
import { type AccessLogEntry, accessLog } from '../access-log.js'
import { type ErrorLogEntry, safeErrors } from '../safe-errors.js'

/** Conformance cases for `@rampart/redactor`. */
export const redactorCases: ConformanceCases = (_harness, start) => {
  describe('accessLog', () => {
    it('logs one redacted line per response, whatever answers it', async () => {
      const lines: AccessLogEntry[] = []
      const app = await start({ guards: [accessLog({ logger: (entry) => lines.push(entry) })] })
      const res = await fetch(`${app.origin}/echo?token=abc123&q=1`, {
        headers: {
          authorization: 'Bearer s3cret',
          'user-agent': 'conformance',
          'x-request-id': 'log-1',
        },
      })
      await res.text()
      for (const path of ['/status/418', '/nowhere'])
        await (await fetch(`${app.origin}${path}`)).text()
      await eventually(() => expect(lines).toHaveLength(3))
      const [echo, teapot, missing] = lines as [AccessLogEntry, AccessLogEntry, AccessLogEntry]
      expect(echo).toMatchObject({
        requestId: 'log-1',
        method: 'GET',
        path: '/echo',
        status: 200,
        aborted: false,
        ip: '127.0.0.1',
        headers: { authorization: '[REDACTED]', 'user-agent': 'conformance' },
        query: { token: '[REDACTED]', q: '1' },
      })
      expect(echo.durationMs).toBeGreaterThanOrEqual(0)
      expect(teapot).toMatchObject({ path: '/status/418', status: 418 })
      expect(missing).toMatchObject({ path: '/nowhere', status: 404 })
      expect(JSON.stringify(lines)).not.toMatch(/s3cret|abc123/)
    })

    it('a throwing logger never changes the response', async () => {
      const app = await start({
        guards: [
          accessLog({
            logger: () => {
              throw new Error('logger down')
            },
          }),
        ],
      })
      const res = await fetch(`${app.origin}/echo`)
      expect(res.status).toBe(200)
      await res.text()
    })
  })

  describe('rampartErrors(safeErrors())', () => {
    it('answers a handler error with a problem and the request id; the log gets the redacted error', async () => {
      const logged: ErrorLogEntry[] = []
      const reporter = safeErrors({ logger: (entry) => logged.push(entry) })
      const app = await start({ guards: [], errorReporter: reporter })
      const res = await fetch(`${app.origin}/throw`, { headers: { 'x-request-id': 'err-1' } })
      expect(res.status).toBe(500)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      expect(res.headers.get('x-request-id')).toBe('err-1')
      const text = await res.text()
      expect(JSON.parse(text)).toEqual({
        type: 'urn:rampart:problem:internal-error',
        title: 'Internal Server Error',
        status: 500,
        detail: 'The request could not be processed.',
        requestId: 'err-1',
      })
      expect(text).not.toMatch(/exploded|secret-token|at .*\.(js|ts)/)
      await eventually(() => expect(logged).toHaveLength(1))
      expect(logged[0]).toMatchObject({
        requestId: 'err-1',
        method: 'GET',
        path: '/throw',
        status: 500,
        error: {
          name: 'Error',
          message: 'handler exploded: secret-token-123',
          stack: expect.any(String),
        },
      })
    })

    it('gives the answer a fresh correlation id when the client sent none', async () => {
      const reporter = safeErrors({ logger: () => {} })
      const app = await start({ guards: [], errorReporter: reporter })
      const res = await fetch(`${app.origin}/throw`)
      const body = (await res.json()) as { requestId?: string }
      expect(body.requestId).toMatch(/^[\w-]{8,}$/)
      expect(res.headers.get('x-request-id')).toBe(body.requestId)
    })
  })
}
