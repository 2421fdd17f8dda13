/**
 * `@rampart/rbac`: roles, ownership and field-level access, compiled once into tables that
 * answer each check with a lookup.
 * @packageDocumentation
 */
import './events.js'

export * from './errors.js'
export type { DeniedReason } from './events.js'
export {
  type Access,
  type GuardPolicy,
  type RequireGuard,
  type RequireOptions,
  rbacAccess,
} from './guard.js'
export { ALL_FIELDS, compileMask, type FieldMask, NO_FIELDS } from './mask.js'
export { mergePatch } from './merge.js'
export * from './policy.js'
export * from './types.js'
