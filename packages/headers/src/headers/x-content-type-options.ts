/**
 * `X-Content-Type-Options`: stops browsers from MIME-sniffing a response into an executable
 * type (an uploaded "image" run as a script).
 * @module
 */
import { fixedValueHeader } from './compilers.js'

/**
 * Compiles `xContentTypeOptions`: `undefined`/`true`/`{}` → `X-Content-Type-Options: nosniff`,
 * `false` → no header. The header takes no options: helmet only warns about an options
 * object, here any key in one is an issue.
 */
export const compileXContentTypeOptions = fixedValueHeader('X-Content-Type-Options', 'nosniff')
