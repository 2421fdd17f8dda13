/**
 * The `serializer: 'native'` fast path of `json()`: copy only the objects on the way to what the
 * paths censor (a copy-on-write spine), leave everything else to the engine's own
 * `JSON.stringify`. Used only when nothing but paths redacts (no key rules, no detectors, no
 * `**`), so nothing off the spine could need redacting. Whatever the spine cannot copy exactly
 * (a non-plain object, a `toJSON`, an `Error` on the way) answers `undefined`, and the caller
 * takes the safe walk instead; so does a `JSON.stringify` that throws (a cycle, a BigInt, a
 * throwing getter).
 * @module
 */
import { type CensorFn, REMOVED } from './censor.js'
import { setOwn } from './own.js'
import { advance, isTerminal, type PathState } from './paths.js'

/** Signals that the spine cannot be copied exactly: take the safe walk. */
const BAIL: unique symbol = Symbol('bail')

const OBJECT_PROTOTYPE = Object.prototype

function isPlainContainer(value: object): boolean {
  if (Array.isArray(value)) return true
  const proto = Object.getPrototypeOf(value)
  return (proto === OBJECT_PROTOTYPE || proto === null) && !Object.hasOwn(value, 'toJSON')
}

function spineOf(
  value: unknown,
  state: PathState,
  censor: CensorFn,
  path: (string | number)[],
): unknown {
  if (state.length === 0 || typeof value !== 'object' || value === null) return value
  if (!isPlainContainer(value)) return BAIL
  if (Array.isArray(value)) {
    const out: unknown[] = value.slice()
    for (let i = 0; i < out.length; i++) {
      const child = advance(state, String(i))
      if (child.length === 0) continue
      path.push(i)
      const copied = isTerminal(child)
        ? censor(out[i], censor.usesPath ? path.slice() : path)
        : spineOf(out[i], child, censor, path)
      path.pop()
      if (copied === BAIL) return BAIL
      out[i] = copied === REMOVED ? null : copied
    }
    return out
  }
  const source = value as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(source)) {
    const child = advance(state, key)
    const item = source[key]
    if (child.length === 0) {
      setOwn(out, key, item)
      continue
    }
    path.push(key)
    const copied = isTerminal(child)
      ? censor(item, censor.usesPath ? path.slice() : path)
      : spineOf(item, child, censor, path)
    path.pop()
    if (copied === BAIL) return BAIL
    if (copied === REMOVED) continue
    setOwn(out, key, copied)
  }
  return out
}

/**
 * The JSON text with the paths censored, or `undefined` when the fast path cannot answer
 * exactly (the caller then takes the safe walk).
 */
export function spineJson(value: unknown, start: PathState, censor: CensorFn): string | undefined {
  try {
    if (isTerminal(start)) return undefined
    const spine = spineOf(value, start, censor, [])
    if (spine === BAIL) return undefined
    return JSON.stringify(spine) ?? 'null'
  } catch {
    return undefined
  }
}
