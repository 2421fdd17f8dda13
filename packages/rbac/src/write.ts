/**
 * The write check (OWASP API3, and BOLA through a body): the permission must allow on the
 * target, the body may only change what the permission's mask allows, and the record the write
 * produces must be allowed too, with a mask that still covers every change, so a PATCH cannot
 * hand a record to another owner or move it out of its tenant.
 *
 * A write to an existing record is judged by what it changes, not by what it carries: a body
 * path holding the record's current value writes nothing, and with `merge: 'replace'` a path the
 * record has and the body omits is a deletion. The change set is kept as two sparse bodies for
 * `mask.forbidden()`: the values written, and the current values a write removes or overwrites
 * (so deleting or overwriting an object counts as a write of every path below it).
 * @module
 */
import { type CompiledPolicy, permInfo } from './compile.js'
import { decide, granted, idOf } from './decide.js'
import { fieldForbidden, type Refusal, TENANT_MISMATCH, UNREADABLE } from './decisions.js'
import { type FieldMask, MAX_DEPTH, MAX_FORBIDDEN_PATHS } from './mask.js'
import { mergePatch } from './merge.js'
import { isDate, isPlainObject, isPrototypeKey } from './paths.js'
import type { RoleSets } from './roles.js'
import type { CheckOptions, Decision, RbacPrincipal } from './types.js'

/** What `policy.checkWrite()` answers. */
export type WriteCheck =
  | {
      readonly ok: true
      /**
       * The body as given, or (mode `'strip'`) a copy without the forbidden changes. With a
       * `resource` and `merge: 'replace'`, a forbidden change of a path the record has keeps the
       * record's value there (leaving it out would delete it).
       */
      readonly body: unknown
      /** The paths whose changes were stripped (mode `'strip'`); empty otherwise. */
      readonly stripped: readonly string[]
    }
  | {
      readonly ok: false
      readonly decision: Decision & { readonly effect: 'deny' }
      /** The paths whose writes the mask refuses (`field_forbidden`); empty for other reasons. */
      readonly forbidden: readonly string[]
    }

/** Options of `policy.checkWrite()`. */
export interface WriteOptions<F extends string = string> extends CheckOptions<F> {
  /**
   * The record written to; omitted for a creation (then the body is the record created, and
   * every body path is a write). With a record, a write is what changes it: a body path whose
   * value deep-equals the record's (compared as JSON data: a `Date` equals its ISO string;
   * other class instances only themselves) writes nothing and is neither reported nor stripped.
   */
  readonly resource?: unknown
  /**
   * `'reject'` (default) refuses a body with forbidden writes; `'strip'` removes the forbidden
   * changes from it. A forbidden deletion (a path a `'replace'` body omits) cannot be stripped:
   * it is refused in both modes.
   */
  readonly mode?: 'reject' | 'strip'
  /**
   * How the body applies to `resource`: `'patch'` (default, RFC 7396 merge patch: a `null`
   * deletes its path, which is a write of that path) or `'replace'` (the body is the whole new
   * record: every path the record has and the body omits is a deletion, a write the mask must
   * allow). The record so produced is decided again.
   */
  readonly merge?: 'patch' | 'replace'
}

type Rec = Record<string, unknown>

const NONE: readonly string[] = Object.freeze([])
const EMPTY: Rec = Object.freeze({}) as Rec

function refuse(decision: Decision): WriteCheck {
  if (decision.effect === 'deny') return { ok: false, decision, forbidden: NONE }
  // `conditional` (a creation whose body is not a record) is not a yes.
  const refusal = Object.freeze({
    effect: 'deny',
    reason: 'condition_failed',
    rule: decision.rule,
  }) as Refusal
  return { ok: false, decision: refusal, forbidden: NONE }
}

function forbid(decision: Decision, paths: readonly string[]): WriteCheck {
  const rule = 'rule' in decision ? decision.rule : undefined
  return { ok: false, decision: fieldForbidden(rule, paths), forbidden: Object.freeze(paths) }
}

/** What one check is about: the policy, who asks, for what, in which tenant and context. */
interface Check {
  readonly policy: CompiledPolicy
  readonly sets: RoleSets
  readonly principal: RbacPrincipal | undefined
  readonly permission: string
  readonly base: CheckOptions
  readonly strip: boolean
}

/** Decides on `resource` (or without one) and leaves the allow's mask in `granted`. */
function decideMask(check: Check, resource: unknown): Decision {
  const { policy, sets, principal, permission, base } = check
  return decide(policy, sets, principal, permission, resource, base, true)
}

