/**
 * Logger integrations. None imports its logger: each returns the plain shape the logger's options
 * take, so the package stays free of logger dependencies.
 * @module
 */
import type { Redactor } from './redactor.js'

/** The pino options a redactor fills in (merge them into yours). */
export interface PinoRedaction {
  /** pino's `formatters`, with yours to merge in. */
  readonly formatters: {
    /** The merging object of each line, redacted (a copy; yours is untouched). */
    readonly log: (object: Record<string, unknown>) => Record<string, unknown>
    /** The root logger's own bindings (`base`), redacted. */
    readonly bindings: (bindings: Record<string, unknown>) => Record<string, unknown>
  }
  /**
   * `onChild`: a child logger's bindings (`logger.child({ … })`) redacted once, when the child is
   * made. pino gives children no formatter of the root's, so this rewrites the child's own part of
   * its serialised bindings. Call it from your own `onChild` if you have one.
   */
  readonly onChild: (child: object) => void
  /**
   * `hooks.logMethod`: the message and its interpolation values (`%s`, `%j`, `%o` …) redacted,
   * strings scanned by the detectors and objects copied; a leading merging object is left to
   * `formatters.log`.
   */
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

function redactRecord(redact: Redactor, object: Record<string, unknown>): Record<string, unknown> {
  const out = redact(object)
  return typeof out === 'object' && out !== null && !Array.isArray(out)
    ? (out as Record<string, unknown>)
    : { value: out }
}

/**
 * The message pino takes from an error when a line has none: `logger.error(err)` or
 * `logger.error({ err })` (with pino's default `errorKey` and `messageKey`).
 */
function impliedMessage(first: unknown): string | undefined {
  if (typeof first !== 'object' || first === null) return undefined
  const error = first instanceof Error ? first : (first as { err?: unknown }).err
  if ((first as { msg?: unknown }).msg !== undefined || !(error instanceof Error)) return undefined
  try {
    return typeof error.message === 'string' ? error.message : undefined
  } catch {
    return undefined
  }
}

/** The description of pino's symbol for a logger's serialised bindings (pino 8 and 9). */
const CHINDINGS = 'pino.chindings'

function chindingsSymbol(logger: object): symbol | undefined {
  return Object.getOwnPropertySymbols(logger).find((s) => s.description === CHINDINGS)
}

/**
 * Redacts the bindings a child added to its parent's: pino keeps them serialised, as
 * `,"key":value` pairs after the parent's, and has already written them when `onChild` runs.
 */
function redactChildBindings(redact: Redactor, child: object): void {
  const symbol = chindingsSymbol(child)
  const store = child as Record<symbol, unknown>
  const own = symbol === undefined ? undefined : store[symbol]
  const parent = symbol === undefined ? undefined : Object.getPrototypeOf(child)?.[symbol]
  if (symbol === undefined || typeof own !== 'string') {
    // Failing loudly beats logging the secrets: this pino keeps its bindings another way.
    throw new Error(
      "pinoRedaction: cannot find this pino version's child bindings; pass { formatters: { bindings } } in logger.child()'s options instead",
    )
  }
  const base = typeof parent === 'string' && own.startsWith(parent) ? parent : ''
  const added = own.slice(base.length)
  if (added === '') return
  let bindings: Record<string, unknown>
  try {
    bindings = JSON.parse(`{${added.slice(1)}}`)
  } catch {
    // Keys pino did not escape: nothing of the child's bindings is written rather than a secret.
    store[symbol] = `${base},"bindings":"[Unserializable]"`
    return
  }
  let text = ''
  for (const [key, value] of Object.entries(redactRecord(redact, bindings))) {
    text += `,${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`
  }
  store[symbol] = base + text
}

/**
 * pino options that send every line through the redactor: the merging object through
 * `formatters.log`, the root's bindings through `formatters.bindings`, a child logger's bindings
 * through `onChild`, the message and its
 * interpolation values through `hooks.logMethod` (where the detectors find what paths cannot).
 * Use instead of pino's `redact` option, which has no `**`, no key rules and no detectors.
 * @example const logger = pino({ ...pinoRedaction(redact), level: 'info' })
 */
export function pinoRedaction(redact: Redactor): PinoRedaction {
  return {
    formatters: {
      log: (object) => redactRecord(redact, object),
      bindings: (bindings) => redactRecord(redact, bindings),
    },
    onChild: (child) => redactChildBindings(redact, child),
    hooks: {
      logMethod(args, method) {
        // With no message, pino would write the error's own message as `msg`, unredacted.
        const implied = args.length === 1 ? impliedMessage(args[0]) : undefined
        if (implied !== undefined)
          return method.apply(this, [args[0], redactString(redact, implied)])
        const safe = args.map((arg, i) => {
          if (typeof arg === 'string') return redactString(redact, arg)
          // A leading object is the merging object: formatters.log redacts it, once.
          if (typeof arg !== 'object' || arg === null || i === 0) return arg
          return redact(arg)
        })
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
