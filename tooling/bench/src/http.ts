/**
 * HTTP benchmarks: each framework bare, with `rampart()` and with `rampart(trivialGuard)`
 * (adapter overhead), with `rampart(securityHeaders())` against the framework's usual
 * security-headers middleware (the anchor), with `rampart(rateLimit())` against its usual
 * in-memory rate limiter, and with Rampart's whole stack against the anchors' whole stack
 * (`stack-bare`, `stack`, `stack-anchor`: a query `GET` and a JSON `POST` in turn), loaded by
 * autocannon over 127.0.0.1.
 *
 * Every app runs in its own child process (`src/http/server.ts`), so the load generator (this
 * process) and the server have separate event loops and heaps and one run's JIT and garbage
 * never reach the next. Besides requests/s and p99 latency, the child reports the CPU time it
 * spent while under load, so "server CPU per request" shows the adapter's cost even when the
 * load generator, not the server, is the bottleneck.
 * @module
 */
import { type ChildProcess, fork } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isDeepStrictEqual } from 'node:util'
import { securityHeaders } from '@rampart/headers'
import autocannon from 'autocannon'
import {
  ADAPTER_VARIANTS,
  ANCHORS,
  type Anchor,
  BODY,
  baseVariant,
  DEFAULT_VARIANTS,
  FRAMEWORKS,
  type Framework,
  GUARD_HEADER,
  HEADERS_VARIANTS,
  isStackVariant,
  RATE_LIMIT_ANCHORS,
  RATE_LIMIT_VARIANTS,
  STACK_ANCHORS,
  STACK_VARIANTS,
  VARIANT_ALIASES,
  VARIANT_NOTES,
  VARIANTS,
  type Variant,
  variantLabel,
} from './http/apps.js'
import type { ChildMessage, ParentMessage } from './http/server.js'
import { STACK_REQUESTS, USER_HEADER } from './http/stack-workload.js'
import { formatNumber, markdownTable } from './markdown.js'
import { anchorName } from './micro.js'
import { machineBusyMicros, NOISY_CORES, waitForQuiet } from './quiet.js'

export {
  ADAPTER_VARIANTS,
  FRAMEWORKS,
  type Framework,
  HEADERS_VARIANTS,
  RATE_LIMIT_VARIANTS,
  STACK_VARIANTS,
  VARIANT_NOTES,
  VARIANTS,
  type Variant,
}

/** Load and repetition settings. */
export interface HttpOptions {
  /** Measured seconds per run (`BENCH_DURATION`, default 5). */
  readonly durationSec: number
  /** Warm-up seconds per run, not measured (`BENCH_WARMUP`, default 1). */
  readonly warmupSec: number
  /** Concurrent connections (`BENCH_CONNECTIONS`, default 50). */
  readonly connections: number
  /** Requests in flight per connection (`BENCH_PIPELINING`, default 1). */
  readonly pipelining: number
  /** Times every variant is run; the median is reported (`BENCH_ROUNDS`, default 2). */
  readonly rounds: number
  /** Frameworks to run (`BENCH_FRAMEWORKS=express,hono`, default all). */
  readonly frameworks: readonly Framework[]
  /**
   * Variants to run, in table order
   * (`BENCH_VARIANTS=bare,noop,rampart,guard,headers,anchor,rate-limit,rate-limit-anchor,stack-bare,stack,stack-anchor`;
   * default all but `noop`).
   */
  readonly variants: readonly Variant[]
  /** When set, each server child runs with `--cpu-prof` into this folder (`BENCH_CPU_PROF`). */
  readonly cpuProfDir?: string
  /**
   * Before each run, wait up to this many seconds for other processes to leave the CPU
   * (`BENCH_WAIT_QUIET`, default 0: do not wait).
   */
  readonly waitQuietSec: number
}

/** Splits a comma-separated list, dropping blanks. */
function listFromEnv(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

function intFromEnv(value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new RangeError(`expected a whole number from ${min} to ${max}, received '${value}'`)
  }
  return n
}

