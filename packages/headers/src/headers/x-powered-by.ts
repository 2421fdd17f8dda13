/**
 * `X-Powered-By` removal: Express (and some hosts) announce the framework in this header;
 * helmet removes it by default, and so does Rampart.
 * @module
 */
import { readOptions } from './option-checks.js'
import type { RemovalCompiler } from './remove-headers.js'

/**
 * Compiles `xPoweredBy` (alias `hidePoweredBy`) into header names to remove:
 * `undefined`/`true`/`{}` → `['X-Powered-By']`, `false` → `[]`. No options; helmet 3's
 * `setTo` (send a fake value) is reported.
 */
export const compileXPoweredBy: RemovalCompiler = function compileXPoweredBy(
  value,
  path,
  issues,
): readonly string[] {
  // Count from here: the sink may already hold other options' issues.
  const start = issues.length
  const options = readOptions(value, path, issues, {
    header: 'X-Powered-By',
    defaultOn: true,
    keys: [],
    known: {
      setTo:
        'unsupported option: helmet 4 dropped `setTo`; to send a decoy value, set X-Powered-By yourself and set xPoweredBy: false',
    },
  })
  if (options === undefined || issues.length > start) return []
  return ['X-Powered-By']
}
