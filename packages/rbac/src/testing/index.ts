/**
 * `@rampart/rbac/testing`: the conformance cases adapters run, and the source guides' ERP
 * scenario they use. Requires Vitest.
 * @module
 */
export * from './conformance-cases.js'
export * from './erp.js'
