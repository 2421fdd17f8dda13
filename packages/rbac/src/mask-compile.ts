/**
 * Field patterns compiled into a small deterministic automaton over keys.
 *
 * Each pattern is a tiny NFA over segments (`'*'` consumes one key, `'**'` any number, matching
 * the last segment "covers" the path and everything below it). A state of the automaton is what
 * still matters at a path: the live positions of the patterns that can still change a verdict
 * below it, and which grants are already covered (a positive pattern matched) or blocked (a
 * negation matched). It is built eagerly at compile time, breadth first; from each state only the
 * keys named at one of its live positions get their own transition, every other key shares one
 * (patterns are indexed by the literal at each live position, so a key advances only the
 * positions that can match it, plus the wildcard ones). A list of plain names therefore compiles
 * in linear time, into three states.
 *
 * Per state we then decide, once, whether its whole subtree is allowed (FULL), nothing below it is
 * (NONE) or it is partial, and whether the path itself is allowed (`leaf`), which is what decides
 * for a primitive there. Most FULL and NONE states are recognised as they are built (a covered
 * grant nothing can block any more; no grant that can still allow), the rest by a fixpoint over
 * the transitions. All FULL states collapse into one shared state, and so do all NONE states, so
 * the walkers test them by identity.
 * @module
 */
import { isPrototypeKey, type ParsedPattern, parsePattern } from './paths.js'

/** The whole subtree below is allowed, the state is partial, or nothing below is allowed. */
export type StateKind = 'full' | 'partial' | 'none'

/**
 * Above this many names, a state whose other keys lead nowhere is not filtered by looking each
 * name up (that costs one lookup per name, whatever the record): keys are iterated instead.
 */
export const MAX_PICK_NAMES = 32

/** One state of a compiled mask: what holds at a path and where each key leads. */
export class MaskState {
  /** Where a key not in `byName` leads. */
  other: MaskState = this
  /** Keys leading elsewhere than `other`; prototype keys lead to {@link NONE_STATE}. */
  readonly byName = new Map<string, MaskState>()
  /**
   * For `filter`: `byName`, plus the other keys met so far (up to {@link MAX_SEEN_KEYS}), each
   * with where `filter` sends it (`other`, or NONE for a key holding a dot), so a record's keys
   * cost one lookup each once seen.
   */
  readonly seen = new Map<string, MaskState>()
  /**
   * Every key not listed in `names` leads to NONE, and there are at most
   * {@link MAX_PICK_NAMES} of them: filter looks up these names only.
   */
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

/** How many keys besides those patterns name a state remembers for `filter`. */
export const MAX_SEEN_KEYS = 256

/** The state where every path below is allowed. */
export const FULL_STATE = new MaskState('full', true)
/** The state where no path below is allowed. */
export const NONE_STATE = new MaskState('none', false)

/** The state `key` leads to from `state`. */
export function step(state: MaskState, key: string): MaskState {
  return state.byName.get(key) ?? state.other
}

/**
 * Automata with more states than this, plus {@link STATES_PER_SEGMENT} per pattern segment, are
 * refused: patterns like `**.a.*.*.*.*` blow up (each `'*'` after `'**'` doubles the states),
 * while realistic masks stay far below (a list of names, however long, takes three states).
 */
export const MAX_STATES = 4096
/** The allowance per pattern segment, so long lists of nested names never reach the cap. */
export const STATES_PER_SEGMENT = 8

/** The raw index of the canonical NONE state (no grant can allow anything below). */
const NONE_INDEX = 0
/** The raw index of the canonical FULL state (a covered grant nothing can block below). */
const FULL_INDEX = 1

const NO_NUMBERS: readonly number[] = []

/** The patterns of a mask, deduplicated, and what each grant and the deny list refer to. */
class PatternTable {
  readonly patterns: (readonly string[])[] = []
  /** The first spelling of each pattern, for error messages. */
  readonly sources: string[] = []
  /** Per pattern, the grants where it is positive. */
  readonly positiveIn: number[][] = []
  /** Per pattern, the grants where it is a negation. */
  readonly negativeIn: number[][] = []
  /** Per pattern, whether the deny list holds it. */
  readonly denied: boolean[] = []
  grantCount = 0
  private readonly indexByKey = new Map<string, number>()

