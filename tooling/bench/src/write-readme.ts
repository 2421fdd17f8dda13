/**
 * `pnpm --filter @rampart/bench bench:readme`: runs the benchmarks and writes their tables into
 * the READMEs that quote them, between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->`.
 * Nothing outside the markers changes; a README without them gets a "## Performance" section
 * with the markers appended at its end. A README that does not exist is skipped (with a note).
 *
 * - `tooling/bench/README.md`: every table (`micro-<suite>` blocks, `http`, `http-headers`,
 *   `http-rate-limit`, `http-stack`, `heap-rate-limit`, `redis-rate-limit`);
 * - `BENCHMARKS.md` at the repository root (the whole-stack table and every micro ratio), when
 *   everything ran (`all`) with the whole-stack variants;
 * - `packages/<framework>/README.md`: that adapter's rows of the adapter-overhead table
 *   (`http-<framework>`), when adapter variants ran;
 * - `packages/headers/README.md`: the `securityHeaders()` vs anchor HTTP table (`http-headers`),
 *   when those variants ran;
 * - `packages/rate-limiter/README.md`: the `rateLimit()` vs anchor HTTP table (`http-rate-limit`),
 *   the heap-per-key table (`heap-rate-limit`) and the Redis table (`redis-rate-limit`);
 * - `packages/redis/README.md`: the Redis table (`redis-rate-limit`);
 * - a micro suite's own `readmes`: its table (`micro-<suite>`).
 *
 * Each HTTP block is written only when its variants ran, so `BENCH_VARIANTS=bare,headers,anchor`
 * regenerates the `@rampart/headers` tables and leaves the adapter tables alone. Without a
 * reachable Redis the Redis blocks are left as they are.
 *
 *   node --import tsx src/write-readme.ts              # everything
 *   node --import tsx src/write-readme.ts micro [name] # micro suites only
 *   node --import tsx src/write-readme.ts http         # HTTP harness only
 *   node --import tsx src/write-readme.ts heap         # heap per key only
 *   node --import tsx src/write-readme.ts redis        # Redis throughput only
 * @module
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Framework, HttpOptions, HttpResult } from './http.js'
import { emptyBlock, hasBlock, machineCaption, replaceBlock } from './markdown.js'
import {
  formatSuite,
  loadSuites,
  type MicroOptions,
  microOptionsFromEnv,
  runSuite,
  type SuiteResult,
} from './micro.js'

const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..')
const repoRoot = join(benchDir, '..', '..')
const benchReadme = join(benchDir, 'README.md')

const FRAMEWORK_NAMES: Readonly<Record<Framework, string>> = {
  express: 'Express',
  koa: 'Koa',
  hono: 'Hono (on `@hono/node-server`)',
}

const log = (line: string) => process.stderr.write(`${line}\n`)

/** Link from a README to the bench README, relative to the README's folder. */
function benchLink(readme: string): string {
  return relative(dirname(readme), benchReadme).split('\\').join('/')
}

const PERFORMANCE = '## Performance'

/**
 * Writes `content` into block `name` of `file`, appending `section` + markers if they are
 * missing. A `## Performance` heading in `section` is dropped when the file already has one (a
 * second block of the same package goes under the first heading).
 */
function writeBlock(file: string, name: string, content: string, section: string): void {
  if (!existsSync(file)) {
    log(`  skipped ${relative(repoRoot, file)} (${name}): no such file`)
    return
  }
  const original = readFileSync(file, 'utf8')
  let intro = section.trim()
  if (intro.startsWith(PERFORMANCE) && original.split('\n').includes(PERFORMANCE)) {
    intro = intro.slice(PERFORMANCE.length).trim()
  }
  const text = hasBlock(original, name)
    ? original
    : `${[original.trimEnd(), intro, emptyBlock(name)].filter((part) => part !== '').join('\n\n')}\n`
  const next = replaceBlock(text, name, content)
  if (next !== original) writeFileSync(file, next)
  log(`  ${next === original ? 'unchanged' : 'wrote'} ${relative(repoRoot, file)} (${name})`)
}

const [mode = 'all', ...names] = process.argv.slice(2)
if (!['all', 'micro', 'http', 'heap', 'redis'].includes(mode)) {
  log('usage: write-readme.ts [all | micro [suite...] | http | heap | redis]')
  process.exit(2)
}

const rateLimiterReadme = join(repoRoot, 'packages', 'rate-limiter', 'README.md')
const redisReadme = join(repoRoot, 'packages', 'redis', 'README.md')

let micro: { options: MicroOptions; results: SuiteResult[] } | undefined
if (mode === 'all' || mode === 'micro') {
  const suites = await loadSuites(names)
  const options = microOptionsFromEnv()
  log(`micro: ${suites.map((s) => s.name).join(', ')}`)
  micro = { options, results: [] }
  for (const suite of suites) {
    const result = await runSuite(suite, options, log)
    micro.results.push(result)
    const content = [
      `_${machineCaption()}; mitata, ${options.timeMs} ms of CPU per side per case._`,
      suite.description ?? '',
      formatSuite(result),
    ]
      .filter((part) => part !== '')
      .join('\n\n')
    const block = `micro-${suite.name}`
    writeBlock(benchReadme, block, content, `### ${suite.title}`)
    for (const readme of suite.readmes ?? []) {
      const file = join(repoRoot, readme)
      const section =
        `## Performance\n\n${suite.title}, measured side by side in one process by ` +
        `[tooling/bench](${benchLink(file)}) (ratio above 1: ours is faster).`
      writeBlock(file, block, content, section)
    }
  }
}