/** Options from `BENCH_*` environment variables, bounded so no run can go on for long. */
export function httpOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): HttpOptions {
  const frameworks = listFromEnv(env.BENCH_FRAMEWORKS)
  const unknown = frameworks.filter((f) => !FRAMEWORKS.includes(f as Framework))
  if (unknown.length > 0) {
    throw new RangeError(
      `BENCH_FRAMEWORKS: unknown ${unknown.join(', ')}; known: ${FRAMEWORKS.join(', ')}`,
    )
  }
  const variants = listFromEnv(env.BENCH_VARIANTS).map((v) => VARIANT_ALIASES[v] ?? v)
  const unknownVariants = variants.filter((v) => !VARIANTS.includes(v as Variant))
  if (unknownVariants.length > 0) {
    throw new RangeError(
      `BENCH_VARIANTS: unknown ${unknownVariants.join(', ')}; known: ${[...VARIANTS, ...Object.keys(VARIANT_ALIASES)].join(', ')}`,
    )
  }
  return {
    durationSec: intFromEnv(env.BENCH_DURATION, 5, 1, 120),
    warmupSec: intFromEnv(env.BENCH_WARMUP, 1, 0, 30),
    connections: intFromEnv(env.BENCH_CONNECTIONS, 50, 1, 1000),
    pipelining: intFromEnv(env.BENCH_PIPELINING, 1, 1, 100),
    rounds: intFromEnv(env.BENCH_ROUNDS, 2, 1, 10),
    frameworks: frameworks.length > 0 ? (frameworks as Framework[]) : FRAMEWORKS,
    variants: variants.length > 0 ? VARIANTS.filter((v) => variants.includes(v)) : DEFAULT_VARIANTS,
    waitQuietSec: intFromEnv(env.BENCH_WAIT_QUIET, 0, 0, 600),
    ...(env.BENCH_CPU_PROF ? { cpuProfDir: env.BENCH_CPU_PROF } : {}),
  }
}

/** One variant's measurement (medians over rounds). */
export interface HttpResult {
  readonly framework: Framework
  readonly variant: Variant
  /** Mean requests per second over the measured seconds. */
  readonly rps: number
  /** 99th percentile latency, ms. */
  readonly p99Ms: number
  /** Server CPU time (user + system) per completed request, µs. */
  readonly cpuMicrosPerRequest: number
  /** Server event-loop utilisation while loaded, 0..1: near 1 means the server was the bottleneck. */
  readonly elu: number
  /** Requests completed in the measured span (summed over rounds). */
  readonly requests: number
  /** Socket errors (timeouts included) and non-2xx responses (summed over rounds); should be 0. */
  readonly failures: number
  /**
   * CPU other processes on the machine used while this variant was loaded, in cores (the
   * highest over rounds). Anything above {@link NOISY_CORES} makes the numbers suspect.
   */
  readonly otherCores: number
}

export { NOISY_CORES }

const serverEntry = fileURLToPath(new URL('./http/server.ts', import.meta.url))
const tsxLoader = import.meta.resolve('tsx')

const START_TIMEOUT_MS = 20_000
const REPLY_TIMEOUT_MS = 10_000

/** A forked app: its port and a request/reply channel. */
class AppProcess {
  readonly #child: ChildProcess
  readonly #exited: Promise<void>

