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

export { describeValue } from '../suggest.js'
