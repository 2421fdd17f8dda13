/**
 * The store key layout. Every key of one client shares the Redis Cluster hash tag `{client}`, so
 * a request's batch (block gate and policies) lands in one slot and runs as one script:
 *
 * ```
 * <prefix>{<client>}:<policy index>   one per policy
 * <prefix>{<client>}:block            the escalation block
 * <prefix>{<client>}:violations       rejections counted towards a block
 * ```
 * @module
 */

/**
 * Escapes `%`, `{` and `}` in a client key (as percent-encoding does), so a key cannot end the
 * hash tag early or collide with another key's escaped form. Keys without them (IPs, most ids)
 * are returned as they are, without scanning twice.
 */
export function encodeClientKey(key: string): string {
  if (key.indexOf('{') === -1 && key.indexOf('}') === -1 && key.indexOf('%') === -1) return key
  let out = ''
  for (let i = 0; i < key.length; i++) {
    const ch = key[i] as string
    out += ch === '%' ? '%25' : ch === '{' ? '%7B' : ch === '}' ? '%7D' : ch
  }
  return out
}

/** The store keys of one client. */
export interface ClientKeys {
  /** `<prefix>{<client>}:` — append a policy index. */
  readonly base: string
  readonly block: string
  readonly violations: string
}

/** Lays out the keys of a client (already encoded) under a prefix. */
export function clientKeys(prefix: string, encoded: string): ClientKeys {
  const base = `${prefix}{${encoded}}:`
  return { base, block: `${base}block`, violations: `${base}violations` }
}
