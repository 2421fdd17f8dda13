/**
 * The role graph, walked iteratively: a 10,000-role chain must neither overflow the stack nor
 * take quadratic time.
 * @module
 */

/** A loop found in the `inherits` graph. */
export interface RoleCycle {
  /** The role whose `inherits` entry closes the loop. */
  readonly role: string
  /** That entry's index in its `inherits` list. */
  readonly index: number
  /** The loop in inheritance order, first role repeated last: `['admin', 'manager', 'admin']`. */
  readonly path: readonly string[]
}

/** What {@link walkRoles} finds. */
export interface RoleWalk {
  /** Every role, each after all of its ancestors (the order to flatten them in). */
  readonly order: readonly string[]
  /** Every loop, once per `inherits` entry that closes one. */
  readonly cycles: readonly RoleCycle[]
}

/**
 * Depth-first walk over `inherits` with an explicit stack. `parentsOf` answers only declared
 * parents (unknown ones are reported elsewhere). Roles are visited in `names` order, so the
 * output is deterministic for a given declaration.
 */
export function walkRoles(
  names: readonly string[],
  parentsOf: (name: string) => readonly string[],
): RoleWalk {
  const DONE = -1
  // Position of a role on the current path, or DONE once all its ancestors are ordered.
  const state = new Map<string, number>()
  const order: string[] = []
  const cycles: RoleCycle[] = []
  const pathNames: string[] = []
  const nextParent: number[] = []
  for (const root of names) {
    if (state.has(root)) continue
    state.set(root, 0)
    pathNames.push(root)
    nextParent.push(0)
    while (pathNames.length > 0) {
      const top = pathNames.length - 1
      const name = pathNames[top] as string
      const parents = parentsOf(name)
      const i = nextParent[top] as number
      if (i < parents.length) {
        nextParent[top] = i + 1
        const parent = parents[i] as string
        const seen = state.get(parent)
        if (seen === undefined) {
          state.set(parent, pathNames.length)
          pathNames.push(parent)
          nextParent.push(0)
        } else if (seen !== DONE) {
          cycles.push({ role: name, index: i, path: [...pathNames.slice(seen), parent] })
        }
        continue
      }
      state.set(name, DONE)
      order.push(name)
      pathNames.pop()
      nextParent.pop()
    }
  }
  return { order, cycles }
}