  private constructor(
    child: ChildProcess,
    readonly port: number,
  ) {
    this.#child = child
    this.#exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve()
      else child.once('exit', () => resolve())
    })
  }

  static async start(
    framework: Framework,
    variant: Variant,
    cpuProfDir?: string,
  ): Promise<AppProcess> {
    const execArgv = ['--import', tsxLoader]
    if (cpuProfDir !== undefined) {
      // One folder per variant; the main thread's profile is the one whose name has thread id 0
      // (tsx's loader runs in a worker thread, which writes a second profile).
      const dir = join(
        cpuProfDir,
        `${framework}-${variant
          .toLowerCase()
          .replace(/[^a-z]+/g, '-')
          .replace(/-$/, '')}`,
      )
      mkdirSync(dir, { recursive: true })
      execArgv.push('--cpu-prof', `--cpu-prof-dir=${dir}`)
    }
    const child = fork(serverEntry, [framework, variant], {
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    const port = await reply(child, 'ready', START_TIMEOUT_MS).catch((error: unknown) => {
      child.kill('SIGKILL')
      throw error
    })
    return new AppProcess(child, port.port)
  }

  async request(message: ParentMessage & { type: 'mark' }): Promise<void>
  async request(
    message: ParentMessage & { type: 'report' },
  ): Promise<ChildMessage & { type: 'report' }>
  async request(message: ParentMessage): Promise<unknown> {
    const expected = message.type === 'mark' ? 'marked' : 'report'
    const pending = reply(this.#child, expected, REPLY_TIMEOUT_MS)
    this.#child.send(message)
    return pending
  }

  /** Asks the child to exit (it closes its server first), killing it if it does not. */
  async stop(): Promise<void> {
    if (this.#child.connected) this.#child.send({ type: 'stop' } satisfies ParentMessage)
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5000)
    await this.#exited
    clearTimeout(timer)
  }
}

function reply<T extends ChildMessage['type']>(
  child: ChildProcess,
  type: T,
  timeoutMs: number,
): Promise<ChildMessage & { type: T }> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer)
      child.off('message', onMessage)
      child.off('exit', onExit)
    }
    const onMessage = (message: ChildMessage) => {
      if (message.type !== type) return
      done()
      resolve(message as ChildMessage & { type: T })
    }
    const onExit = (code: number | null) => {
      done()
      reject(new Error(`app process exited (code ${code}) before sending '${type}'`))
    }
    const timer = setTimeout(() => {
      done()
      reject(new Error(`app process sent no '${type}' within ${timeoutMs} ms`))
    }, timeoutMs)
    child.on('message', onMessage)
    child.once('exit', onExit)
  })
}

/**
 * The security headers `securityHeaders()` sends by default (helmet's set), which both the
 * `rampart(securityHeaders())` and the `anchor` variants must send, so they do the same job.
 */
const SECURITY_HEADERS = securityHeaders().fixedHeaders.filter((h) => h.mode !== 'remove')

/** Header values compared modulo CSP's optional space after `;` (Hono writes `; `, helmet `;`). */
const comparable = (value: string | null) => value?.replace(/;\s+/g, ';') ?? null

/**
 * Differences between a response's headers and helmet's default set (with no `X-Powered-By`),
 * or `[]` when it sends them all.
 */
function missingSecurityHeaders(headers: Headers): string[] {
  const problems: string[] = []
  for (const { name, value } of SECURITY_HEADERS) {
    const got = headers.get(name)
    if (comparable(got) !== comparable(value)) problems.push(`${name}: ${got ?? '(absent)'}`)
  }
  const poweredBy = headers.get('x-powered-by')
  if (poweredBy !== null) problems.push(`X-Powered-By: ${poweredBy}`)
  return problems
}

/**
 * A rate-limit header of the response: `RateLimit` (the IETF draft: ours, express-rate-limit,
 * hono-rate-limiter) or `X-RateLimit-Remaining` (koa-ratelimit), or `null`.
 */
function rateLimitHeader(headers: Headers): string | null {
  return headers.get('ratelimit') ?? headers.get('x-ratelimit-remaining')
}

/** One request, its status, headers and JSON body (`undefined` when it is not JSON). */
async function probe(
  port: number,
  request: { method?: string; path?: string; headers?: object; body?: string | Buffer } = {},
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const res = await fetch(`http://127.0.0.1:${port}${request.path ?? '/'}`, {
    method: request.method ?? 'GET',
    headers: (request.headers ?? {}) as Record<string, string>,
    ...(request.body === undefined ? {} : { body: String(request.body) }),
    signal: AbortSignal.timeout(5000),
  })
  const text = await res.text()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  return { status: res.status, headers: res.headers, body }
}

/**
 * Before loading, the requests the variant will be loaded with (`GET /`, or the stack's query
 * `GET` and JSON `POST`) must each answer 200 with the body, the trivial guard's header exactly
 * when that guard runs, helmet's header set from every security-headers variant, and a
 * rate-limit header from every rate-limit variant (they counted the request). Both stacks must
 * also refuse a request that names no user (401): their role checks ran.
 */
