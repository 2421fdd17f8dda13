/**
 * Markdown output: tables, numbers, the machine caption, and the marker blocks README files
 * quote results in.
 * @module
 */
import { cpus, totalmem } from 'node:os'

type Align = 'left' | 'right'

/** A GitHub-flavoured markdown table. */
export function markdownTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[] = [],
): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`
  const rule = headers.map((_, i) => (align[i] === 'right' ? '---:' : '---'))
  return [line(headers), line(rule), ...rows.map(line)].join('\n')
}

const formatters = new Map<number, Intl.NumberFormat>()

/** `12,345.6` style, with a fixed number of decimals. */
export function formatNumber(value: number, decimals: number): string {
  let format = formatters.get(decimals)
  if (format === undefined) {
    format = new Intl.NumberFormat('en-US', {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    })
    formatters.set(decimals, format)
  }
  return format.format(value)
}

/** One line naming the machine and runtime a result came from. */
export function machineCaption(): string {
  const cpu = cpus()
  const model = cpu[0]?.model.trim() ?? 'unknown CPU'
  const memory = Math.round(totalmem() / 2 ** 30)
  const date = new Date().toISOString().slice(0, 10)
  return `Node ${process.version}, ${process.platform}/${process.arch}, ${cpu.length} × ${model}, ${memory} GiB, ${date}`
}

const start = (name: string) => `<!-- bench:${name}:start -->`
const end = (name: string) => `<!-- bench:${name}:end -->`

/** True when `text` has both markers of block `name`. */
export function hasBlock(text: string, name: string): boolean {
  return text.includes(start(name)) && text.includes(end(name))
}

/**
 * Replaces what stands between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->`,
 * leaving the markers and everything outside them as they were.
 * @throws Error when the markers are missing or out of order.
 */
export function replaceBlock(text: string, name: string, content: string): string {
  const from = text.indexOf(start(name))
  const to = text.indexOf(end(name))
  if (from === -1 || to === -1 || to < from) {
    throw new Error(`markers ${start(name)} … ${end(name)} not found (or out of order)`)
  }
  const head = text.slice(0, from + start(name).length)
  return `${head}\n${content.trim()}\n${text.slice(to)}`
}

/** An empty marker block, ready for {@link replaceBlock}. */
export function emptyBlock(name: string): string {
  return `${start(name)}\n${end(name)}`
}
