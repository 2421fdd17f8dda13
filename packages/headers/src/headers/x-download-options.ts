/**
 * `X-Download-Options`: stops old Internet Explorer from opening downloads in the site's
 * context. Legacy, kept because helmet sends it.
 * @module
 */
import { fixedValueHeader } from './compilers.js'

/**
 * Compiles `xDownloadOptions`: `undefined`/`true`/`{}` → `X-Download-Options: noopen`,
 * `false` → no header. The header takes no options: helmet only warns about an options
 * object, here any key in one is an issue.
 */
export const compileXDownloadOptions = fixedValueHeader('X-Download-Options', 'noopen')
