/**
 * Configuration errors raised by the net utilities.
 * @module
 */
import { RampartConfigError } from '../config.js'

/** Error code of every `RampartConfigError` core's net utilities and guards throw. */
export const CORE_CONFIG_CODE = 'ERR_RAMPART_CORE_CONFIG'

/** A `RampartConfigError` for one invalid option, for checks too hot or too small for zod. */
export function configError(scope: string, path: string, message: string): RampartConfigError {
  return new RampartConfigError(scope, [{ path, message }], CORE_CONFIG_CODE)
}

/** Short, bounded description of a received value for error messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    return value.length > 64 ? `'${value.slice(0, 64)}…'` : `'${value}'`
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value
}