  add(segments: readonly string[], source: string): number {
    const key = segments.join('.')
    let index = this.indexByKey.get(key)
    if (index === undefined) {
      index = this.patterns.push(segments) - 1
      this.sources.push(source)
      this.positiveIn.push([])
      this.negativeIn.push([])
      this.denied.push(false)
      this.indexByKey.set(key, index)
    }
    return index
  }

  addGrant(list: readonly string[] | undefined): void {
    const grant = this.grantCount++
    const parsed: ParsedPattern[] =
      list === undefined ? [parsePattern('**')] : list.map(parsePattern)
    const addRole = (roles: number[]) => {
      if (roles[roles.length - 1] !== grant) roles.push(grant)
    }
    // Positives first: a state's keys come out in the order the positive patterns name them.
    let positives = 0
    parsed.forEach(({ negated, segments }, i) => {
      if (negated) return
      addRole(this.positiveIn[this.add(segments, list?.[i] ?? '**')]!)
      positives++
    })
    parsed.forEach(({ negated, segments }, i) => {
      if (negated) addRole(this.negativeIn[this.add(segments, list?.[i] ?? '**')]!)
    })
    // Only negations: "everything except those".
    if (positives === 0 && parsed.length > 0) addRole(this.positiveIn[this.add(['**'], '**')]!)
  }

  /** Deny patterns are plain patterns: a leading `!` is ignored. */
  addDenied(list: readonly string[]): void {
    for (const pattern of list)
      this.denied[this.add(parsePattern(pattern).segments, pattern)] = true
  }

  /** The pattern most likely to blow the automaton up: the most `'*'` after a `'**'`. */
  culprit(): string {
    let best = 0
    let bestScore = -1
    this.patterns.forEach((segments, index) => {
      const doubleStar = segments.indexOf('**')
      let stars = 0
      for (const segment of segments) if (segment === '*') stars++
      let after = 0
      if (doubleStar !== -1) for (const s of segments.slice(doubleStar)) if (s === '*') after++
      const score = after * 1_000_000 + stars * 1_000 + segments.length
      if (score > bestScore) {
        best = index
        bestScore = score
      }
    })
    return this.sources[best]!
  }
}

/** One state as it is built: the relevant live positions and the grants' standing. */
interface Config {
  readonly live: readonly number[]
  /** Grants a positive pattern covers (and no negation blocks), ascending. */
  readonly covered: readonly number[]
  /** Blocked grants that still have a live positive position, ascending. */
  readonly blocked: readonly number[]
}

/** The automaton before FULL and NONE states are merged: per state, its transitions. */
interface RawAutomaton {
  readonly leaf: boolean[]
  /** Where a key without its own transition leads. */
  readonly other: number[]
  /** The keys with their own transition, in the order patterns first name them. */
  readonly keys: (readonly string[])[]
  /** Where each of `keys` leads. */
  readonly targets: (readonly number[])[]
  /** The start state. */
  readonly root: number
}

/** Builds every reachable state of the patterns, breadth first. */
class Explorer {
  /** Per position (a pattern's segments, then its end), the segment there; '' at the end. */
  private readonly segmentAt: string[] = []
  /** Per position, its pattern. */
  private readonly patternAt: number[] = []
  /** Per pattern, its first position. */
  private readonly start: number[] = []
  /** Where each literal is first named, to order a state's keys as the patterns name them. */
  private readonly rank = new Map<string, number>()
  private readonly configs: Config[] = []
  private readonly indexByKey = new Map<string, number>()
  private readonly limit: number
  // Per-grant and per-pattern marks, valid when equal to `epoch` (no clearing between uses).
  private epoch = 0
  private readonly coveredMark: Int32Array
  private readonly blockedMark: Int32Array
  private readonly livePositiveMark: Int32Array
  private readonly liveNegativeMark: Int32Array
  private readonly doneMark: Int32Array

