import { ProblemError, problem } from '@rampart/core'
import { describe, expect, it } from 'vitest'
import { type ErrorLogEntry, safeErrors } from './safe-errors.js'

const request = { requestId: 'r-1', method: 'POST', path: '/login', ip: '192.0.2.1' }

function reporter(extra: Partial<Parameters<typeof safeErrors>[0]> = {}) {
  const logged: ErrorLogEntry[] = []
  return { logged, report: safeErrors({ logger: (e) => logged.push(e), ...extra }) }
}

describe('safeErrors', () => {
  it('answers 500 with nothing from the error, and logs it whole and redacted', () => {
    const { logged, report } = reporter()
    const error = Object.assign(new Error('db password=hunter2 refused'), {
      password: 'hunter2',
      code: 'ECONN',
    })
    expect(report.report(error, request)).toMatchObject({
      status: 500,
      type: 'urn:rampart:problem:internal-error',
    })
    expect(logged[0]).toMatchObject({
      ...request,
      status: 500,
      error: { name: 'Error', code: 'ECONN', password: '[REDACTED]' },
    })
  })

  it("answers a ProblemError's own problem, and problemFor's", () => {
    const { report } = reporter({
      problemFor: (e) =>
        e instanceof RangeError ? problem(422, 'out-of-range', 'Unprocessable Content') : undefined,
    })
    const own = problem(409, 'taken', 'Conflict')
    expect(report.report(new ProblemError(own), request)).toBe(own)
    expect(report.report(new RangeError('x'), request)).toMatchObject({
      status: 422,
      type: 'urn:rampart:problem:out-of-range',
    })
  })

  it('shows an exposed 4xx HTTP error (http-errors, Hono HTTPException), never a 5xx one', () => {
    const { report } = reporter()
    const notFound = Object.assign(new Error('No such partner'), { status: 404, expose: true })
    expect(report.report(notFound, request)).toMatchObject({
      status: 404,
      title: 'Not Found',
      detail: 'No such partner',
    })
    const hidden = Object.assign(new Error('internal detail'), { status: 404, expose: false })
    expect(report.report(hidden, request)).toMatchObject({ status: 500 })
    const hono = Object.assign(new Error('Bad input'), { status: 400, name: 'HTTPException' })
    expect(report.report(hono, request)).toMatchObject({ status: 400, detail: 'Bad input' })
    const server = Object.assign(new Error('upstream'), { status: 502, expose: true })
    expect(report.report(server, request)).toMatchObject({ status: 500 })
  })

  it('a throwing logger or problemFor loses the line, never the answer', () => {
    const report = safeErrors({
      logger: () => {
        throw new Error('log down')
      },
      problemFor: () => {
        throw new Error('mapper bug')
      },
    })
    expect(report.report(new Error('x'), request)).toMatchObject({ status: 500 })
    expect(() => safeErrors({ logger: 'console' as never })).toThrow(TypeError)
  })

  it('takes a logger with an error() method', () => {
    const lines: unknown[][] = []
    const report = safeErrors({ logger: { error: (...args: unknown[]) => lines.push(args) } })
    report.report(new Error('x'), request)
    expect(lines[0]?.[1]).toBe('POST /login failed')
  })
})
