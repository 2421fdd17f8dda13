/**
 * The draft's `pk` parameter: a value that tells a client's quota apart without revealing the
 * client key. A truncated HMAC-SHA256 of the key under the app's secret (Web Crypto, so it runs on
 * edge runtimes), never the IP nor an unsalted hash an observer could reverse by brute force.
 * @module
 */

/** Bytes of the HMAC kept: 96 bits, 16 base64 characters. */
export const PARTITION_KEY_BYTES = 12

/** Partition keys remembered, so a busy client costs one HMAC rather than one per request. */
const CACHE_SIZE = 1_024

const encoder = new TextEncoder()

/** Base64 (RFC 4648, with padding) of the first `length` bytes. */
function base64(bytes: Uint8Array, length: number): string {
  let binary = ''
  for (let i = 0; i < length; i++) binary += String.fromCharCode(bytes[i] as number)
  return btoa(binary)
}

/** Derives the `pk` value for a client key: base64 of the truncated HMAC, without the colons. */
export type PartitionKeyer = (clientKey: string) => Promise<string>

/**
 * Creates a partition keyer. The HMAC key is imported once, on first use; results are cached for
 * the most recent clients (bounded).
 */
export function partitionKeyer(secret: string): PartitionKeyer {
  let key: Promise<CryptoKey> | undefined
  const cache = new Map<string, string>()
  return async function partitionKey(clientKey: string): Promise<string> {
    const cached = cache.get(clientKey)
    if (cached !== undefined) return cached
    if (key === undefined) {
      key = crypto.subtle.importKey(
        'raw',
        encoder.encode(secret),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['sign'],
      )
    }
    const mac = new Uint8Array(
      await crypto.subtle.sign('HMAC', await key, encoder.encode(clientKey)),
    )
    const value = base64(mac, PARTITION_KEY_BYTES)
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string)
    cache.set(clientKey, value)
    return value
  }
}