  constructor(private readonly table: PatternTable) {
    let segments = 0
    table.patterns.forEach((pattern, index) => {
      this.start.push(this.segmentAt.length)
      for (const segment of pattern) {
        this.segmentAt.push(segment)
        this.patternAt.push(index)
        if (segment !== '*' && segment !== '**' && !this.rank.has(segment)) {
          this.rank.set(segment, this.rank.size)
        }
      }
      this.segmentAt.push('')
      this.patternAt.push(index)
      segments += pattern.length
    })
    this.limit = MAX_STATES + STATES_PER_SEGMENT * segments
    const grants = table.grantCount
    this.coveredMark = new Int32Array(grants)
    this.blockedMark = new Int32Array(grants)
    this.livePositiveMark = new Int32Array(grants)
    this.liveNegativeMark = new Int32Array(grants)
    this.doneMark = new Int32Array(table.patterns.length)
    // The canonical NONE and FULL states.
    this.configs.push(
      { live: NO_NUMBERS, covered: NO_NUMBERS, blocked: NO_NUMBERS },
      { live: NO_NUMBERS, covered: NO_NUMBERS, blocked: NO_NUMBERS },
    )
  }

  /** Adds `position` and those `'**'` reaches from it without consuming a key. */
  private close(position: number, into: number[]): void {
    into.push(position)
    while (this.segmentAt[position] === '**') into.push(++position)
  }

  explore(): RawAutomaton {
    const initial: number[] = []
    for (const position of this.start) this.close(position, initial)
    const root = this.settle(initial, NO_NUMBERS, NO_NUMBERS)
    const leaf: boolean[] = [false, true]
    const other: number[] = [NONE_INDEX, FULL_INDEX]
    const keys: (readonly string[])[] = [[], []]
    const targets: (readonly number[])[] = [[], []]
    for (let state = 2; state < this.configs.length; state++) {
      const { live, covered, blocked } = this.configs[state]!
      leaf.push(covered.length > 0)
      // Positions every key advances (wildcards), and those only their literal does.
      const base: number[] = []
      const byLiteral = new Map<string, number[]>()
      for (const position of live) {
        const segment = this.segmentAt[position]!
        if (segment === '**') this.close(position, base)
        else if (segment === '*') this.close(position + 1, base)
        else {
          const list = byLiteral.get(segment)
          if (list === undefined) byLiteral.set(segment, [position])
          else list.push(position)
        }
      }
      const otherTarget = this.settle(base.slice(), covered, blocked)
      other.push(otherTarget)
      const literals = [...byLiteral.keys()].sort((a, b) => this.rank.get(a)! - this.rank.get(b)!)
      const stateKeys: string[] = []
      const stateTargets: number[] = []
      for (const literal of literals) {
        const next = base.slice()
        for (const position of byLiteral.get(literal)!) this.close(position + 1, next)
        const target = this.settle(next, covered, blocked)
        if (target === otherTarget) continue
        stateKeys.push(literal)
        stateTargets.push(target)
      }
      keys.push(stateKeys)
      targets.push(stateTargets)
    }
    return { leaf, other, keys, targets, root }
  }

  /** Whether `grant` is neither covered nor blocked (valid during one `settle`). */
  private isOpen(grant: number): boolean {
    return this.coveredMark[grant] !== this.epoch && this.blockedMark[grant] !== this.epoch
  }

  /** Whether some grant of `grants` is open. */
  private anyOpen(grants: readonly number[]): boolean {
    for (const grant of grants) if (this.isOpen(grant)) return true
    return false
  }

