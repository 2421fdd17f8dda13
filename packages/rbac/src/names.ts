/**
 * The grammar of names and permission patterns, shared by validation (which reports) and
 * compilation (which trusts validated input).
 * @module
 */
import type { PolicyIssueCode } from './errors.js'

/** Longest resource, action or role name. */
export const MAX_NAME_LENGTH = 128

/** Names that would reach `Object.prototype` if they were ever used as keys. */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype'])

/** A name problem: its code and what is wrong (without the name's location). */
export interface NameProblem {
  readonly code: PolicyIssueCode
  readonly message: string
}

/** Whether `segment` is one of the names that reach `Object.prototype`. */
export function isReservedName(segment: string): boolean {
  return RESERVED.has(segment)
}

/**
 * Checks a resource, action or role name: non-empty, at most 128 characters, no `:`, `*` or
 * whitespace (they would make patterns ambiguous), not a prototype key.
 */
export function nameProblem(name: string): NameProblem | undefined {
  if (RESERVED.has(name)) {
    return { code: 'reserved-name', message: `'${name}' is reserved (it names a prototype key)` }
  }
  if (name.length === 0) return { code: 'malformed-name', message: 'name must not be empty' }
  if (name.length > MAX_NAME_LENGTH) {
    return {
      code: 'malformed-name',
      message: `'${name.slice(0, 32)}…' is longer than ${MAX_NAME_LENGTH} characters`,
    }
  }
  if (/[:*\s]/.test(name)) {
    return {
      code: 'malformed-name',
      message: `'${name}' must not contain ':', '*' or whitespace (they are pattern syntax)`,
    }
  }
  return undefined
}

/** A parsed permission pattern: `'*'` stands for every resource or every action. */
export interface ParsedPermission {
  readonly resource: string
  readonly action: string
  /** The pattern ended in `:own` (grants only). */
  readonly own: boolean
}

/**
 * Parses `resource:action`, `resource:*`, `*:action`, `*:*` or `*`, and with `allowOwn` the same
 * with an `:own` suffix. Answers a message for anything else.
 */
export function parsePermission(pattern: string, allowOwn: boolean): ParsedPermission | string {
  if (pattern === '*') return { resource: '*', action: '*', own: false }
  const parts = pattern.split(':')
  let own = false
  if (parts.length === 3 && parts[2] === 'own') {
    if (!allowOwn) {
      return `'${pattern}': deny rules have no possession (':own' is for grants); deny the permission, with a 'when' condition if it depends on the record`
    }
    own = true
    parts.pop()
  }
  if (parts.length !== 2) {
    return `'${pattern}' is not a permission: expected 'resource:action', 'resource:*', '*:action', '*'${allowOwn ? " or one of them with ':own'" : ''}`
  }
  const [resource, action] = parts as [string, string]
  for (const part of [resource, action]) {
    if (part === '*') continue
    if (part.length === 0 || part.includes('*') || /\s/.test(part)) {
      return `'${pattern}' is not a permission: '*' stands alone for every resource or action, and names have no whitespace`
    }
  }
  return { resource, action, own }
}
