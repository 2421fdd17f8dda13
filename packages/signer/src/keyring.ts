/**
 * The keyring: verification keys by `keyid`, each pinned to one algorithm, with a validity
 * window and revocation for rotation without downtime, and the principal a verified request
 * becomes. Keys are imported into Web Crypto once, on first use, and the imported key is kept;
 * key material never leaves this module (not in errors, events or logs).
 * @module
 */
import { cidrMatcher, type Principal, parseOptions, RampartConfigError, z } from '@rampart/core'
import { ALGORITHMS, type Algorithm } from './algorithms.js'
import { importKey, KeyImportError, type KeyMaterial } from './keys.js'

/** Config error code of `@rampart/signer`. */
export const SIGNER_CONFIG_CODE = 'ERR_RAMPART_SIGNER_CONFIG'

/** One verification key. */
export interface VerifyKey {
  /** The `keyid` signers name it by. */
  readonly id: string
  /** The one algorithm this key verifies; a signature claiming another is refused before any crypto. */
  readonly alg: Algorithm
  /** The public key (or, for `hmac-sha256`, the shared secret). */
  readonly key: KeyMaterial
  /** Not valid before this time (a `Date` or ms since the epoch): publish a new key ahead of use. */
  readonly notBefore?: Date | number
  /** Not valid from this time on: retire an old key after its successor is live. */
  readonly expires?: Date | number
  /** Refused from now on, whatever its dates. */
  readonly revoked?: boolean
  /** Who a request signed with this key is: becomes the request's principal (for `@rampart/rbac`). */
  readonly principal?: Principal
  /** Client IPs or CIDR ranges this key may be used from; default anywhere. */
  readonly allowedIps?: readonly string[]
}

/** Why a key cannot verify now (the failure code is `unknown-key` for all of them). */
export type KeyRefusal = 'unknown' | 'revoked' | 'not-yet-valid' | 'key-expired' | 'ip-not-allowed'

/** A key ready to verify with. */
export interface UsableKey {
  readonly id: string
  readonly alg: Algorithm
  /** The imported key: awaited only once everything that needs no cryptography has passed. */
  readonly cryptoKey: Promise<CryptoKey>
  /** The same key once imported (set when the import settles), so callers can skip the await. */
  readonly ready?: CryptoKey
  readonly principal: Principal | undefined
}

/** Verification keys by `keyid`. */
export interface Keyring {
  /** The key `keyid` names, if it may verify at `now` from `ip` (a keyring of your own may answer asynchronously). */
  resolve(
    keyid: string,
    now: number,
    ip: string | undefined,
  ): UsableKey | { refused: KeyRefusal } | Promise<UsableKey | { refused: KeyRefusal }>
  /** Adds or replaces a key (rotation: add the successor, later revoke or expire the old one). */
  add(key: VerifyKey): void
  /** Refuses a key from now on. `false` when no such key. */
  revoke(keyid: string): boolean
  /** Forgets a key. */
  remove(keyid: string): boolean
  /** The ids of the keys held. */
  ids(): string[]
  /**
   * Resolves once every key is imported; rejects with a `KeyImportError` naming the first key
   * that cannot be (await it at startup to fail fast on a bad key rather than on a request).
   */
  ready(): Promise<void>
}

const timeSchema = z
  .union([z.date(), z.number()])
  .transform((t) => (t instanceof Date ? t.getTime() : t))

const keySchema = z.strictObject({
  id: z.string().min(1).max(256),
  alg: z.enum(ALGORITHMS),
  key: z.custom<KeyMaterial>(
    (v) =>
      typeof v === 'string' || v instanceof Uint8Array || (typeof v === 'object' && v !== null),
    'expected a CryptoKey, a JWK, a PEM string or bytes',
  ),
  notBefore: timeSchema.optional(),
  expires: timeSchema.optional(),
  revoked: z.boolean().optional(),
  principal: z.looseObject({ id: z.string() }).optional(),
  allowedIps: z.array(z.string()).optional(),
})

