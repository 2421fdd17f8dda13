import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compileMask } from './mask.js'

// --- a reference model, written for clarity, not speed ----------------------------------------

type Grants = (string[] | undefined)[]

const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

function segmentsOf(pattern: string): { negated: boolean; segments: string[] } {
  const negated = pattern.startsWith('!')
  const segments = (negated ? pattern.slice(1) : pattern).split('.')
  return { negated, segments: segments.length === 1 && segments[0] === '*' ? ['**'] : segments }
}

/** Whether `segments` match a prefix of `path` (a match allows everything below it). */
function covers(segments: readonly string[], path: readonly string[], i = 0, j = 0): boolean {
  if (i === segments.length) return true
  const segment = segments[i]
  if (segment === '**') {
    return covers(segments, path, i + 1, j) || (j < path.length && covers(segments, path, i, j + 1))
  }
  if (j === path.length) return false
  return (segment === '*' || segment === path[j]) && covers(segments, path, i + 1, j + 1)
}

/** Whether the path itself is allowed, straight from the documented semantics. */
function allowedPath(grants: Grants, denied: readonly string[], path: readonly string[]): boolean {
  if (denied.some((pattern) => covers(segmentsOf(pattern).segments, path))) return false
  return grants.some((list) => {
    const parsed = (list ?? ['**']).map(segmentsOf)
    const positive = parsed.filter((p) => !p.negated)
    const negative = parsed.filter((p) => p.negated)
    if (positive.length === 0 && negative.length > 0)
      positive.push({ negated: false, segments: ['**'] })
    return (
      positive.some((p) => covers(p.segments, path)) &&
      !negative.some((p) => covers(p.segments, path))
    )
  })
}

const DROPPED = Symbol('dropped')

function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  )
}

/** The filter the module notes describe, for a record at the root (no prototype keys). */
function referenceFilter(
  allowed: (path: string[]) => boolean,
  value: unknown,
  path: string[] = [],
): unknown {
  const atRoot = path.length === 0
  if (Array.isArray(value)) {
    const out = value
      .map((element) => referenceFilter(allowed, element, path))
      .filter((element) => element !== DROPPED)
    return out.length > 0 || atRoot || allowed(path) ? out : DROPPED
  }
  if (isRecord(value)) {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value)) {
      const child = referenceFilter(allowed, value[key], [...path, key])
      if (child !== DROPPED) out[key] = child
    }
    return Object.keys(out).length > 0 || atRoot || allowed(path) ? out : DROPPED
  }
  return !atRoot && allowed(path) ? value : DROPPED
}

interface Leaf {
  /** Keys only: arrays are transparent. */
  readonly keys: string[]
  /** As `forbidden` formats it. */
  readonly shown: string
  readonly value: unknown
  /** A prototype key ends the path (the walk does not go below it). */
  readonly prototypeKey: boolean
}

/** Every leaf below the root (atoms, empty containers, prototype keys), in document order. */
function leavesOf(value: unknown, keys: string[] = [], shown = ''): Leaf[] {
  const isContainer = Array.isArray(value) || isRecord(value)
  if (!isContainer || Object.keys(value).length === 0) {
    return keys.length === 0 && shown === '' ? [] : [{ keys, shown, value, prototypeKey: false }]
  }
  if (Array.isArray(value))
    return value.flatMap((element, i) => leavesOf(element, keys, `${shown}[${i}]`))
  return Object.keys(value).flatMap((key) => {
    const path = shown === '' ? key : `${shown}.${key}`
    if (PROTOTYPE_KEYS.has(key)) {
      return [{ keys: [...keys, key], shown: path, value: value[key], prototypeKey: true }]
    }
    return leavesOf(value[key], [...keys, key], path)
  })
}

/**
 * The leaves `forbidden` judges: as {@link leavesOf}, except that a key holding a dot ends the
 * path (`dotted`) unless the container holding it is wholly allowed (then any path below is).
 */
function writeLeavesOf(
  whole: (keys: string[]) => boolean,
  value: unknown,
  keys: string[] = [],
  shown = '',
  inWhole = false,
): (Leaf & { readonly dotted: boolean })[] {
  const isContainer = Array.isArray(value) || isRecord(value)
  if (!isContainer || Object.keys(value).length === 0) {
    return keys.length === 0 && shown === ''
      ? []
      : [{ keys, shown, value, prototypeKey: false, dotted: false }]
  }
  if (Array.isArray(value)) {
    return value.flatMap((element, i) =>
      writeLeavesOf(whole, element, keys, `${shown}[${i}]`, inWhole),
    )
  }
  const here = inWhole || whole(keys)
  return Object.keys(value).flatMap((key) => {
    const path = shown === '' ? key : `${shown}.${key}`
    const stop = PROTOTYPE_KEYS.has(key) || (key.includes('.') && !here)
    if (stop) {
      const leaf = { keys: [...keys, key], shown: path, value: value[key] }
      return [{ ...leaf, prototypeKey: PROTOTYPE_KEYS.has(key), dotted: !PROTOTYPE_KEYS.has(key) }]
    }
    return writeLeavesOf(whole, value[key], [...keys, key], path, here)
  })
}

