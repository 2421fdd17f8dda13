/**
 * `verifySignature()` options: validated once at construction into the verification policy the
 * per-request path reads.
 * @module
 */
import {
  type Duration,
  durationSchema,
  fallbackStore,
  memoryStore,
  oneOfSchema,
  parseOptions,
  RampartConfigError,
  type RampartStore,
  storeSchema,
  z,
} from '@rampart/core'
import { ComponentError, type FieldType } from './components.js'
import { DIGEST_ALGORITHMS, type DigestAlgorithm } from './digest.js'
import { isKeyring, type Keyring, keyring, SIGNER_CONFIG_CODE, type VerifyKey } from './keyring.js'
import { componentItem } from './sign.js'
import type { DigestPolicy, SignatureParam, VerifyPolicy } from './verify.js'

/** Options of `verifySignature()`. */
export interface VerifySignatureOptions {
  /** The verification keys, or a {@link Keyring} you rotate at run time. */
  readonly keys: readonly VerifyKey[] | Keyring
  /**
   * Components every accepted signature must cover: names or full identifiers. Default
   * `['@method', '@authority', '@path']`; `@target-uri` stands for `@authority`, `@path` and
   * `@query`, `@request-target` for `@path` and `@query`.
   */
  readonly components?: readonly string[]
  /** Whether a request with a query must cover it (`@query`, `@target-uri` or `@request-target`). Default `true`. */
  readonly coverQuery?: boolean
  /** Signature parameters every accepted signature carries. Default `['created', 'keyid', 'nonce']`. */
  readonly params?: readonly SignatureParam[]
  /** Oldest accepted signature, from its `created`. Default `'5m'`. */
  readonly maxAge?: Duration | string
  /** How far ahead of our clock `created` may be. Default `'5s'`. */
  readonly skew?: Duration | string
  /** When `content-digest` must be covered and match the raw body: `'with-body'` (default), `'always'`, `'never'`. */
  readonly contentDigest?: DigestPolicy
  /** Digest algorithms accepted in `Content-Digest`. Default `['sha-256', 'sha-512']`. */
  readonly digestAlgorithms?: readonly DigestAlgorithm[]
  /** Only this signature label is verified. Default: any label that satisfies the policy. */
  readonly label?: string
  /** Only signatures with this `tag` parameter are considered. */
  readonly tag?: string
  /** Where nonces are claimed (set-if-absent, TTL = maxAge + skew). Default an in-memory store. */
  readonly store?: RampartStore
  /** Prefix of nonce keys in the store. Default `'rampart:signer:nonce:'`. */
  readonly prefix?: string
  /** Structured types of fields signed with `sf` or `key`, beyond the registered ones. */
  readonly fieldTypes?: Readonly<Record<string, FieldType>>
}

const PARAMS = ['created', 'expires', 'nonce', 'keyid', 'alg', 'tag'] as const
const MAX_WINDOW = 7 * 24 * 3_600_000

const componentSchema = z.string().superRefine((value, ctx) => {
  try {
    const item = componentItem(value)
    if (typeof item.value !== 'string' || item.value === '')
      throw new ComponentError('malformed', '')
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: `expected a component name ('@method', 'content-type') or identifier ('"@query-param";name="id"'), received ${JSON.stringify(value)}`,
    })
  }
})

const optionsSchema = z.strictObject({
  keys: z.custom<readonly VerifyKey[] | Keyring>(
    (v) => Array.isArray(v) || isKeyring(v),
    'expected an array of keys or a keyring()',
  ),
  components: z.array(componentSchema).optional(),
  coverQuery: z.boolean().optional(),
  params: z.array(oneOfSchema(PARAMS)).optional(),
  maxAge: durationSchema({ min: 1_000, max: MAX_WINDOW }).optional(),
  skew: durationSchema({ min: 0, max: 3_600_000 }).optional(),
  contentDigest: oneOfSchema(['with-body', 'always', 'never'] as const).optional(),
  digestAlgorithms: z.array(oneOfSchema(DIGEST_ALGORITHMS)).min(1).optional(),
  label: z.string().min(1).optional(),
  tag: z.string().min(1).optional(),
  store: storeSchema.optional(),
  prefix: z.string().max(200).optional(),
  fieldTypes: z.record(z.string(), oneOfSchema(['item', 'list', 'dictionary'] as const)).optional(),
})

/** The policy the guard verifies against. */
export interface ResolvedOptions {
  readonly policy: VerifyPolicy
}

/**
 * Validates `options` into a policy.
 * @throws RampartConfigError (`ERR_RAMPART_SIGNER_CONFIG`) naming the option and the fix.
 */
export function resolveOptions(options: VerifySignatureOptions): ResolvedOptions {
  const o = parseOptions('@rampart/signer', optionsSchema, options, SIGNER_CONFIG_CODE)
  const keys = isKeyring(o.keys) ? o.keys : keyring(o.keys)
  const digest = o.contentDigest ?? 'with-body'
  if (digest === 'never' && o.components?.includes('content-digest')) {
    throw new RampartConfigError(
      '@rampart/signer',
      [{ path: 'contentDigest', message: "'never' contradicts 'content-digest' in components" }],
      SIGNER_CONFIG_CODE,
    )
  }
  const given = o.store ?? memoryStore()
  // A shared store that fails answers 503: without it, replays could not be told apart.
  const store =
    given.shared && given.kind !== 'fallback'
      ? fallbackStore({
          primary: given,
          onFailure: 'closed',
          probeInterval: 5_000,
          name: given.name,
        })
      : given
  const maxAge = o.maxAge ?? 300_000
  return {
    policy: {
      coverQuery: o.coverQuery ?? true,
      keys,
      components: o.components ?? ['@method', '@authority', '@path'],
      params: o.params ?? ['created', 'keyid', 'nonce'],
      maxAge,
      skew: o.skew ?? 5_000,
      digest,
      digestAlgorithms: (o.digestAlgorithms as DigestAlgorithm[] | undefined) ?? DIGEST_ALGORITHMS,
      ...(o.label === undefined ? {} : { label: o.label }),
      ...(o.tag === undefined ? {} : { tag: o.tag }),
      nonces: { store, prefix: o.prefix ?? 'rampart:signer:nonce:' },
      ...(o.fieldTypes === undefined ? {} : { fieldTypes: o.fieldTypes }),
    },
  }
}
