/**
 * `BENCHMARKS.md` at the repository root: the whole-stack HTTP table (each framework bare, with
 * Rampart's stack and with the anchors' stack) and every micro suite's ratio, from one run, with
 * the machine and Node version it ran on. Written by `pnpm bench` (`src/main.ts`, modes `all`
 * and `stack`) and by `bench:readme`.
 * @module
 */
import { writeFileSync } from 'node:fs'
import { cpus, release, type } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { STACK_BODY } from './http/stack-workload.js'
import {
  describeHttpOptions,
  formatHttp,
  formatStackComparison,
  type HttpOptions,
  type HttpResult,
  STACK_VARIANTS,
} from './http.js'
import { machineCaption } from './markdown.js'
import type { MicroOptions, SuiteResult } from './micro.js'
import { describeMicroOptions, formatMicroSummary } from './micro-summary.js'

/** Where the file goes: the repository root. */
export const BENCHMARKS_FILE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'BENCHMARKS.md',
)

/** What one run measured, as `BENCHMARKS.md` reports it. */
export interface BenchmarksRun {
  readonly http: { readonly options: HttpOptions; readonly results: readonly HttpResult[] }
  readonly micro: { readonly options: MicroOptions; readonly results: readonly SuiteResult[] }
}

/** The highest CPU other processes used during any measurement of the run, in cores. */
function busiestOthers(run: BenchmarksRun): number {
  const http = run.http.results.map((r) => r.otherCores)
  const micro = run.micro.results.flatMap((s) =>
    s.cases.flatMap((c) => [c.ours.otherCores, c.anchor.otherCores]),
  )
  return Math.max(0, ...http, ...micro)
}

/** The caveat under the caption: the machine's size and how busy the rest of it was. */
function caveat(run: BenchmarksRun): string {
  const cores = cpus().length
  const others = busiestOthers(run)
  const shared =
    cores <= 4
      ? `This machine has ${cores} cores: autocannon and the server under load share them, so absolute requests/s are far below what the same server does on dedicated hardware and latency includes time spent waiting for a core.`
      : `autocannon and the server under load run on the same ${cores}-core machine.`
  const busy =
    others > 0.15
      ? ` Other work ran on the machine during the run (up to ${others.toFixed(2)} cores during a measurement; the tables mark what it disturbed), so the numbers are noisy: expect ±10% or more between runs.`
      : ' Expect ±10% between runs even on a quiet machine.'
  return `**Caveat:** ${shared}${busy} Compare the ratios, not the absolute numbers, and compare them across machines only with care.`
}

/** The whole file. */
export function formatBenchmarksMd(run: BenchmarksRun): string {
  const stackTable = formatHttp(run.http.results, undefined, STACK_VARIANTS)
  const comparison = formatStackComparison(run.http.results)
  return [
    '# Rampart benchmarks',
    `_${machineCaption()} (${type()} ${release()}). Written by \`pnpm bench\` ([tooling/bench](tooling/bench/README.md)); rerun it to update this file, do not edit by hand._`,
    caveat(run),
    '## Whole stack (HTTP)',
    `Each framework bare, with the full Rampart stack (one app-wide \`rampart(accessLog(), securityHeaders(), rateLimit(), sanitize(), policy.require('partner:read'))\`) and with the closest stack of the libraries apps use today (Express: helmet + express-rate-limit + \`express.json()\` + express-mongo-sanitize + hpp; Koa: koa-helmet + koa-ratelimit; Hono: \`secureHeaders()\` + hono-rate-limiter; each with a hand-written access-log line and role check). Every connection sends, in turn, a \`GET /?q=…&page=2&sort=name&sort=created\` and a \`POST /\` of a ${Buffer.byteLength(STACK_BODY)}-byte JSON partner record, as a signed-in \`viewer\`; every variant answers 200 \`{"hello":"world"}\`. "vs bare" compares with the bare app under the same requests. What each stack holds, and what is not comparable: [tooling/bench](tooling/bench/README.md#whole-stack).`,
    `_${describeHttpOptions(run.http.options)}._`,
    stackTable,
    'Rampart stack against the anchor stack (req/s ours/anchor above 1: ours serves more; CPU/req ours − anchor below 0: ours costs less per request):',
    comparison,
    '## Micro-benchmark ratios',
    "Every micro suite of `tooling/bench` from the same run: a Rampart function and its anchor library on the same inputs in one process, ratio = ours ops/s ÷ anchor ops/s (**above 1: ours is faster**). The full tables, with ops/s, p99 and footnotes on what each case compares, are in [tooling/bench/README.md](tooling/bench/README.md#results) and the packages' READMEs.",
    `_${describeMicroOptions(run.micro.options)}._`,
    formatMicroSummary(run.micro.results),
  ]
    .filter((part) => part !== '')
    .join('\n\n')
    .concat('\n')
}

/** Writes `BENCHMARKS.md` and returns its path. */
export function writeBenchmarksMd(run: BenchmarksRun): string {
  writeFileSync(BENCHMARKS_FILE, formatBenchmarksMd(run))
  return BENCHMARKS_FILE
}
