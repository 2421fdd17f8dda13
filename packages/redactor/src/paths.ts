/**
 * Redaction paths in fast-redact / pino syntax, plus `**`: parsed once into segments, then
 * compiled into one trie that the walk advances key by key.
 *
 * Syntax: `a.b`, `a["x-y"]` or `a['x-y']`, `a[0]`, `*` for any one key or index, `**` for any
 * number of levels (none included): `**.password`, `req.**.token`.
 * @module
 */

/** One step of a path: a key (indices as their decimal string), `*` or `**`. */
export type Segment =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'any' }
  | { readonly kind: 'deep' }

/** Why a path could not be read, with where. */
export class PathSyntaxError extends Error {
  constructor(
    readonly path: string,
    readonly at: number,
    reason: string,
  ) {
    super(`${reason} at character ${at + 1} of '${path}'`)
    this.name = 'PathSyntaxError'
  }
}

function isIdentifierChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) ||
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    c === 95 ||
    c === 36 ||
    c === 45 ||
    c > 0x7f
  )
}

/**
 * Parses one path into segments.
 * @throws PathSyntaxError naming the character where the path stops making sense.
 */
export function parsePath(path: string): Segment[] {
  const segments: Segment[] = []
  let i = 0
  const n = path.length
  if (n === 0) throw new PathSyntaxError(path, 0, 'empty path')
  let expectSegment = true
  while (i < n) {
    const c = path.charCodeAt(i)
    if (c === 91 /* [ */) {
      const q = path[i + 1]
      if (q === '"' || q === "'") {
        let j = i + 2
        let key = ''
        while (j < n && path[j] !== q) {
          if (path[j] === '\\' && j + 1 < n) j++
          key += path[j]
          j++
        }
        if (j >= n || path[j + 1] !== ']') throw new PathSyntaxError(path, i, 'unclosed bracket')
        segments.push({ kind: 'key', key })
        i = j + 2
      } else {
        const close = path.indexOf(']', i)
        if (close === -1) throw new PathSyntaxError(path, i, 'unclosed bracket')
        const inner = path.slice(i + 1, close)
        if (inner === '*') segments.push({ kind: 'any' })
        else if (/^\d+$/.test(inner)) segments.push({ kind: 'key', key: String(Number(inner)) })
        else throw new PathSyntaxError(path, i + 1, 'expected an index, * or a quoted key')
        i = close + 1
      }
      expectSegment = false
      continue
    }
    if (c === 46 /* . */) {
      if (expectSegment) throw new PathSyntaxError(path, i, 'unexpected dot')
      expectSegment = true
      i++
      continue
    }
    if (!expectSegment) throw new PathSyntaxError(path, i, "expected '.' or '['")
    if (path.startsWith('**', i)) {
      segments.push({ kind: 'deep' })
      i += 2
    } else if (c === 42 /* * */) {
      segments.push({ kind: 'any' })
      i++
    } else {
      const start = i
      while (i < n && isIdentifierChar(path.charCodeAt(i))) i++
      if (i === start) throw new PathSyntaxError(path, i, 'unexpected character')
      segments.push({ kind: 'key', key: path.slice(start, i) })
    }
    expectSegment = false
  }
  if (expectSegment) throw new PathSyntaxError(path, n - 1, 'path ends with a dot')
  return segments
}

/** A trie node: where the walk stands in every path at once. */
export interface PathNode {
  /** Children by exact key. */
  readonly keys: Map<string, PathNode>
  /** Child for `*`. */
  any: PathNode | undefined
  /** Child for `**` (which also stays on itself for deeper levels). */
  deep: PathNode | undefined
  /** A path ends here: the value at this point is censored. */
  terminal: boolean
  /** Reached through `**`: matches any number of further levels too. */
  readonly spansLevels: boolean
  /** `closure([this])`, kept once computed: the state of a walk standing here alone. */
  alone: PathState | undefined
  /** Detectors for a string found here (a field declared for them), as a text redactor. */
  scan: ((text: string) => string) | undefined
}

function node(spansLevels = false): PathNode {
  return {
    keys: new Map(),
    any: undefined,
    deep: undefined,
    terminal: false,
    spansLevels,
    alone: undefined,
    scan: undefined,
  }
}

/** The state of a walk standing on `n` alone (cached on the node: the common case). */
function aloneAt(n: PathNode): PathState {
  n.alone ??= closure([n])
  return n.alone
}

/** One path to compile: censor what it names, or scan the strings it names with detectors. */
export interface PathRule {
  readonly segments: readonly Segment[]
  /** Set for a detector field; absent for a censored path. */
  readonly scan?: (text: string) => string
}

/** Compiles paths into one trie. */
export function compilePaths(rules: readonly PathRule[]): PathNode {
  const root = node()
  for (const rule of rules) {
    let at = root
    for (const s of rule.segments) {
      if (s.kind === 'key') {
        let next = at.keys.get(s.key)
        if (next === undefined) {
          next = node()
          at.keys.set(s.key, next)
        }
        at = next
      } else if (s.kind === 'any') {
        at.any ??= node()
        at = at.any
      } else {
        at.deep ??= node(true)
        at = at.deep
      }
    }
    if (rule.scan === undefined) {
      at.terminal = true
    } else {
      const before = at.scan
      const scan = rule.scan
      at.scan = before === undefined ? scan : (text) => scan(before(text))
    }
  }
  return root
}

/** The trie positions the walk stands on; empty when no path can match below. */
export type PathState = readonly PathNode[]

/** The positions reachable from `state` by zero or more `**` steps (each counts as no level). */
export function closure(state: PathState): PathState {
  let out: PathNode[] | undefined
  // Breadth-first over `deep` links; the list only grows, and each node enters it once.
  for (let i = 0; i < (out ?? state).length; i++) {
    const deep = ((out ?? state)[i] as PathNode).deep
    if (deep !== undefined && !(out ?? state).includes(deep)) {
      out ??= [...state]
      out.push(deep)
    }
  }
  return out ?? state
}

const EMPTY: PathState = []

/** The positions after descending into `key` (call on a closed state). */
export function advance(state: PathState, key: string): PathState {
  if (state.length === 0) return EMPTY
  if (state.length === 1) {
    // One position, at most one way on: the usual shape of a static path, without allocating.
    const at = state[0] as PathNode
    const exact = at.keys.get(key)
    const ways =
      (exact === undefined ? 0 : 1) + (at.any === undefined ? 0 : 1) + (at.spansLevels ? 1 : 0)
    if (ways === 0) return EMPTY
    if (ways === 1) return aloneAt(exact ?? at.any ?? at)
  }
  let out: PathNode[] | undefined
  const add = (n: PathNode) => {
    out ??= []
    if (!out.includes(n)) out.push(n)
  }
  for (const at of state) {
    const exact = at.keys.get(key)
    if (exact !== undefined) add(exact)
    if (at.any !== undefined) add(at.any)
    // `**` matches this level and stays available for the next.
    if (at.spansLevels) add(at)
  }
  return out === undefined ? EMPTY : closure(out)
}

/** Whether a path ends at one of the positions. */
export function isTerminal(state: PathState): boolean {
  for (const at of state) if (at.terminal) return true
  return false
}