/** Every own key of the plain objects in `value`, with the path of the object holding it. */
function ownKeysOf(value: unknown, keys: string[] = []): { at: string[]; key: string }[] {
  if (Array.isArray(value)) return value.flatMap((element) => ownKeysOf(element, keys))
  if (!isRecord(value)) return []
  return Object.keys(value).flatMap((key) => [
    { at: keys, key },
    ...ownKeysOf(value[key], [...keys, key]),
  ])
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key])
  }
  return value
}

// --- arbitraries: a small vocabulary, so patterns and values meet ------------------------------

const KEYS = ['a', 'b', 'c', 'd']
const segment = fc.constantFrom('a', 'b', 'c', '*', '**')
const plainPattern = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('.'))
const pattern = fc.tuple(fc.boolean(), plainPattern).map(([neg, p]) => (neg ? `!${p}` : p))
const grants = fc.array(
  fc.option(fc.array(pattern, { maxLength: 4 }), { nil: undefined, freq: 6 }),
  { maxLength: 3 },
)
const denied = fc.array(plainPattern, { maxLength: 2 })

/** Builds an object with own keys, `__proto__` included, in entry order. */
function objectOf(entries: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of entries) {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
  }
  return out
}

function records(keys: fc.Arbitrary<string>) {
  const atom = fc.oneof(
    fc.integer({ min: -5, max: 5 }),
    fc.string({ maxLength: 2 }),
    fc.boolean(),
    fc.constant(null),
    fc.date({ noInvalidDate: true }),
  )
  const { record } = fc.letrec<{ node: unknown; list: unknown[]; record: Record<string, unknown> }>(
    (tie) => ({
      node: fc.oneof({ maxDepth: 4, depthSize: 'small' }, atom, tie('list'), tie('record')),
      list: fc.array(tie('node'), { maxLength: 3 }),
      record: fc.array(fc.tuple(keys, tie('node')), { maxLength: 4 }).map(objectOf),
    }),
  )
  return record
}

const value = records(fc.constantFrom(...KEYS))
const hostile = records(fc.constantFrom(...KEYS, '__proto__', 'constructor'))
/** Keys a path reader would split: `'a.b'` spells a path patterns can name. */
const dotted = records(fc.constantFrom(...KEYS, 'a.b', 'c.zz', '__proto__', 'prototype'))
const path = fc.array(fc.constantFrom(...KEYS, 'zz'), { minLength: 1, maxLength: 3 })

// --- properties -------------------------------------------------------------------------------

