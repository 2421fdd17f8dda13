/**
 * `pnpm bench` for this package: runs the micro suites, the HTTP harness, the heap-per-key
 * measurement and the Redis throughput run, prints their markdown tables, and writes
 * `BENCHMARKS.md` at the repository root (the whole-stack HTTP table and every micro ratio).
 * Progress goes to stderr, tables to stdout.
 *
 *   node --import tsx src/main.ts              # everything, then BENCHMARKS.md
 *   node --import tsx src/main.ts stack        # micro suites + the whole-stack HTTP variants, then BENCHMARKS.md
 *   node --import tsx src/main.ts micro [name] # micro suites (all, or the named ones)
 *   node --import tsx src/main.ts http         # HTTP harness (BENCH_* settings, see README)
 *   node --import tsx src/main.ts heap         # memory stores' bytes per key
 *   node --import tsx src/main.ts redis        # Redis checks/s (REDIS_URL; skipped without one)
 * @module
 */
// Types only: the module itself is loaded when the HTTP harness runs (see below).
import type { HttpOptions, HttpResult } from './http.js'
import { machineCaption } from './markdown.js'
import {
  formatSuite,
  loadSuites,
  type MicroOptions,
  microOptionsFromEnv,
  runSuite,
  type SuiteResult,
} from './micro.js'

const log = (line: string) => process.stderr.write(`${line}\n`)
const [mode = 'all', ...names] = process.argv.slice(2)

if (
  !['all', 'stack', 'micro', 'http', 'heap', 'redis'].includes(mode) ||
  (mode !== 'micro' && names.length > 0)
) {
  log(`usage: main.ts [all | stack | micro [suite...] | http | heap | redis]`)
  process.exit(2)
}

/** `all` and `stack` write BENCHMARKS.md from the micro results and the whole-stack variants. */
const writesBenchmarks = mode === 'all' || mode === 'stack'

console.log(`_${machineCaption()}_\n`)

let micro: { options: MicroOptions; results: SuiteResult[] } | undefined
if (mode === 'all' || mode === 'micro' || mode === 'stack') {
  const suites = await loadSuites(names)
  const options = microOptionsFromEnv()
  log(`micro: ${suites.map((s) => s.name).join(', ')} (${options.timeMs} ms per side per case)`)
  micro = { options, results: [] }
  for (const suite of suites) {
    const result = await runSuite(suite, options, log)
    micro.results.push(result)
    console.log(`## ${suite.title}\n\n${formatSuite(result)}\n`)
  }
}

let http: { options: HttpOptions; results: HttpResult[] } | undefined
if (mode === 'all' || mode === 'http' || mode === 'stack') {
  // Loaded only for this mode: a library in the process can change what others measure
  // (importing ioredis made the sanitizer's micro suite three times slower).
  const {
    ADAPTER_VARIANTS,
    describeHttpOptions,
    estimateSeconds,
    formatHeadersComparison,
    formatHttp,
    formatRateLimitComparison,
    HEADERS_VARIANTS,
    hasGroup,
    httpOptionsFromEnv,
    formatStackComparison,
    RATE_LIMIT_VARIANTS,
    runHttpBench,
    STACK_VARIANTS,
  } = await import('./http.js')
  const fromEnv = httpOptionsFromEnv()
  // `stack` runs the whole-stack variants only, whatever BENCH_VARIANTS says.
  const options = mode === 'stack' ? { ...fromEnv, variants: STACK_VARIANTS } : fromEnv
  log(`http: ${describeHttpOptions(options)} (about ${estimateSeconds(options)} s)`)
  const results = await runHttpBench(options, log)
  http = { options, results }
  const caption = `_${describeHttpOptions(options)}_`
  if (hasGroup(results, ADAPTER_VARIANTS)) {
    const table = formatHttp(results, undefined, ADAPTER_VARIANTS)
    console.log(`## Adapter overhead (HTTP)\n\n${caption}\n\n${table}\n`)
  }
  if (hasGroup(results, HEADERS_VARIANTS)) {
    const table = formatHttp(results, undefined, HEADERS_VARIANTS)
    const comparison = formatHeadersComparison(results)
    console.log(`## @rampart/headers vs helmet (HTTP)\n\n${caption}\n\n${table}\n\n${comparison}\n`)
  }
  if (hasGroup(results, RATE_LIMIT_VARIANTS)) {
    const table = formatHttp(results, undefined, RATE_LIMIT_VARIANTS)
    const comparison = formatRateLimitComparison(results)
    console.log(`## @rampart/rate-limiter (HTTP)\n\n${caption}\n\n${table}\n\n${comparison}\n`)
  }
  if (hasGroup(results, STACK_VARIANTS)) {
    const table = formatHttp(results, undefined, STACK_VARIANTS)
    const comparison = formatStackComparison(results)
    console.log(`## Whole stack (HTTP)\n\n${caption}\n\n${table}\n\n${comparison}\n`)
  }
}

// Written before heap and Redis, so a failure there cannot lose the run's main results.
if (writesBenchmarks) {
  const { hasGroup, STACK_VARIANTS } = await import('./http.js')
  if (micro === undefined || http === undefined || !hasGroup(http.results, STACK_VARIANTS)) {
    log('BENCHMARKS.md: not written (BENCH_VARIANTS left out the whole-stack variants)')
  } else {
    const { writeBenchmarksMd } = await import('./benchmarks-md.js')
    log(`wrote ${writeBenchmarksMd({ micro, http })}`)
  }
}

if (mode === 'all' || mode === 'heap') {
  // Loaded only for this mode: a library in the process can change what others measure
  // (importing ioredis made the sanitizer's micro suite three times slower).
  const { describeHeapOptions, formatHeap, heapOptionsFromEnv, runHeapBench } = await import(
    './heap.js'
  )
  const options = heapOptionsFromEnv()
  log(`heap: ${options.subjects.join(', ')}`)
  const results = await runHeapBench(options, log)
  console.log(
    `## Rate-limit memory stores: heap per key\n\n_${describeHeapOptions(options)}._\n\n${formatHeap(results)}\n`,
  )
}

if (mode === 'all' || mode === 'redis') {
  // Loaded only for this mode: a library in the process can change what others measure
  // (importing ioredis made the sanitizer's micro suite three times slower).
  const { describeRedisOptions, formatRedis, redisOptionsFromEnv, runRedisBench } = await import(
    './redis.js'
  )
  const options = redisOptionsFromEnv()
  log(`redis: ${options.url}, concurrency ${options.concurrency.join(' and ')}`)
  const run = await runRedisBench(options, log)
  if (run.ok) {
    console.log(
      `## Rate limits on Redis: checks/s\n\n_${describeRedisOptions(options, run.server)}._\n\n${formatRedis(run.results)}\n`,
    )
  } else {
    log(`redis: ${run.reason}`)
  }
}
