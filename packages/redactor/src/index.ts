/**
 * `@rampart/redactor`: secrets and PII kept out of logs, error reports and responses — pino
 * paths with `**`, case-insensitive key rules, censors, and a serialiser that never throws.
 * @packageDocumentation
 */
export {
  type AccessLogEntry,
  type AccessLogger,
  type AccessLogOptions,
  accessLog,
  DEFAULT_LOGGED_HEADERS,
} from './access-log.js'
export { type Censor, DEFAULT_CENSOR } from './censor.js'
export { MARKERS, MAX_DEPTH_LIMIT } from './copy.js'
export { DEFAULT_SECRET_KEYS } from './keys.js'
export {
  type ConsoleLike,
  type PinoRedaction,
  pinoRedaction,
  safeConsole,
  type WinstonFormat,
  winstonRedaction,
} from './loggers.js'
export { PathSyntaxError } from './paths.js'
export {
  createRedactor,
  REDACTOR_CONFIG_CODE,
  type Redactor,
  type RedactorOptions,
} from './redactor.js'
export {
  type ErrorLogEntry,
  type ErrorLogger,
  type SafeErrorsOptions,
  safeErrors,
} from './safe-errors.js'