describe('field masks, by property', () => {
  it('filter matches the reference semantics', () => {
    fc.assert(
      fc.property(grants, denied, value, (g, d, x) => {
        const mask = compileMask(g, d)
        const expected = mask.none ? undefined : referenceFilter((p) => allowedPath(g, d, p), x)
        expect(mask.filter(x)).toEqual(expected)
      }),
    )
  })

  it('(1) filter, strip and forbidden never mutate their input', () => {
    fc.assert(
      fc.property(grants, denied, hostile, (g, d, x) => {
        const copy = structuredClone(x)
        const mask = compileMask(g, d)
        deepFreeze(x)
        mask.filter(x)
        mask.filter([x, x])
        mask.strip(x)
        mask.forbidden(x)
        expect(x).toEqual(copy)
      }),
    )
  })

  it('(2) every leaf filter keeps is in the input, unchanged, at an allowed path', () => {
    fc.assert(
      fc.property(grants, denied, value, (g, d, x) => {
        const mask = compileMask(g, d)
        const inputValues = new Map<string, unknown[]>()
        for (const leaf of leavesOf(x)) {
          const key = leaf.keys.join('.')
          inputValues.set(key, [...(inputValues.get(key) ?? []), leaf.value])
        }
        for (const leaf of leavesOf(mask.filter(x))) {
          expect(allowedPath(g, d, leaf.keys)).toBe(true)
          const isContainer = typeof leaf.value === 'object' && leaf.value !== null
          const candidates = inputValues.get(leaf.keys.join('.')) ?? []
          if (!isContainer || leaf.value instanceof Date) {
            expect(candidates.some((candidate) => Object.is(candidate, leaf.value))).toBe(true)
          }
          // `allows` on a prefix vouches for everything below it.
          for (let n = 1; n <= leaf.keys.length; n++) {
            if (mask.allows(leaf.keys.slice(0, n).join('.')))
              expect(allowedPath(g, d, leaf.keys)).toBe(true)
          }
        }
      }),
    )
  })

  it('(2b) allows(path) means every path below is allowed', () => {
    fc.assert(
      fc.property(grants, denied, path, fc.array(path, { maxLength: 6 }), (g, d, p, below) => {
        const mask = compileMask(g, d)
        if (!mask.allows(p.join('.'))) return
        for (const extension of [[], ...below])
          expect(allowedPath(g, d, [...p, ...extension])).toBe(true)
      }),
    )
  })

  it('(3) filter is idempotent', () => {
    fc.assert(
      fc.property(grants, denied, value, (g, d, x) => {
        const mask = compileMask(g, d)
        const once = mask.filter(x)
        expect(mask.filter(once)).toEqual(once)
        expect(mask.filter(mask.filter([x]))).toEqual(mask.filter([x]))
      }),
    )
  })

  it('(4) a union allows whatever one of its grants allows', () => {
    fc.assert(
      fc.property(grants, grants, path, value, (a, b, p, x) => {
        const one = compileMask(a)
        const union = compileMask([...a, ...b])
        if (one.allows(p.join('.'))) expect(union.allows(p.join('.'))).toBe(true)
        const kept = new Set(leavesOf(union.filter(x)).map((leaf) => leaf.keys.join('.')))
        for (const leaf of leavesOf(one.filter(x))) {
          if (typeof leaf.value !== 'object' || leaf.value === null) {
            expect(kept.has(leaf.keys.join('.'))).toBe(true)
          }
        }
      }),
    )
  })

  it('(5) nothing a denied pattern matches is ever kept or allowed', () => {
    fc.assert(
      fc.property(grants, denied, value, path, (g, d, x, p) => {
        const mask = compileMask(g, d)
        const denies = (keys: string[]) => d.some((q) => covers(segmentsOf(q).segments, keys))
        for (const leaf of leavesOf(mask.filter(x))) expect(denies(leaf.keys)).toBe(false)
        if (denies(p)) expect(mask.allows(p.join('.'))).toBe(false)
      }),
    )
  })

  it('(6) strip leaves nothing forbidden and keeps every allowed leaf', () => {
    fc.assert(
      fc.property(grants, denied, hostile, (g, d, x) => {
        const mask = compileMask(g, d)
        const stripped = mask.strip(x)
        expect(mask.forbidden(stripped)).toEqual([])
        const kept = leavesOf(stripped)
        for (const leaf of leavesOf(x)) {
          const isAtom =
            typeof leaf.value !== 'object' || leaf.value === null || leaf.value instanceof Date
          if (leaf.prototypeKey || !isAtom || !allowedPath(g, d, leaf.keys)) continue
          const same = (other: Leaf) =>
            other.keys.join('.') === leaf.keys.join('.') && Object.is(other.value, leaf.value)
          expect(kept.some(same)).toBe(true)
        }
      }),
    )
  })

  it('(7) forbidden lists exactly the leaves that are not allowed and every prototype key', () => {
    fc.assert(
      fc.property(grants, denied, hostile, (g, d, x) => {
        const mask = compileMask(g, d)
        const expected = leavesOf(x)
          .filter((leaf) => leaf.prototypeKey || !allowedPath(g, d, leaf.keys))
          .map((leaf) => leaf.shown)
        expect(mask.forbidden(x)).toEqual(expected.slice(0, 100))
        expect(mask.forbidden(x).length === 0).toBe(
          leavesOf(x).every((leaf) => !leaf.prototypeKey && allowedPath(g, d, leaf.keys)),
        )
      }),
    )
  })

  it('(8) filter never hands out a prototype key, wholly allowed subtrees included', () => {
    fc.assert(
      fc.property(grants, denied, hostile, (g, d, x) => {
        const mask = compileMask(g, d)
        deepFreeze(x)
        if (mask.all) return // ALL_FIELDS.filter returns its input as is, by contract
        for (const { key } of ownKeysOf(mask.filter(x))) expect(PROTOTYPE_KEYS.has(key)).toBe(false)
        for (const { key } of ownKeysOf(mask.filter([x]))) {
          expect(PROTOTYPE_KEYS.has(key)).toBe(false)
        }
      }),
    )
  })

  it('(9) no path with a prototype key is ever allowed, not even under all', () => {
    const segmentOrPrototype = fc.constantFrom(...KEYS, '__proto__', 'constructor', 'prototype')
    fc.assert(
      fc.property(
        grants,
        denied,
        fc.array(segmentOrPrototype, { minLength: 1, maxLength: 4 }),
        (g, d, p) => {
          const mask = compileMask(g, d)
          if (p.some((key) => PROTOTYPE_KEYS.has(key))) expect(mask.allows(p.join('.'))).toBe(false)
        },
      ),
    )
  })

  it('(10) a key holding a dot is written only where the whole subtree is allowed', () => {
    fc.assert(
      fc.property(grants, denied, dotted, (g, d, x) => {
        const mask = compileMask(g, d)
        deepFreeze(x)
        const whole = (keys: string[]) =>
          keys.length === 0 ? mask.all : mask.allows(keys.join('.'))
        const leaves = writeLeavesOf(whole, x)
        const expected = leaves
          .filter((leaf) => leaf.prototypeKey || leaf.dotted || !allowedPath(g, d, leaf.keys))
          .map((leaf) => leaf.shown)
        expect(mask.forbidden(x)).toEqual(expected.slice(0, 100))
        const stripped = mask.strip(x)
        expect(mask.forbidden(stripped)).toEqual([])
        // filter keeps a dotted key only inside a wholly allowed subtree (all: the input as is).
        if (mask.all) return
        for (const { at, key } of ownKeysOf(mask.filter(x))) {
          if (key.includes('.')) expect(whole(at)).toBe(true)
        }
      }),
    )
  })
})
