/**
 * The micro suites' ratios on one page: one row per suite and case, ours ÷ the anchor's ops/s,
 * for `BENCHMARKS.md` (the full tables, with ops/s and p99, are printed by the run and written
 * into the READMEs by `bench:readme`).
 * @module
 */
import { markdownTable } from './markdown.js'
import type { MicroOptions, SuiteResult } from './micro.js'
import { NOISY_CORES } from './quiet.js'

/** One line describing how the micro suites were measured, for captions. */
export function describeMicroOptions(options: MicroOptions): string {
  return `mitata, ${options.timeMs} ms of CPU per side per case, fastest of ${options.rounds} round${options.rounds === 1 ? '' : 's'} in ABBA order`
}

/**
 * Every case of every suite as one row: the suite's title, the anchor with its version, the case,
 * and the ratio ours/anchor in bold (above 1: ours is faster). A case other processes disturbed
 * is marked with the CPU they used.
 */
export function formatMicroSummary(results: readonly SuiteResult[]): string {
  const rows: string[][] = []
  for (const { suite, cases } of results) {
    for (const c of cases) {
      const others = Math.max(c.ours.otherCores, c.anchor.otherCores)
      rows.push([
        suite.title,
        suite.anchor,
        c.name,
        `**${c.ratio.toFixed(2)}×**`,
        others > NOISY_CORES ? `disturbed (${others.toFixed(2)} cores)` : '',
      ])
    }
  }
  return markdownTable(['suite', 'anchor', 'case', 'ratio ours/anchor', 'note'], rows, [
    'left',
    'left',
    'left',
    'right',
    'left',
  ])
}
