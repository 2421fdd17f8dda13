/**
 * Key rules: property names whose values are always censored, matched without regard to case or
 * to `-` and `_` (`Authorization`, `API-Key`, `api_key` and `apiKey` are all one name).
 * @module
 */

/** Names censored by default (in their matching form: lower case, no `-` or `_`). */
export const DEFAULT_SECRET_KEYS: readonly string[] = [
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'secret',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'authtoken',
  'apikey',
  'xapikey',
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'session',
  'sessionid',
  'sessiontoken',
  'privatekey',
  'clientsecret',
  'secretkey',
  'accesskey',
  'awssecretaccesskey',
  'credentials',
  'xauthtoken',
  'xcsrftoken',
  'csrftoken',
  'otp',
  'cvv',
  'cvc',
  'cardnumber',
  'pan',
  'ssn',
]

/** The form names are compared in: lower case, without `-` and `_`. */
export function keyForm(name: string): string {
  let out = ''
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i)
    if (c === 45 || c === 95) continue
    out += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : name[i]
  }
  return out === name ? name : out
}

/** Remembered decisions; keys repeat across log lines, so a small cache saves the folding. */
const CACHE_SIZE = 2_048

/** A compiled key rule: whether a property name is secret. */
export type KeyRule = (name: string) => boolean

/** Compiles the names (any spelling) into one case-insensitive test. */
export function compileKeyRule(names: readonly string[]): KeyRule {
  const secret = new Set(names.map(keyForm))
  if (secret.size === 0) return () => false
  const cache = new Map<string, boolean>()
  return (name) => {
    let hit = cache.get(name)
    if (hit === undefined) {
      hit = secret.has(keyForm(name))
      if (cache.size >= CACHE_SIZE) cache.clear()
      cache.set(name, hit)
    }
    return hit
  }
}