  /** Whether some grant of `grants` can still allow: covered, or open with a live positive. */
  private anyViable(grants: readonly number[]): boolean {
    const epoch = this.epoch
    for (const grant of grants) {
      if (this.blockedMark[grant] === epoch) continue
      if (this.coveredMark[grant] === epoch || this.livePositiveMark[grant] === epoch) return true
    }
    return false
  }

  /**
   * The state reached with these positions (any order, repeats allowed) after the grants'
   * standing `covered` and `blocked`: applies the patterns that ended, drops positions that can
   * no longer change a verdict, recognises FULL and NONE, and interns the rest.
   */
  private settle(
    positions: number[],
    covered: readonly number[],
    blocked: readonly number[],
  ): number {
    const epoch = ++this.epoch
    const { positiveIn, negativeIn, denied } = this.table
    const { coveredMark, blockedMark, livePositiveMark, liveNegativeMark, doneMark } = this
    const { patternAt, segmentAt } = this
    for (const grant of covered) coveredMark[grant] = epoch
    for (const grant of blocked) blockedMark[grant] = epoch
    // Patterns that end here: a deny ends everything, a negation blocks, a positive covers.
    let standing: number[] | undefined
    for (const position of positions) {
      if (segmentAt[position] !== '') continue
      const pattern = patternAt[position]!
      if (doneMark[pattern] === epoch) continue
      doneMark[pattern] = epoch
      if (denied[pattern]) return NONE_INDEX
      for (const grant of negativeIn[pattern]!) blockedMark[grant] = epoch
      for (const grant of positiveIn[pattern]!) {
        if (coveredMark[grant] === epoch) continue
        coveredMark[grant] = epoch
        standing ??= covered.slice()
        standing.push(grant)
      }
    }
    standing ??= covered.slice()
    // A grant both covered and blocked is blocked.
    let kept = 0
    for (const grant of standing) if (blockedMark[grant] !== epoch) standing[kept++] = grant
    standing.length = kept
    // Positions still live, of patterns that did not end; sorted, without repeats.
    if (positions.length > 1) positions.sort((a, b) => a - b)
    const live: number[] = []
    let last = -1
    for (const position of positions) {
      if (position === last) continue
      last = position
      if (segmentAt[position] !== '' && doneMark[patternAt[position]!] !== epoch) {
        live.push(position)
      }
    }
    // Grants that can still allow: covered (and not blocked), or open with a live positive.
    let opening = false
    for (const position of live) {
      for (const grant of positiveIn[patternAt[position]!]!) {
        if (this.isOpen(grant)) {
          livePositiveMark[grant] = epoch
          opening = true
        }
      }
    }
    // NONE: no grant can allow here or below.
    if (standing.length === 0 && !opening) return NONE_INDEX
    // Keep the positions that can change a verdict: a deny, a positive of an open grant, a
    // negation of a grant that can still allow.
    let relevant = 0
    let deniable = false
    for (const position of live) {
      const pattern = patternAt[position]!
      if (
        !denied[pattern] &&
        !this.anyOpen(positiveIn[pattern]!) &&
        !this.anyViable(negativeIn[pattern]!)
      ) {
        continue
      }
      live[relevant++] = position
      if (denied[pattern]) deniable = true
      for (const grant of negativeIn[pattern]!) liveNegativeMark[grant] = epoch
    }
    live.length = relevant
    // FULL: a covered grant no live negation can block, and no live deny.
    if (!deniable) {
      for (const grant of standing) if (liveNegativeMark[grant] !== epoch) return FULL_INDEX
    }
    // Blocked grants matter while a positive of theirs is live (it must not cover them).
    const stillBlocked: number[] = []
    for (const position of live) {
      for (const grant of positiveIn[patternAt[position]!]!) {
        if (blockedMark[grant] === epoch && !stillBlocked.includes(grant)) stillBlocked.push(grant)
      }
    }
    if (standing.length > 1) standing.sort((a, b) => a - b)
    if (stillBlocked.length > 1) stillBlocked.sort((a, b) => a - b)
    return this.intern({ live, covered: standing, blocked: stillBlocked })
  }

