/**
 * `@rampart/core`: the framework-neutral contract every Rampart guard is written against.
 * @packageDocumentation
 */
export * from './body.js'
export * from './config.js'
export type * from './context.js'
export * from './duration.js'
export * from './engine.js'
export * from './error-reporter.js'
export * from './events.js'
export * from './guard.js'
export * from './guards/index.js'
export * from './net/index.js'
export * from './problem.js'
export * from './request-id.js'
export * from './staged-headers.js'
export * from './state.js'
export * from './stores/index.js'
export * from './suggest.js'
