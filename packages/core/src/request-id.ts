/**
 * Request ids: taken from a configurable header when well-formed, otherwise generated.
 * @module
 */

/** Longest incoming request id accepted as is. */
const MAX_REQUEST_ID = 128

/** A forwarded id is accepted only if it is short and made of safe, log-friendly characters. */
export function isSafeRequestId(value: string): boolean {
  if (value.length === 0 || value.length > MAX_REQUEST_ID) return false
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    const ok =
      (c >= 48 && c <= 57) || // 0-9
      (c >= 65 && c <= 90) || // A-Z
      (c >= 97 && c <= 122) || // a-z
      c === 45 || // -
      c === 46 || // .
      c === 58 || // :
      c === 95 || // _
      c === 64 // @
    if (!ok) return false
  }
  return true
}

/** Generates a request id (a random UUID from the platform's CSPRNG). */
export function generateRequestId(): string {
  return crypto.randomUUID()
}
