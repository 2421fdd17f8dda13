/**
 * The demo's log: pino, with every line, message and child binding sent through the redactor,
 * so a password, a bearer token or an e-mail address typed into the demo never reaches it.
 * @module
 */
import { createRedactor, pinoRedaction, type Redactor } from '@rampart/redactor'
import { type Logger, pino } from 'pino'

/** The logger and the redactor behind it (also used for the event stream). */
export interface DemoLogging {
  readonly logger: Logger
  readonly redactor: Redactor
}

/** A pino logger at `level` whose output is redacted (key rules plus every detector). */
export function createLogging(level: string): DemoLogging {
  const redactor = createRedactor({
    paths: ['**.password', '**.token', '**.secret'],
    detectors: 'all',
  })
  const logger = pino({ ...pinoRedaction(redactor), level, base: { app: 'rampart-demo' } })
  return { logger, redactor }
}