interface Entry {
  readonly key: VerifyKey
  readonly notBefore: number
  readonly expires: number
  revoked: boolean
  readonly ipAllowed: ((ip: string) => boolean) | undefined
  readonly imported: Promise<CryptoKey>
  /** What resolve() answers for this key (one object, not one per request). */
  readonly usable: UsableKey
}

/** The matcher of a key's `allowedIps`, its errors named for the key. */
function ipMatcher(list: readonly string[], where: string): (ip: string) => boolean {
  try {
    return cidrMatcher(list)
  } catch (error) {
    const issues =
      error instanceof RampartConfigError
        ? error.issues.map((i) => ({ path: `allowedIps${i.path}`, message: i.message }))
        : [{ path: 'allowedIps', message: String((error as Error)?.message ?? error) }]
    throw new RampartConfigError(`@rampart/signer ${where}`, issues, SIGNER_CONFIG_CODE)
  }
}

function entryOf(input: unknown, where: string): Entry {
  const k = parseOptions(`@rampart/signer ${where}`, keySchema, input, SIGNER_CONFIG_CODE)
  const key = input as VerifyKey
  // Imported now, once: a request never waits on an import after the first, and ready() can
  // report a bad key at startup.
  const imported = importKey(key.alg, key.key, 'verify').catch((error: unknown) => {
    throw new KeyImportError(`key '${key.id}': ${(error as Error).message}`)
  })
  imported.catch(() => {}) // reported through resolve() and ready(), never as unhandled
  const usable: { -readonly [K in keyof UsableKey]: UsableKey[K] } = {
    id: key.id,
    alg: key.alg,
    cryptoKey: imported,
    principal: key.principal,
  }
  imported.then(
    (ready) => {
      usable.ready = ready
    },
    () => {},
  )
  return {
    key,
    usable,
    notBefore: k.notBefore ?? Number.NEGATIVE_INFINITY,
    expires: k.expires ?? Number.POSITIVE_INFINITY,
    revoked: k.revoked === true,
    ipAllowed: k.allowedIps === undefined ? undefined : ipMatcher(k.allowedIps, where),
    imported,
  }
}

/**
 * A keyring of verification keys.
 * @throws RampartConfigError (`ERR_RAMPART_SIGNER_CONFIG`) for a malformed key entry or a
 * repeated `id`.
 * @example
 * const keys = keyring([{ id: 'partner-1', alg: 'ed25519', key: publicPem, principal: { id: 'partner-1', roles: ['partner'] } }])
 */
export function keyring(keys: readonly VerifyKey[]): Keyring {
  const entries = new Map<string, Entry>()
  keys.forEach((key, i) => {
    const entry = entryOf(key, `keys[${i}]`)
    if (entries.has(entry.key.id)) {
      throw new RampartConfigError(
        '@rampart/signer',
        [{ path: `keys[${i}].id`, message: `the keyid '${entry.key.id}' appears twice` }],
        SIGNER_CONFIG_CODE,
      )
    }
    entries.set(entry.key.id, entry)
  })
  return {
    resolve(keyid, now, ip) {
      const entry = entries.get(keyid)
      if (entry === undefined) return { refused: 'unknown' }
      if (entry.revoked) return { refused: 'revoked' }
      if (now < entry.notBefore) return { refused: 'not-yet-valid' }
      if (now >= entry.expires) return { refused: 'key-expired' }
      if (entry.ipAllowed !== undefined && (ip === undefined || !entry.ipAllowed(ip))) {
        return { refused: 'ip-not-allowed' }
      }
      return entry.usable
    },
    add(key) {
      const entry = entryOf(key, 'keyring.add()')
      entries.set(entry.key.id, entry)
    },
    revoke(keyid) {
      const entry = entries.get(keyid)
      if (entry === undefined) return false
      entry.revoked = true
      return true
    },
    remove: (keyid) => entries.delete(keyid),
    ids: () => [...entries.keys()],
    async ready() {
      await Promise.all([...entries.values()].map((e) => e.imported))
    },
  }
}

/** Whether `value` is a keyring (rather than a list of keys). */
export function isKeyring(value: unknown): value is Keyring {
  return typeof (value as Keyring | undefined)?.resolve === 'function'
}