/**
 * Checks a write. A creation (no `resource`) is decided on the record the body would create,
 * so an `own` grant checks the body's owner and a body naming another tenant is refused; an
 * array body is a bulk creation, each element a record decided on its own. A write to a record
 * is checked by its changes (see {@link WriteOptions}), then decided again on the record it
 * produces, whose tenant must stay the record's. Never throws: a record or body that cannot be
 * read (a getter that throws) is refused as `condition_failed`; a cyclic or deeper than 64
 * levels body is refused as `field_forbidden` by the masks' depth limit.
 */
export function checkWrite(
  policy: CompiledPolicy,
  sets: RoleSets,
  principal: RbacPrincipal | undefined,
  permission: string,
  body: unknown,
  options: WriteOptions | undefined,
): WriteCheck {
  // The fields option is the caller's read question; a write asks about the body's paths.
  const base: CheckOptions = { tenant: options?.tenant, context: options?.context }
  const check: Check = {
    policy,
    sets,
    principal,
    permission,
    base,
    strip: options?.mode === 'strip',
  }
  try {
    const resource = options?.resource
    if (resource !== undefined)
      return checkUpdate(check, resource, body, options?.merge === 'replace')
    if (isPlainObject(body)) return checkCreation(check, body)
    if (Array.isArray(body) && body.length > 0) return checkBulkCreation(check, body)
    return checkNonRecord(check, body)
  } catch {
    return refuse(UNREADABLE)
  }
}

// --- creations --------------------------------------------------------------------------------

/** One record created: decided on itself, every path a write. */
function checkCreation(check: Check, body: Rec): WriteCheck {
  const first = decideMask(check, body)
  if (first.effect !== 'allow') return refuse(first)
  const forbidden = granted.mask.forbidden(body)
  if (forbidden.length === 0) return { ok: true, body, stripped: NONE }
  if (!check.strip) return forbid(first, forbidden)
  // The record created is the stripped body: decided again, with its own mask.
  const written = granted.mask.strip(body)
  const second = decideMask(check, written)
  if (second.effect !== 'allow') return refuse(second)
  const left = granted.mask.forbidden(written)
  if (left.length > 0) return forbid(second, left)
  return { ok: true, body: written, stripped: Object.freeze(forbidden) }
}

/** `[i]` before a path an element's check reported. */
function atIndex(index: number, path: string): string {
  return path === '' || path.startsWith('[') ? `[${index}]${path}` : `[${index}].${path}`
}

/** A refusal that rests on no rule (a bulk creation's element that is no record). */
const NOT_A_RECORD: Decision = Object.freeze({ effect: 'deny', reason: 'field_forbidden' })

/**
 * A bulk creation: every element must be a record (a plain object), allowed on its own (its
 * owner, its tenant), and write only what its mask allows; paths are reported `[i].path`.
 */
function checkBulkCreation(check: Check, body: readonly unknown[]): WriteCheck {
  const forbidden: string[] = []
  const stripped: string[] = []
  let refusal: Decision | undefined
  let out: unknown[] | undefined
  for (let i = 0; i < body.length; i++) {
    const element = body[i]
    if (!isPlainObject(element)) return forbid(NOT_A_RECORD, [atIndex(i, '')])
    const result = checkCreation(check, element)
    if (!result.ok) {
      if (result.forbidden.length === 0) return result
      refusal ??= result.decision
      addPaths(forbidden, i, result.forbidden)
      continue
    }
    if (result.body !== element) {
      out ??= body.slice(0, i)
      addPaths(stripped, i, result.stripped)
    }
    if (out !== undefined) out.push(result.body)
  }
  if (refusal !== undefined) return forbid(refusal, forbidden)
  if (out === undefined) return { ok: true, body, stripped: NONE }
  return { ok: true, body: out, stripped: Object.freeze(stripped) }
}

function addPaths(into: string[], index: number, paths: readonly string[]): void {
  for (const path of paths) {
    if (into.length >= MAX_FORBIDDEN_PATHS) return
    into.push(atIndex(index, path))
  }
}

/**
 * A creation body that is no record (a primitive, `null`, an empty list, a class instance):
 * decided without a record, so it passes only under a plain yes and a mask that allows it.
 */
function checkNonRecord(check: Check, body: unknown): WriteCheck {
  const first = decideMask(check, undefined)
  if (first.effect !== 'allow') return refuse(first)
  const mask = granted.mask
  const forbidden = mask.forbidden(body)
  if (forbidden.length === 0) return { ok: true, body, stripped: NONE }
  if (!check.strip) return forbid(first, forbidden)
  return { ok: true, body: mask.strip(body), stripped: Object.freeze(forbidden) }
}

