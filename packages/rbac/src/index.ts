/**
 * `@rampart/rbac`: roles, ownership and field-level access, compiled once into tables that
 * answer each check with a lookup.
 * @packageDocumentation
 */
export * from './errors.js'
export { ALL_FIELDS, compileMask, type FieldMask, NO_FIELDS } from './mask.js'
export { mergePatch } from './merge.js'
export * from './policy.js'
export * from './types.js'
