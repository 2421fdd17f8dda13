/**
 * `@rampart/core/testing`: the conformance suite adapters run, the probes it uses, and the
 * store suite every store implementation runs. Requires Vitest.
 * @module
 */
export * from './conformance.js'
export * from './harness.js'
export * from './ip-filter-cases.js'
export * from './probes.js'
export * from './store-suite.js'
export * from './test-app.js'