  private intern(config: Config): number {
    const key = `${config.live.join(',')}|${config.covered.join(',')}|${config.blocked.join(',')}`
    let index = this.indexByKey.get(key)
    if (index === undefined) {
      if (this.configs.length - 2 >= this.limit) {
        const culprit = this.table.culprit()
        const why = culprit.includes('**')
          ? "'**' followed by many '*' segments matches in too many ways"
          : "its '*' segments, with the other patterns, match in too many ways"
        throw new RangeError(
          `Field pattern '${culprit}' is too complex: ${why} (the mask would need over ${this.limit} states); name the path more precisely`,
        )
      }
      index = this.configs.push(config) - 1
      this.indexByKey.set(key, index)
    }
    return index
  }
}

/**
 * Per state, whether every state reachable from it satisfies `holds` (greatest fixpoint: a state
 * that does not hold makes every state leading to it fail, walked backwards once).
 */
function alwaysHolds(raw: RawAutomaton, holds: (state: number) => boolean): boolean[] {
  const count = raw.leaf.length
  const result: boolean[] = []
  for (let state = 0; state < count; state++) result.push(holds(state))
  // Predecessors, as linked lists over edge indexes.
  const head = new Int32Array(count).fill(-1)
  const from: number[] = []
  const nextEdge: number[] = []
  const addEdge = (source: number, target: number) => {
    nextEdge.push(head[target]!)
    head[target] = from.push(source) - 1
  }
  for (let state = 0; state < count; state++) {
    addEdge(state, raw.other[state]!)
    for (const target of raw.targets[state]!) addEdge(state, target)
  }
  const pending: number[] = []
  for (let state = 0; state < count; state++) if (!result[state]) pending.push(state)
  while (pending.length > 0) {
    const state = pending.pop()!
    for (let edge = head[state]!; edge !== -1; edge = nextEdge[edge]!) {
      const source = from[edge]!
      if (result[source]) {
        result[source] = false
        pending.push(source)
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
    const other = states[raw.other[i]!]!
    state.other = other
    const keys = raw.keys[i]!
    const targets = raw.targets[i]!
    for (let j = 0; j < keys.length; j++) {
      const target = states[targets[j]!]!
      if (target !== other) state.byName.set(keys[j]!, target)
    }
    for (const key of ['__proto__', 'constructor', 'prototype']) state.byName.set(key, NONE_STATE)
    for (const [key, target] of state.byName) state.seen.set(key, target)
    if (other !== NONE_STATE) return
    const names: string[] = []
    const targetStates: MaskState[] = []
    for (const [name, target] of state.byName) {
      if (target !== NONE_STATE && !isPrototypeKey(name)) {
        names.push(name)
        targetStates.push(target)
      }
    }
    if (names.length > MAX_PICK_NAMES) return
    state.pick = true
    state.names.push(...names)
    state.targets.push(...targetStates)
  })
  return states[raw.root]!
}

/**
 * Compiles grants (one pattern list each, `undefined` for every field) and deny patterns into
 * the automaton's start state.
 * @throws TypeError for a malformed pattern; RangeError, naming the pattern, for an automaton
 * over {@link MAX_STATES} states plus {@link STATES_PER_SEGMENT} per pattern segment.
 */
export function compileStates(
  grants: readonly (readonly string[] | undefined)[],
  denied: readonly string[],
): MaskState {
  if (grants.length === 0) return NONE_STATE
  const table = new PatternTable()
  for (const grant of grants) table.addGrant(grant)
  table.addDenied(denied)
  return link(new Explorer(table).explore())
}
