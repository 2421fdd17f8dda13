/**
 * `pnpm bench` for this package: runs the micro suites, the HTTP harness, the heap-per-key
 * measurement and the Redis throughput run, and prints their markdown tables. Progress goes to
 * stderr, tables to stdout.
 *
 *   node --import tsx src/main.ts              # everything
 *   node --import tsx src/main.ts micro [name] # micro suites (all, or the named ones)
 *   node --import tsx src/main.ts http         # HTTP harness (BENCH_* settings, see README)
 *   node --import tsx src/main.ts heap         # memory stores' bytes per key
 *   node --import tsx src/main.ts redis        # Redis checks/s (REDIS_URL; skipped without one)
 * @module
 */
import { machineCaption } from './markdown.js'
import { formatSuite, loadSuites, microOptionsFromEnv, runSuite } from './micro.js'

const log = (line: string) => process.stderr.write(`${line}\n`)
const [mode = 'all', ...names] = process.argv.slice(2)

if (!['all', 'micro', 'http', 'heap', 'redis'].includes(mode)) {
  log(`usage: main.ts [all | micro [suite...] | http | heap | redis]`)
  process.exit(2)
}

console.log(`_${machineCaption()}_\n`)

if (mode === 'all' || mode === 'micro') {
  const suites = await loadSuites(names)
  const options = microOptionsFromEnv()
  log(`micro: ${suites.map((s) => s.name).join(', ')} (${options.timeMs} ms per side per case)`)
  for (const suite of suites) {
    const result = await runSuite(suite, options, log)
    console.log(`## ${suite.title}\n\n${formatSuite(result)}\n`)
  }
}

if (mode === 'all' || mode === 'http') {
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
    RATE_LIMIT_VARIANTS,
    runHttpBench,
  } = await import('./http.js')
  const options = httpOptionsFromEnv()
  log(`http: ${describeHttpOptions(options)} (about ${estimateSeconds(options)} s)`)
  const results = await runHttpBench(options, log)
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
