/**
 * The cases both rate-limit micro suites run, against whichever anchor the suite names: the same
 * keys through ours and through the anchor, each side with a limiter of its own.
 *
 * The sides' APIs return promises. The harness awaits every check before the next (the case's
 * `promises` flag), inside the timed span, as a middleware does: in memory the anchors do all
 * their work before returning the promise, but our limiter finishes its result after awaiting
 * the store, and that part must be measured too. The await costs the same on both sides.
 * @module
 */
import { type MicroCase, microCase } from '../micro.js'
import { ipv4Keys } from './keys.js'
import {
  decision,
  type LimitConfig,
  type MemorySide,
  type OurAlgorithm,
  ours,
  spend,
} from './memory-sides.js'

/** Keys cycled by the hot-set cases. */
export const HOT_KEYS = 1_000
/** Keys cycled by the large-set case. */
export const LARGE_KEYS = 100_000
/** Keys kept over their limit by the refusal case. */
const LIMITED_KEYS = 1_000

/** An hour: no window turns over during a run, so the under-limit cases stay under it. */
const WINDOW_MS = 3_600_000
/** A limit no run reaches (a few million checks per key at most). */
const UNREACHED = 1_000_000_000
/** The refusal case's limit: spent before timing, so every timed check is refused. */
const SMALL = 10

function ourSide(config: LimitConfig, algorithm: OurAlgorithm, keys: number): MemorySide {
  // Twice the keys: a full memory store evicts, which is not what these cases measure.
  return ours({ ...config, algorithm, maxKeys: 2 * keys })
}

function pair(
  name: string,
  inputs: readonly string[],
  config: LimitConfig,
  oursSide: MemorySide,
  anchorSide: MemorySide,
  note?: string,
): MicroCase<never> {
  return microCase({
    name,
    inputs,
    ours: oursSide.check,
    anchor: anchorSide.check,
    promises: true,
    compare: decision(config.limit),
    ...(note === undefined ? {} : { note }),
  })
}

/**
 * The four cases, each with fresh limiters: a hot set of keys under the limit, a large set under
 * the limit, keys kept over their limit (every check refused), and the hot set again with ours
 * counting in a sliding window.
 */
export async function rateLimitCases(
  anchor: (config: LimitConfig) => MemorySide,
): Promise<MicroCase<never>[]> {
  const open: LimitConfig = { limit: UNREACHED, windowMs: WINDOW_MS }
  const small: LimitConfig = { limit: SMALL, windowMs: WINDOW_MS }
  const hot = ipv4Keys(HOT_KEYS)
  const large = ipv4Keys(LARGE_KEYS)
  const limited = ipv4Keys(LIMITED_KEYS)

  const oursLimited = ourSide(small, 'fixed-window', LIMITED_KEYS)
  const anchorLimited = anchor(small)
  await spend(oursLimited, limited, SMALL)
  await spend(anchorLimited, limited, SMALL)

  return [
    pair(
      `hot set: ${HOT_KEYS.toLocaleString('en-US')} keys, under the limit`,
      hot,
      open,
      ourSide(open, 'fixed-window', HOT_KEYS),
      anchor(open),
    ),
    pair(
      `large set: ${LARGE_KEYS.toLocaleString('en-US')} keys, under the limit`,
      large,
      open,
      ourSide(open, 'fixed-window', LARGE_KEYS),
      anchor(open),
    ),
    pair(
      `at the limit: ${LIMITED_KEYS.toLocaleString('en-US')} keys kept over it, every check refused`,
      limited,
      small,
      oursLimited,
      anchorLimited,
      'ours spends nothing on a refused check; the anchor keeps counting past the limit.',
    ),
    pair(
      'hot set, ours in a sliding window',
      hot,
      open,
      ourSide(open, 'sliding-window', HOT_KEYS),
      anchor(open),
      "ours weighs the previous window's count (our default algorithm, no burst at window boundaries); the anchor still counts in a fixed window, it has no other in memory.",
    ),
  ]
}
