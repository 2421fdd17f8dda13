/**
 * `@rampart/headers/testing`: the conformance cases adapters run, and helmet's default set.
 * Requires Vitest.
 * @module
 */
export * from './conformance-cases.js'
export * from './helmet-defaults.js'
