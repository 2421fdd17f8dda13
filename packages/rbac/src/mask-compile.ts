/**
 * Field patterns compiled into a small deterministic automaton over keys.
 *
 * Each pattern is a tiny NFA over segments (`'*'` consumes one key, `'**'` any number, matching
 * the last segment "covers" the path and everything below it). A state of the automaton is the
 * set of live positions of every pattern at once, built eagerly at compile time over the finite
 * alphabet "each literal key named by a pattern, plus any other key". Per state we then decide,
 * once, whether its whole subtree is allowed (FULL), nothing below it is (NONE) or it is partial,
 * and whether the path itself is allowed (`leaf`), which is what decides for a primitive there.
 * All FULL states collapse into one shared state, and so do all NONE states, so the walkers
 * test them by identity.
 * @module
 */
import { isPrototypeKey, type ParsedPattern, parsePattern } from './paths.js'

/** The whole subtree below is allowed, the state is partial, or nothing below is allowed. */
export type StateKind = 'full' | 'partial' | 'none'

/** One state of a compiled mask: what holds at a path and where each key leads. */
export class MaskState {
  /** Where a key not in `byName` leads. */
  other: MaskState = this
  /** Keys leading elsewhere than `other`; prototype keys lead to {@link NONE_STATE}. */
  readonly byName = new Map<string, MaskState>()
  /** Every key not listed in `names` leads to NONE: filter looks up these names only. */
  pick = false
  /** With `pick`: the keys worth looking up, in the order patterns name them. */
  readonly names: string[] = []
  /** With `pick`: the state each of `names` leads to. */
  readonly targets: MaskState[] = []

  constructor(
    /** What holds for the whole subtree below. */
    readonly kind: StateKind,
    /** Whether the path itself is allowed (a primitive, a Date or an empty container there). */
    readonly leaf: boolean,
  ) {}
}

/** The state where every path below is allowed. */
export const FULL_STATE = new MaskState('full', true)
/** The state where no path below is allowed. */
export const NONE_STATE = new MaskState('none', false)

/** The state `key` leads to from `state`. */
export function step(state: MaskState, key: string): MaskState {
  return state.byName.get(key) ?? state.other
}

/** Automata with more states than this are refused: patterns like `**.a.*.*.*.*` blow up. */
const MAX_STATES = 4096

/** Stands for "a key no pattern names" in the transition tables. */
const OTHER = -1

/** One grant's patterns, as indexes into the pattern table. */
interface GrantPatterns {
  readonly positive: readonly number[]
  readonly negative: readonly number[]
}

/** A pattern's progress: `true` once matched (it covers the subtree), else its live positions. */
type Progress = true | readonly number[]

/** The patterns of a mask, deduplicated, and what each grant and the deny list refer to. */
class PatternTable {
  readonly patterns: (readonly string[])[] = []
  readonly grants: GrantPatterns[] = []
  readonly denied: number[] = []
  private readonly indexByKey = new Map<string, number>()

  add(segments: readonly string[]): number {
    const key = segments.join('.')
    let index = this.indexByKey.get(key)
    if (index === undefined) {
      index = this.patterns.push(segments) - 1
      this.indexByKey.set(key, index)
    }
    return index
  }

  addGrant(list: readonly string[] | undefined): void {
    const parsed: ParsedPattern[] =
      list === undefined ? [parsePattern('**')] : list.map(parsePattern)
    const positive = parsed.filter((p) => !p.negated).map((p) => this.add(p.segments))
    const negative = parsed.filter((p) => p.negated).map((p) => this.add(p.segments))
    // Only negations: "everything except those".
    if (positive.length === 0 && negative.length > 0) positive.push(this.add(['**']))
    this.grants.push({ positive, negative })
  }

  /** Deny patterns are plain patterns: a leading `!` is ignored. */
  addDenied(list: readonly string[]): void {
    for (const pattern of list) this.denied.push(this.add(parsePattern(pattern).segments))
  }

  /** Every key a pattern names literally, in first-use order. */
  literals(): string[] {
    const literals = new Set<string>()
    for (const segments of this.patterns) {
      for (const segment of segments) if (segment !== '*' && segment !== '**') literals.add(segment)
    }
    return [...literals]
  }
}

/** Adds the positions `'**'` reaches without consuming a key; `true` when the end is reached. */
function close(segments: readonly string[], positions: number[]): Progress {
  const live = new Set<number>()
  for (let position of positions) {
    live.add(position)
    while (segments[position] === '**') live.add(++position)
  }
  if (live.has(segments.length)) return true
  return [...live].sort((a, b) => a - b)
}

