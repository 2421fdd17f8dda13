/**
 * `@rampart/signer/testing`: the conformance cases adapters run. Requires Vitest.
 * @module
 */
export * from './conformance-cases.js'
