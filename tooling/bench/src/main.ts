/**
 * `pnpm bench` for this package: runs the micro suites and the HTTP harness and prints their
 * markdown tables. Progress goes to stderr, tables to stdout.
 *
 *   node --import tsx src/main.ts              # everything
 *   node --import tsx src/main.ts micro [name] # micro suites (all, or the named ones)
 *   node --import tsx src/main.ts http         # HTTP harness (BENCH_* settings, see README)
 * @module
 */
import {
  ADAPTER_VARIANTS,
  describeHttpOptions,
  estimateSeconds,
  formatHeadersComparison,
  formatHttp,
  HEADERS_VARIANTS,
  hasGroup,
  httpOptionsFromEnv,
  runHttpBench,
} from './http.js'
import { machineCaption } from './markdown.js'
import { formatSuite, loadSuites, microOptionsFromEnv, runSuite } from './micro.js'

const log = (line: string) => process.stderr.write(`${line}\n`)
const [mode = 'all', ...names] = process.argv.slice(2)

if (!['all', 'micro', 'http'].includes(mode)) {
  log(`usage: main.ts [all | micro [suite...] | http]`)
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
}
