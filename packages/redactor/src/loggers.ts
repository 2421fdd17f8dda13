/**
 * Logger integrations. None imports its logger: each returns the plain shape the logger's options
 * take, so the package stays free of logger dependencies.
 * @module
 */
import type { Redactor } from './redactor.js'

/** The pino options a redactor fills in (merge them into yours). */
export interface PinoRedaction {
  /** `formatters.log`: the merging object of each line, redacted (a copy; yours is untouched). */
  readonly formatters: {
    readonly log: (object: Record<string, unknown>) => Record<string, unknown>
  }
  /** `hooks.logMethod`: string arguments (the message and its interpolation values) redacted. */
  readonly hooks: {
    readonly logMethod: (
      this: unknown,
      args: unknown[],
      method: (...args: unknown[]) => unknown,
      level: number,
    ) => unknown
  }
}

function redactString(redact: Redactor, text: string): string {
  const out = redact(text)
  return typeof out === 'string' ? out : String(out)
}

/**
 * pino options that send every line through the redactor: the merging object through
 * `formatters.log`, message strings through `hooks.logMethod` (where the detectors find what
 * paths cannot). Use instead of pino's `redact` option, which has no `**`, no key rules and no
 * detectors. Child loggers' bindings and `%j`/`%o` interpolation values are not covered.
 * @example const logger = pino({ ...pinoRedaction(redact), level: 'info' })
 */
export function pinoRedaction(redact: Redactor): PinoRedaction {
  return {
    formatters: {
      log(object) {
        const out = redact(object)
        return typeof out === 'object' && out !== null && !Array.isArray(out)
          ? (out as Record<string, unknown>)
          : { value: out }
      },
    },
    hooks: {
      logMethod(args, method) {
        const safe = args.map((arg) => (typeof arg === 'string' ? redactString(redact, arg) : arg))
        return method.apply(this, safe)
      },
    },
  }
}

/** The methods of a console-like logger. */
export type ConsoleLike = Pick<Console, 'log' | 'info' | 'warn' | 'error' | 'debug'>

/**
 * A console whose every argument goes through the redactor first (objects as redacted copies,
 * strings scanned by the detectors), writing to `target` (default the global `console`).
 * @example const log = safeConsole(redact); log.error('login failed', { password })
 */
export function safeConsole(redact: Redactor, target: ConsoleLike = console): ConsoleLike {
  const wrap =
    (method: (...args: unknown[]) => void) =>
    (...args: unknown[]) =>
      method.apply(
        target,
        args.map((arg) => redact(arg)),
      )
  return {
    log: wrap(target.log),
    info: wrap(target.info),
    warn: wrap(target.warn),
    error: wrap(target.error),
    debug: wrap(target.debug),
  }
}

/** A winston format: an object with `transform(info)`, as `winston.format()` instances are. */
export interface WinstonFormat {
  transform<T extends object>(info: T): T
}

/**
 * A winston format that redacts each log entry (its fields and its message). Put it first in
 * `format.combine(...)`. winston keeps its level and message under symbols, which are kept as
 * they are.
 * @example winston.createLogger({ format: winston.format.combine(winstonRedaction(redact), winston.format.json()) })
 */
export function winstonRedaction(redact: Redactor): WinstonFormat {
  return {
    transform<T extends object>(info: T): T {
      const copy = redact(info)
      const out: Record<string | symbol, unknown> =
        typeof copy === 'object' && copy !== null ? { ...(copy as Record<string, unknown>) } : {}
      for (const symbol of Object.getOwnPropertySymbols(info)) {
        const value = (info as Record<symbol, unknown>)[symbol]
        out[symbol] = typeof value === 'string' ? redactString(redact, value) : value
      }
      return out as T
    },
  }
}
