/**
 * The demo's log: pino, with every line, message and child binding sent through the redactor,
 * so a password, a bearer token or an e-mail address typed into the demo never reaches it.
 * @module
 */
import { createRedactor, pinoRedaction, type Redactor } from '@rampart/redactor'
import { type DestinationStream, type Logger, pino } from 'pino'

/** The logger and the redactor behind it (also used for the event stream). */
export interface DemoLogging {
  readonly logger: Logger
  readonly redactor: Redactor
}

/**
 * A pino logger at `level` whose output is redacted (key rules plus every detector), writing to
 * stdout or to `destination`.
 */
export function createLogging(level: string, destination?: DestinationStream): DemoLogging {
  const redactor = createRedactor({
    paths: ['**.password', '**.token', '**.secret'],
    detectors: 'all',
  })
  const options = { ...pinoRedaction(redactor), level, base: { app: 'rampart-demo' } }
  const logger = destination === undefined ? pino(options) : pino(options, destination)
  return { logger, redactor }
}
