/**
 * A small, bounded cache of imported Web Crypto keys, so verifying a delivery does not re-import
 * its key every time. Entries are promises: concurrent first uses share one import. An import
 * that fails is dropped, so the next call tries again (and reports its own error).
 * @module
 */

/** Most keys kept; a deployment has a handful (one per endpoint, two during a rotation). */
const MAX_ENTRIES = 64

const cache = new Map<string, Promise<CryptoKey>>()

/**
 * The key cached under `id`, or the one `load` imports (then cached). `id` must identify the
 * key material *and* how it was interpreted (e.g. `hmac-utf8:` + secret), since one string can
 * mean different keys to different schemes. Least recently used entries are evicted first.
 */
export function cachedKey(id: string, load: () => Promise<CryptoKey>): Promise<CryptoKey> {
  const hit = cache.get(id)
  if (hit !== undefined) {
    // Re-insert: a Map iterates in insertion order, so the oldest key is the least recently used.
    cache.delete(id)
    cache.set(id, hit)
    return hit
  }
  const loading = load()
  cache.set(id, loading)
  loading.catch(() => {
    if (cache.get(id) === loading) cache.delete(id)
  })
  if (cache.size > MAX_ENTRIES) {
    const oldest = cache.keys().next()
    if (oldest.done !== true) cache.delete(oldest.value)
  }
  return loading
}

/** Forgets every cached key (for tests). */
export function clearKeyCache(): void {
  cache.clear()
}
