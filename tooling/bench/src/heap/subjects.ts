/**
 * What the heap benchmark fills with keys: each rate-limit store through its normal API, and the
 * key strings alone as the reference.
 * @module
 */
import { anchorName } from '../micro.js'
import {
  expressRateLimit,
  type MemorySide,
  ours,
  rateLimiterFlexible,
} from '../rate-limit/memory-sides.js'

/** A limit no insert reaches and a window no run outlives: every key is admitted and kept. */
const OPEN = { limit: 1_000_000_000, windowMs: 3_600_000 } as const

/** One thing to fill: built before the baseline is taken, then given every key once. */
export interface HeapSubject {
  /** Row label. */
  readonly label: string
  /** Builds the empty store (or array) for `keys` keys. */
  readonly create: (keys: number) => HeapTarget
}

/** A store being filled. */
export interface HeapTarget {
  /** Adds one key through the store's normal API: a check, as a request would make it. */
  readonly add: (key: string, index: number) => Promise<unknown> | undefined
  /** Keys held now (must equal the keys added: nothing evicted, nothing expired). */
  readonly keys: () => number
}

function fromSide(side: MemorySide): HeapTarget {
  return { add: (key) => side.check(key), keys: side.keys }
}

/** Every subject, in table order; the keys are the first row, the anchors the last. */
export const HEAP_SUBJECTS = {
  keys: {
    label: 'the key strings alone (reference)',
    // The array reaches its final size before the baseline (filled, so V8 keeps it a plain
    // array: `new Array(n)` above 100,000 makes a dictionary), so the row counts the strings.
    create: (keys) => {
      const held = Array.from({ length: keys }, () => '')
      let count = 0
      return {
        add: (key, index) => {
          held[index] = key
          count++
          return undefined
        },
        keys: () => count,
      }
    },
  },
  ours: {
    label: "@rampart/rate-limiter, `'fixed-window'`",
    // maxKeys above the keys: columns grow by doubling up to it (524,288 slots for 500,000).
    create: (keys) =>
      fromSide(ours({ ...OPEN, algorithm: 'fixed-window', maxKeys: Math.max(2 * keys, 1024) })),
  },
  'ours-sliding': {
    label: "@rampart/rate-limiter, `'sliding-window'`",
    create: (keys) =>
      fromSide(ours({ ...OPEN, algorithm: 'sliding-window', maxKeys: Math.max(2 * keys, 1024) })),
  },
  'express-rate-limit': {
    label: `${anchorName('express-rate-limit')} \`MemoryStore\``,
    create: () => fromSide(expressRateLimit(OPEN)),
  },
  'rate-limiter-flexible': {
    label: `${anchorName('rate-limiter-flexible')} \`RateLimiterMemory\``,
    create: () => fromSide(rateLimiterFlexible(OPEN)),
  },
} as const satisfies Record<string, HeapSubject>

export type HeapSubjectName = keyof typeof HEAP_SUBJECTS

/** The subjects compared with ours in ratio columns. */
export const HEAP_ANCHORS: readonly HeapSubjectName[] = [
  'express-rate-limit',
  'rate-limiter-flexible',
]