// --- writes to a record -----------------------------------------------------------------------

/** A write to `resource`: its changes checked, then the record it produces decided again. */
function checkUpdate(check: Check, resource: unknown, body: unknown, replace: boolean): WriteCheck {
  const first = decideMask(check, resource)
  if (first.effect !== 'allow') return refuse(first)
  const mask = granted.mask
  let changes = changesOf(resource, body, replace)
  const forbidden = forbiddenBy(mask, changes)
  let written = body
  if (forbidden.length > 0) {
    if (!check.strip) return forbid(first, forbidden)
    written =
      isPlainObject(body) && isPlainObject(resource)
        ? stripChanges(
            body,
            resource,
            changes.writes as Rec,
            changes.removed as Rec,
            mask.strip(changes.writes),
            mask.strip(changes.removed),
            replace,
          )
        : mask.strip(body)
    // What stripping cannot take back (a deletion by omission) is still there: refused.
    changes = changesOf(resource, written, replace)
    const left = forbiddenBy(mask, changes)
    if (left.length > 0) return forbid(first, left)
  }
  // The record the write produces (no body changes nothing) stays in the record's tenant...
  const after = written === undefined ? resource : replace ? written : mergePatch(resource, written)
  const tenantPath = permInfo(check.policy, check.permission)?.resource.tenantPath
  if (tenantPath !== undefined && tenantOf(after, tenantPath) !== tenantOf(resource, tenantPath)) {
    return refuse(TENANT_MISMATCH)
  }
  // ...and must be allowed, with a mask that still covers every change: a grant that holds only
  // on the record as it was (`own`) cannot lend its mask to the write that ends its hold.
  const second = decideMask(check, after)
  if (second.effect !== 'allow') return refuse(second)
  const beyond = forbiddenBy(granted.mask, changes)
  if (beyond.length > 0) return forbid(second, beyond)
  return {
    ok: true,
    body: written,
    stripped: forbidden.length > 0 ? Object.freeze(forbidden) : NONE,
  }
}

/**
 * The tenant of a record, as `decide` reads it (its own reader: the decision's load sites see
 * loaded records only, not the merged copies made here).
 */
function tenantOf(record: unknown, path: readonly string[]): string | undefined {
  let value: unknown = record
  if (!isPlainObject(value)) return undefined
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined
    value = (value as Rec)[key]
  }
  return idOf(value)
}

/** A write's change set: two sparse bodies (`undefined`: none). */
interface Changes {
  /** The values the write sets where they differ from the record's; prototype keys always. */
  readonly writes: unknown
  /** The record's current values the write deletes or overwrites. */
  readonly removed: unknown
}

const NO_CHANGES: Changes = { writes: undefined, removed: undefined }

/**
 * The change set of `body` applied to `record`. A body that is not a plain object replaces the
 * record whole (RFC 7396 says so for a patch too); a record that is not a plain object cannot be
 * compared, so every body path is a write.
 */
function changesOf(record: unknown, body: unknown, replace: boolean): Changes {
  if (body === undefined) return NO_CHANGES
  if (!isPlainObject(record)) return { writes: body, removed: undefined }
  if (!isPlainObject(body)) return { writes: body, removed: record }
  const writes: Rec = {}
  const removed: Rec = {}
  diffObject(record, body, replace, 0, writes, removed)
  return { writes, removed }
}

/** Sets an own data property, whatever the key (assigning `__proto__` would set a prototype). */
function setOwn(out: Rec, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
}

function hasKeys(value: Rec): boolean {
  return Object.keys(value).length > 0
}

/** Fills `writes` and `removed` with what `body` changes in `record` (both plain objects). */
function diffObject(
  record: Rec,
  body: Rec,
  replace: boolean,
  depth: number,
  writes: Rec,
  removed: Rec,
): void {
  for (const key of Object.keys(body)) {
    const value = body[key]
    if (isPrototypeKey(key)) {
      setOwn(writes, key, value) // never a change of the record: always reported
      continue
    }
    const had = Object.hasOwn(record, key)
    const before = had ? record[key] : undefined
    if (value === null && !replace) {
      // RFC 7396: `null` deletes the path, a write of it that removes what it held.
      writes[key] = null
      if (before !== undefined) removed[key] = before
      continue
    }
    if (isPlainObject(value) && isPlainObject(before) && depth < MAX_DEPTH) {
      const w: Rec = {}
      const r: Rec = {}
      diffObject(before, value, replace, depth + 1, w, r)
      if (hasKeys(w)) writes[key] = w
      if (hasKeys(r)) removed[key] = r
      continue
    }
    if (had && sameValue(before, value, depth + 1)) continue
    writes[key] = value
    if (before !== undefined) removed[key] = before
  }
  if (!replace) return
  // A replacement deletes what it omits (prototype keys are never copied, so never deleted).
  for (const key of Object.keys(record)) {
    if (isPrototypeKey(key) || Object.hasOwn(body, key)) continue
    const before = record[key]
    if (before !== undefined) removed[key] = before
  }
}