async function verify(port: number, framework: Framework, variant: Variant): Promise<void> {
  const name = `${framework} ${variantLabel(framework, variant)}`
  const requests = isStackVariant(variant) ? STACK_REQUESTS : [{ method: 'GET', path: '/' }]
  for (const request of requests) {
    const res = await probe(port, request)
    const staged = res.headers.get(GUARD_HEADER)
    const wantHeader = variant === 'rampart(guard)'
    if (
      res.status !== 200 ||
      !isDeepStrictEqual(res.body, BODY) ||
      (staged === '1') !== wantHeader
    ) {
      throw new Error(
        `${name}, ${request.method} ${request.path}: expected 200 ${JSON.stringify(BODY)}${wantHeader ? ` with ${GUARD_HEADER}: 1` : ''}, ` +
          `got ${res.status} ${JSON.stringify(res.body)} (${GUARD_HEADER}: ${staged})`,
      )
    }
    if (['rampart(securityHeaders())', 'anchor', 'stack', 'stack-anchor'].includes(variant)) {
      const problems = missingSecurityHeaders(res.headers)
      if (problems.length > 0) {
        throw new Error(`${name}: does not send helmet's default headers: ${problems.join('; ')}`)
      }
    }
    const rateLimited = ['rampart(rateLimit())', 'rate-limit-anchor', 'stack', 'stack-anchor']
    if (rateLimited.includes(variant) && rateLimitHeader(res.headers) === null) {
      throw new Error(`${name}: sends no RateLimit or X-RateLimit-Remaining header`)
    }
  }
  if (variant === 'stack' || variant === 'stack-anchor') {
    const anonymous = STACK_REQUESTS.map((r) => ({
      ...r,
      headers: Object.fromEntries(
        Object.entries(r.headers ?? {}).filter(([key]) => key !== USER_HEADER),
      ),
    }))
    for (const request of anonymous) {
      const res = await probe(port, request)
      if (res.status !== 401) {
        throw new Error(
          `${name}, ${request.method} ${request.path} without ${USER_HEADER}: expected 401 from the role check, got ${res.status}`,
        )
      }
    }
  }
}

interface Sample {
  rps: number
  p99Ms: number
  cpuMicrosPerRequest: number
  elu: number
  requests: number
  failures: number
  otherCores: number
}

function load(
  port: number,
  variant: Variant,
  options: HttpOptions,
  durationSec: number,
): Promise<autocannon.Result> {
  return autocannon({
    url: `http://127.0.0.1:${port}/`,
    connections: options.connections,
    pipelining: options.pipelining,
    duration: durationSec,
    // The stack variants: each connection sends the query GET and the JSON POST in turn.
    ...(isStackVariant(variant) ? { requests: [...STACK_REQUESTS] } : {}),
  })
}

