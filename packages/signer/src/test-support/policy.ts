// The verification policy the tests start from: the guard's defaults (method, authority and path
// covered; created, keyid and nonce required; five minutes; digest with a body; query covered),
// a fresh in-memory nonce store, and the keys given. Tests override what they exercise.
import { memoryStore } from '@rampart/core'
import type { Keyring } from '../keyring.js'
import type { VerifyPolicy } from '../verify.js'

/** A policy over `keys` with the defaults above, then `overrides`. */
export function testPolicy(keys: Keyring, overrides: Partial<VerifyPolicy> = {}): VerifyPolicy {
  return {
    keys,
    components: ['@method', '@authority', '@path'],
    params: ['created', 'keyid', 'nonce'],
    maxAge: 300_000,
    skew: 5_000,
    digest: 'with-body',
    digestAlgorithms: ['sha-256', 'sha-512'],
    coverQuery: true,
    nonces: { store: memoryStore(), prefix: 'nonce:' },
    ...overrides,
  }
}