let http: { options: HttpOptions; results: HttpResult[] } | undefined
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
    formatStackComparison,
    RATE_LIMIT_VARIANTS,
    runHttpBench,
    STACK_VARIANTS,
  } = await import('./http.js')
  const options = httpOptionsFromEnv()
  log(`http: ${describeHttpOptions(options)} (about ${estimateSeconds(options)} s)`)
  const results = await runHttpBench(options, log)
  http = { options, results }
  const caption = `_${machineCaption()}; ${describeHttpOptions(options)}._`
  if (hasGroup(results, STACK_VARIANTS)) {
    const content = [
      caption,
      formatHttp(results, undefined, STACK_VARIANTS),
      formatStackComparison(results),
    ]
      .filter((part) => part !== '')
      .join('\n\n')
    writeBlock(benchReadme, 'http-stack', content, '### Whole stack (HTTP)')
  }
  if (hasGroup(results, HEADERS_VARIANTS)) {
    const content = [
      caption,
      formatHttp(results, undefined, HEADERS_VARIANTS),
      formatHeadersComparison(results),
    ]
      .filter((part) => part !== '')
      .join('\n\n')
    writeBlock(benchReadme, 'http-headers', content, '### @rampart/headers vs helmet (HTTP)')
    const file = join(repoRoot, 'packages', 'headers', 'README.md')
    writeBlock(
      file,
      'http-headers',
      content,
      '## Performance\n\nThe same app with `rampart(securityHeaders())` and with helmet / koa-helmet / ' +
        `Hono \`secureHeaders()\` sending the same headers: [tooling/bench](${benchLink(file)}).`,
    )
  }
  if (hasGroup(results, RATE_LIMIT_VARIANTS)) {
    const content = [
      caption,
      formatHttp(results, undefined, RATE_LIMIT_VARIANTS),
      formatRateLimitComparison(results),
    ]
      .filter((part) => part !== '')
      .join('\n\n')
    writeBlock(benchReadme, 'http-rate-limit', content, '### @rampart/rate-limiter (HTTP)')
    writeBlock(
      rateLimiterReadme,
      'http-rate-limit',
      content,
      "## Performance\n\nThe same app with `rampart(rateLimit({ limit: 1_000_000_000, window: '1m' }))` and with " +
        'express-rate-limit / koa-ratelimit / hono-rate-limiter (memory, same limit and window, nothing refused): ' +
        `the guard's cost per request. Method and how to rerun: [tooling/bench](${benchLink(rateLimiterReadme)}).`,
    )
  }
  if (hasGroup(results, ADAPTER_VARIANTS)) {
    writeBlock(
      benchReadme,
      'http',
      `${caption}\n\n${formatHttp(results, undefined, ADAPTER_VARIANTS)}`,
      '### Adapter overhead (HTTP)',
    )
    for (const framework of options.frameworks) {
      const file = join(repoRoot, 'packages', framework, 'README.md')
      const section =
        `## Performance\n\nWhat \`rampart()\` costs per request in ${FRAMEWORK_NAMES[framework]}: the same ` +
        'app bare, with `rampart()` and no guard, and with one guard that stages a response header. ' +
        `Method, caveats and how to rerun: [tooling/bench](${benchLink(file)}).`
      writeBlock(
        file,
        `http-${framework}`,
        `${caption}\n\n${formatHttp(results, framework, ADAPTER_VARIANTS)}`,
        section,
      )
    }
  }
}

if (mode === 'all' && micro !== undefined && http !== undefined) {
  const { hasGroup, STACK_VARIANTS } = await import('./http.js')
  if (hasGroup(http.results, STACK_VARIANTS)) {
    const { writeBenchmarksMd } = await import('./benchmarks-md.js')
    log(`  wrote ${relative(repoRoot, writeBenchmarksMd({ micro, http }))}`)
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
  const content = `_${machineCaption()}; ${describeHeapOptions(options)}._\n\n${formatHeap(results)}`
  writeBlock(benchReadme, 'heap-rate-limit', content, '### Rate-limit memory stores: heap per key')
  writeBlock(
    rateLimiterReadme,
    'heap-rate-limit',
    content,
    '## Performance\n\nMemory per client key of the default (memory) store against express-rate-limit and ' +
      `rate-limiter-flexible (below 1: fewer bytes): [tooling/bench](${benchLink(rateLimiterReadme)}).`,
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
  if (!run.ok) {
    log(`redis: ${run.reason} The Redis blocks were left as they are.`)
  } else {
    const content = `_${machineCaption()}; ${describeRedisOptions(options, run.server)}._\n\n${formatRedis(run.results)}`
    writeBlock(benchReadme, 'redis-rate-limit', content, '### Rate limits on Redis: checks/s')
    for (const file of [rateLimiterReadme, redisReadme]) {
      writeBlock(
        file,
        'redis-rate-limit',
        content,
        '## Performance\n\nRate-limit checks per second on Redis, `rateLimit({ store: redisStore({ client }) })` ' +
          'against rate-limit-redis and rate-limiter-flexible on the same server (above 1: ours is faster): ' +
          `[tooling/bench](${benchLink(file)}).`,
      )
    }
  }
}