async function runOnce(
  framework: Framework,
  variant: Variant,
  options: HttpOptions,
): Promise<Sample> {
  const app = await AppProcess.start(framework, variant, options.cpuProfDir)
  try {
    await verify(app.port, framework, variant)
    if (options.warmupSec > 0) await load(app.port, variant, options, options.warmupSec)
    await app.request({ type: 'mark' })
    const machineMark = machineBusyMicros()
    const selfMark = process.cpuUsage()
    const wallMark = performance.now()
    const result = await load(app.port, variant, options, options.durationSec)
    const report = await app.request({ type: 'report' })
    const self = process.cpuUsage(selfMark)
    const wallMicros = (performance.now() - wallMark) * 1000
    const other = machineBusyMicros() - machineMark - self.user - self.system - report.cpuMicros
    const requests = result.requests.total
    return {
      rps: result.requests.average,
      p99Ms: result.latency.p99,
      cpuMicrosPerRequest: requests > 0 ? report.cpuMicros / requests : Number.NaN,
      elu: report.elu,
      requests,
      failures: result.errors + result.non2xx, // errors include timeouts
      otherCores: Math.max(0, other / wallMicros),
    }
  } finally {
    await app.stop()
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** Estimated wall-clock seconds for a run with these options. */
export function estimateSeconds(options: HttpOptions): number {
  return (
    options.rounds *
    options.frameworks.length *
    options.variants.length *
    (options.durationSec + options.warmupSec + 1)
  )
}

/**
 * Runs every framework × variant `rounds` times (variant order reversed every other round, so
 * slow drift favours no variant) and reports medians.
 */
export async function runHttpBench(
  options: HttpOptions = httpOptionsFromEnv(),
  log: (line: string) => void = () => {},
): Promise<HttpResult[]> {
  const samples = new Map<string, Sample[]>()
  for (let round = 0; round < options.rounds; round++) {
    for (const framework of options.frameworks) {
      const order = round % 2 === 0 ? options.variants : [...options.variants].reverse()
      for (const variant of order) {
        log(`  round ${round + 1}/${options.rounds}: ${framework} ${variant}`)
        if (options.waitQuietSec > 0) await waitForQuiet(options.waitQuietSec, log)
        const sample = await runOnce(framework, variant, options)
        if (sample.otherCores > NOISY_CORES) {
          log(
            `    other processes used ${sample.otherCores.toFixed(2)} cores during this run: numbers are suspect`,
          )
        }
        const key = `${framework}\0${variant}`
        samples.set(key, [...(samples.get(key) ?? []), sample])
      }
    }
  }
  const results: HttpResult[] = []
  for (const framework of options.frameworks) {
    for (const variant of options.variants) {
      const runs = samples.get(`${framework}\0${variant}`) ?? []
      results.push({
        framework,
        variant,
        rps: median(runs.map((s) => s.rps)),
        p99Ms: median(runs.map((s) => s.p99Ms)),
        cpuMicrosPerRequest: median(runs.map((s) => s.cpuMicrosPerRequest)),
        elu: median(runs.map((s) => s.elu)),
        requests: runs.reduce((n, s) => n + s.requests, 0),
        failures: runs.reduce((n, s) => n + s.failures, 0),
        otherCores: Math.max(...runs.map((s) => s.otherCores)),
      })
    }
  }
  return results
}

function signedPercent(ratio: number): string {
  const pct = (ratio - 1) * 100
  return `${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(1)}%`
}

/**
 * The results as a markdown table: requests/s, p99, server CPU per request and their change
 * against the bare app (`stack-bare` for the stack variants, loaded with the same requests).
 * With `framework`, only that framework's rows (and no framework column); with `variants`, only
 * those variants' rows.
 */
export function formatHttp(
  results: readonly HttpResult[],
  framework?: Framework,
  variants?: readonly Variant[],
): string {
  const rows = results.filter(
    (r) =>
      (framework === undefined || r.framework === framework) &&
      (variants === undefined || variants.includes(r.variant)),
  )
  const body = rows.map((r) => {
    const reference = baseVariant(r.variant)
    const base = results.find((b) => b.framework === r.framework && b.variant === reference)
    const isBase = r.variant === reference
    const vsBare =
      base === undefined || isBase
        ? '—'
        : `${(r.rps / base.rps).toFixed(2)}× (${signedPercent(r.rps / base.rps)})`
    const cpuDelta =
      base === undefined || isBase
        ? '—'
        : `${r.cpuMicrosPerRequest >= base.cpuMicrosPerRequest ? '+' : '−'}${formatNumber(Math.abs(r.cpuMicrosPerRequest - base.cpuMicrosPerRequest), 1)} µs (${signedPercent(r.cpuMicrosPerRequest / base.cpuMicrosPerRequest)})`
    const cells = [
      `\`${variantLabel(r.framework, r.variant)}\``,
      formatNumber(r.rps, 0),
      `${formatNumber(r.p99Ms, r.p99Ms < 10 ? 1 : 0)} ms`,
      `${formatNumber(r.cpuMicrosPerRequest, 1)} µs`,
      `${Math.round(r.elu * 100)}%`,
      vsBare,
      cpuDelta,
      r.failures === 0 ? '0' : `**${r.failures}**`,
    ]
    return framework === undefined ? [r.framework, ...cells] : cells
  })
  const headers = [
    'variant',
    'req/s',
    'p99 latency',
    'server CPU/req',
    'server busy',
    'req/s vs bare',
    'CPU/req vs bare',
    'errors',
  ]
  const align = ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'] as const
  const table =
    framework === undefined
      ? markdownTable(['framework', ...headers], body, ['left', ...align])
      : markdownTable(headers, body, [...align])
  const disturbed = rows.filter((r) => r.otherCores > NOISY_CORES)
  if (disturbed.length === 0) return table
  const which = disturbed.map(
    (r) =>
      `${r.framework} \`${variantLabel(r.framework, r.variant)}\` (${r.otherCores.toFixed(2)})`,
  )
  return `${table}\n\n**Disturbed:** other processes used CPU (in cores) during ${which.join(', ')}; rerun on a quiet machine.`
}

/** One line describing the load settings, for captions. */
export function describeHttpOptions(options: HttpOptions): string {
  const rounds = options.rounds > 1 ? `, median of ${options.rounds} rounds` : ''
  return `autocannon, ${options.connections} connections, pipelining ${options.pipelining}, ${options.warmupSec} s warm-up + ${options.durationSec} s measured per variant${rounds}, each app in its own child process on 127.0.0.1`
}

/**
 * True when the results hold some of `variants` besides the bare references: a table for that
 * group is due.
 */
export function hasGroup(results: readonly HttpResult[], variants: readonly Variant[]): boolean {
  return results.some((r) => r.variant !== baseVariant(r.variant) && variants.includes(r.variant))
}

/**
 * `rampart(securityHeaders())` against each framework's anchor middleware, side by side:
 * requests/s and their ratio (above 1: ours serves more), p99, and server CPU per request with
 * the difference in µs (negative: ours costs less). Empty when no framework ran both.
 */
export function formatHeadersComparison(results: readonly HttpResult[]): string {
  return formatComparison(results, 'rampart(securityHeaders())', 'anchor', ANCHORS)
}

/**
 * `rampart(rateLimit())` against each framework's usual rate limiter, side by side, in the
 * columns of {@link formatHeadersComparison}. Empty when no framework ran both.
 */
export function formatRateLimitComparison(results: readonly HttpResult[]): string {
  return formatComparison(results, 'rampart(rateLimit())', 'rate-limit-anchor', RATE_LIMIT_ANCHORS)
}

/**
 * Rampart's whole stack against each framework's anchor stack, side by side, in the columns of
 * {@link formatHeadersComparison}. Empty when no framework ran both.
 */
export function formatStackComparison(results: readonly HttpResult[]): string {
  return formatComparison(results, 'stack', 'stack-anchor', STACK_ANCHORS)
}

/** Our variant against an anchor variant, one row per framework that ran both. */
function formatComparison(
  results: readonly HttpResult[],
  oursVariant: Variant,
  anchorVariant: Variant,
  anchors: Readonly<Record<Framework, Anchor>>,
): string {
  const find = (framework: Framework, variant: Variant) =>
    results.find((r) => r.framework === framework && r.variant === variant)
  const rows: string[][] = []
  for (const framework of FRAMEWORKS) {
    const ours = find(framework, oursVariant)
    const anchor = find(framework, anchorVariant)
    if (ours === undefined || anchor === undefined) continue
    const cpuDelta = ours.cpuMicrosPerRequest - anchor.cpuMicrosPerRequest
    rows.push([
      framework,
      `\`${anchors[framework].label}\` (${anchors[framework].pkgs.map(anchorName).join(', ')})`,
      `${formatNumber(ours.rps, 0)} / ${formatNumber(anchor.rps, 0)}`,
      `**${(ours.rps / anchor.rps).toFixed(2)}×**`,
      `${formatNumber(ours.p99Ms, ours.p99Ms < 10 ? 1 : 0)} / ${formatNumber(anchor.p99Ms, anchor.p99Ms < 10 ? 1 : 0)} ms`,
      `${formatNumber(ours.cpuMicrosPerRequest, 1)} / ${formatNumber(anchor.cpuMicrosPerRequest, 1)} µs`,
      `${cpuDelta >= 0 ? '+' : '−'}${formatNumber(Math.abs(cpuDelta), 1)} µs (${signedPercent(ours.cpuMicrosPerRequest / anchor.cpuMicrosPerRequest)})`,
    ])
  }
  if (rows.length === 0) return ''
  return markdownTable(
    [
      'framework',
      'anchor',
      'req/s (ours / anchor)',
      'req/s ours/anchor',
      'p99 (ours / anchor)',
      'server CPU/req (ours / anchor)',
      'CPU/req ours − anchor',
    ],
    rows,
    ['left', 'left', 'right', 'right', 'right', 'right', 'right'],
  )
}
