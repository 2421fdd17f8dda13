/**
 * `clearSiteData()`: a guard for logout routes that tells the browser to drop what it holds
 * for this origin.
 * @module
 */
import { type ConfigIssue, type Guard, prepareHeaders, RampartConfigError } from '@rampart/core'
import { HEADERS_CONFIG_CODE } from './compile.js'
import { type ClearSiteDataOptions, compileClearSiteData } from './headers/index.js'

/**
 * Sends `Clear-Site-Data` (default `"cache", "cookies", "storage"`) — mount it on logout and
 * "sign out everywhere" routes, as OWASP recommends.
 * @throws RampartConfigError for unknown or repeated types.
 * @example app.post('/logout', rampart(clearSiteData()), logout)
 */
export function clearSiteData(options?: ClearSiteDataOptions): Guard {
  const issues: ConfigIssue[] = []
  const headers = prepareHeaders(compileClearSiteData(options ?? true, 'options', issues))
  if (issues.length > 0) {
    throw new RampartConfigError('@rampart/headers clearSiteData()', issues, HEADERS_CONFIG_CODE)
  }
  return {
    name: 'clear-site-data',
    request(ctx) {
      ctx.response.headers.stage(headers)
    },
  }
}
