/**
 * Building blocks for adapters. Feature packages never need these.
 * @module
 */
export * from './node-response.js'
export * from './options.js'
export * from './state-registry.js'
