/**
 * `X-XSS-Protection`: turns OFF the XSS auditor of old browsers. The auditor itself opened
 * XS-Leaks and could be abused to disable page scripts, so the safe value is `0` (OWASP
 * agrees); CSP is the real defence.
 * @module
 */
import { fixedValueHeader } from './compilers.js'

/**
 * Compiles `xXssProtection`: `undefined`/`true`/`{}` → `X-XSS-Protection: 0`,
 * `false` → no header. The header takes no options: helmet only warns about an options
 * object, here any key in one is an issue.
 */
export const compileXXssProtection = fixedValueHeader('X-XSS-Protection', '0')