const dateTime = Date.prototype.getTime
const dateJson = Date.prototype.toJSON

/**
 * Whether the record's value `a` and the body's value `b` are the same JSON data: primitives by
 * `===`, arrays and plain objects by their contents, a `Date` by its time or as the string it
 * serialises to. Objects holding prototype keys never compare equal (their keys stay reported);
 * other objects equal only themselves; containers deeper than {@link MAX_DEPTH} count as changed.
 */
function sameValue(a: unknown, b: unknown, depth: number): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || a === null) return false
  if (typeof b === 'string') return isDate(a) && dateJson.call(a) === b
  if (typeof b !== 'object' || b === null || depth > MAX_DEPTH) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i], depth + 1)) return false
    return true
  }
  if (Array.isArray(b)) return false
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false
    const keys = Object.keys(a)
    if (keys.length !== Object.keys(b).length) return false
    for (const key of keys) {
      if (isPrototypeKey(key) || !Object.hasOwn(b, key)) return false
      if (!sameValue(a[key], b[key], depth + 1)) return false
    }
    return true
  }
  return isDate(a) && isDate(b) && Object.is(dateTime.call(a), dateTime.call(b))
}

/** The paths of a change set the mask refuses: writes first, then removals, no repeats. */
function forbiddenBy(mask: FieldMask, changes: Changes): string[] {
  const found = mask.forbidden(changes.writes)
  if (changes.removed === undefined) return found
  for (const path of mask.forbidden(changes.removed)) {
    if (found.length >= MAX_FORBIDDEN_PATHS) break
    if (!found.includes(path)) found.push(path)
  }
  return found
}

/** Marks a key absent from a stripped change set. */
const MISSING: unique symbol = Symbol('missing')

function own(value: unknown, key: string): unknown {
  return isPlainObject(value) && Object.hasOwn(value, key) ? value[key] : MISSING
}

/**
 * `body` without its forbidden changes. `keptWrites` and `keptRemoved` are the change set as
 * `mask.strip()` left it: it shares every subtree it did not touch, so a key whose value is no
 * longer the same holds something forbidden. Such a change is taken back: with a patch the key
 * leaves the body; with a replacement the record's value returns (leaving it out would delete
 * it). A new value whose write is only partly forbidden (and that removes nothing forbidden)
 * keeps its allowed part. Untouched keys, changed or not, stay as given.
 */
function stripChanges(
  body: Rec,
  record: Rec,
  writes: Rec,
  removed: Rec,
  keptWrites: unknown,
  keptRemoved: unknown,
  replace: boolean,
): Rec {
  let out: Rec | undefined
  for (const key of Object.keys(writes)) {
    const write = writes[key]
    const kept = own(keptWrites, key)
    const gone = Object.hasOwn(removed, key) ? removed[key] : MISSING
    const keptGone = own(keptRemoved, key)
    const removesOk = gone === MISSING || (keptGone !== MISSING && Object.is(keptGone, gone))
    if (removesOk && kept !== MISSING && Object.is(kept, write)) continue
    const prototypeKey = isPrototypeKey(key)
    let next: unknown = MISSING
    if (!prototypeKey) {
      const value = body[key]
      if (write !== value && isPlainObject(write)) {
        // A sparse change set: the body's object against the record's.
        next = stripChanges(
          value as Rec,
          record[key] as Rec,
          write,
          gone === MISSING ? EMPTY : (gone as Rec),
          kept === MISSING ? EMPTY : kept,
          keptGone === MISSING ? EMPTY : keptGone,
          replace,
        )
      } else if (removesOk && kept !== MISSING) {
        next = kept
      }
    }
    out ??= copyOf(body)
    if (next !== MISSING) out[key] = next
    else if (prototypeKey)
      continue // never copied
    else if (replace && Object.hasOwn(record, key)) out[key] = record[key]
    else delete out[key]
  }
  return out ?? body
}

/** A shallow copy without prototype keys (they are always stripped). */
function copyOf(body: Rec): Rec {
  const out: Rec = {}
  for (const key of Object.keys(body)) if (!isPrototypeKey(key)) out[key] = body[key]
  return out
}