/** A pattern's progress after one more key (`OTHER` for a key no pattern names). */
function advance(
  segments: readonly string[],
  progress: Progress,
  key: string | typeof OTHER,
): Progress {
  if (progress === true || progress.length === 0) return progress
  const next: number[] = []
  for (const position of progress) {
    const segment = segments[position]
    if (segment === '**') next.push(position)
    else if (segment === '*' || segment === key) next.push(position + 1)
  }
  return close(segments, next)
}

/** Whether the path a configuration stands for is allowed. */
function isAllowed(table: PatternTable, progress: readonly Progress[]): boolean {
  const covers = (index: number) => progress[index] === true
  if (table.denied.some(covers)) return false
  return table.grants.some((g) => g.positive.some(covers) && !g.negative.some(covers))
}

/** The automaton before FULL and NONE states are merged: per state, its transitions. */
interface RawAutomaton {
  readonly leaf: boolean[]
  /** `next[state][0]` for OTHER, `next[state][i + 1]` for `literals[i]`. */
  readonly next: number[][]
  readonly literals: readonly string[]
}

/** Builds every reachable configuration of the patterns, breadth first. */
function explore(table: PatternTable): RawAutomaton {
  const literals = table.literals()
  const alphabet: (string | typeof OTHER)[] = [OTHER, ...literals]
  const configs: (readonly Progress[])[] = []
  const indexByKey = new Map<string, number>()
  const intern = (config: readonly Progress[]): number => {
    const key = config.map((p) => (p === true ? '#' : p.join(','))).join('|')
    let index = indexByKey.get(key)
    if (index === undefined) {
      if (configs.length >= MAX_STATES) {
        throw new RangeError(
          `Field mask too complex (over ${MAX_STATES} states): simplify patterns that combine '**' with many '*' segments`,
        )
      }
      index = configs.push(config) - 1
      indexByKey.set(key, index)
    }
    return index
  }
  intern(table.patterns.map((segments) => close(segments, [0])))
  const next: number[][] = []
  for (let state = 0; state < configs.length; state++) {
    const config = configs[state]!
    next.push(
      alphabet.map((key) =>
        intern(config.map((progress, i) => advance(table.patterns[i]!, progress, key))),
      ),
    )
  }
  return { leaf: configs.map((config) => isAllowed(table, config)), next, literals }
}

/**
 * States from which every reachable state satisfies `holds` (greatest fixpoint: start from the
 * states that hold, drop any with a successor outside, until nothing changes).
 */
function alwaysHolds(raw: RawAutomaton, holds: (state: number) => boolean): boolean[] {
  const result = raw.leaf.map((_, state) => holds(state))
  let changed = true
  while (changed) {
    changed = false
    for (let state = 0; state < result.length; state++) {
      if (result[state] && raw.next[state]!.some((target) => !result[target])) {
        result[state] = false
        changed = true
      }
    }
  }
  return result
}

/** Turns the raw automaton into linked states, with FULL and NONE states merged. */
function link(raw: RawAutomaton): MaskState {
  const full = alwaysHolds(raw, (state) => raw.leaf[state]!)
  const none = alwaysHolds(raw, (state) => !raw.leaf[state])
  const states = raw.leaf.map((leaf, i) =>
    full[i] ? FULL_STATE : none[i] ? NONE_STATE : new MaskState('partial', leaf),
  )
  states.forEach((state, i) => {
    if (state.kind !== 'partial') return
    const [other, ...byLiteral] = raw.next[i]!.map((target) => states[target]!)
    state.other = other!
    byLiteral.forEach((target, j) => {
      if (target !== other) state.byName.set(raw.literals[j]!, target)
    })
    for (const key of ['__proto__', 'constructor', 'prototype']) state.byName.set(key, NONE_STATE)
    state.pick = other === NONE_STATE
    if (state.pick) {
      for (const [name, target] of state.byName) {
        if (target !== NONE_STATE && !isPrototypeKey(name)) {
          state.names.push(name)
          state.targets.push(target)
        }
      }
    }
  })
  return states[0]!
}

/**
 * Compiles grants (one pattern list each, `undefined` for every field) and deny patterns into
 * the automaton's start state.
 * @throws TypeError for a malformed pattern; RangeError for an automaton over 4096 states.
 */
export function compileStates(
  grants: readonly (readonly string[] | undefined)[],
  denied: readonly string[],
): MaskState {
  if (grants.length === 0) return NONE_STATE
  const table = new PatternTable()
  for (const grant of grants) table.addGrant(grant)
  table.addDenied(denied)
  return link(explore(table))
}
