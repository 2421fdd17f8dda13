/**
 * Rich-text fields: the body fields whose strings go through the allow-list HTML sanitiser, named
 * as keys joined with dots (`description`, `items.notes`: arrays on the way are entered, whatever
 * their index). Every other string is left as it is: escaping belongs in templates.
 * @module
 */
import { type HtmlAllowList, sanitizeHtml } from './html.js'

/** A field path split once, at construction. */
export type FieldPath = readonly string[]

/** Splits `a.b.c` into its keys. */
export function fieldPath(field: string): FieldPath {
  return field.split('.')
}

/**
 * Sanitises the strings at `paths` in `root`, in place (`root` has passed the walk: its depth
 * and width are bounded). Answers whether anything changed.
 */
export function sanitizeRichText(
  root: unknown,
  paths: readonly FieldPath[],
  allow: HtmlAllowList,
): boolean {
  let changed = false
  for (const path of paths) {
    let level: unknown[] = [root]
    for (let depth = 0; depth < path.length && level.length > 0; depth++) {
      const key = path[depth] as string
      const last = depth === path.length - 1
      const next: unknown[] = []
      const visit = (node: unknown) => {
        if (Array.isArray(node)) {
          for (const item of node) visit(item)
          return
        }
        if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return
        const record = node as Record<string, unknown>
        const value = record[key]
        if (!last) {
          next.push(value)
          return
        }
        const strings = Array.isArray(value) ? value : [value]
        strings.forEach((item, i) => {
          if (typeof item !== 'string') return
          const clean = sanitizeHtml(item, allow)
          if (clean === item) return
          changed = true
          if (Array.isArray(value)) value[i] = clean
          else record[key] = clean
        })
      }
      for (const node of level) visit(node)
      level = next
    }
  }
  return changed
}
