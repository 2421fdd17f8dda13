/**
 * Micro benchmarks: a Rampart function and its anchor library's equivalent, measured one after
 * the other in the same process on the same inputs, reported as a ratio.
 *
 * A suite lives in `src/micro/<name>.bench.ts` and default-exports {@link defineSuite}`({...})`;
 * the runner finds it by file name, so adding a suite is adding one file.
 * @module
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { isDeepStrictEqual } from 'node:util'
import { do_not_optimize, measure } from 'mitata'
import { formatNumber, markdownTable } from './markdown.js'
import { measureOthers, NOISY_CORES, waitForQuiet } from './quiet.js'

/** One comparison: the same inputs through ours and through the anchor. */
export interface MicroCase<T = unknown> {
  /** Short label for the table row, e.g. `'normalizeIp: IPv4-mapped IPv6'`. */
  readonly name: string
  /**
   * Inputs fed to both sides; one measured iteration runs the function over all of them, and
   * times are reported per input. Several distinct inputs keep the JIT from folding a constant.
   */
  readonly inputs: readonly T[]
  /** The Rampart side. */
  readonly ours: (input: T) => unknown
  /** The anchor library doing the same job. */
  readonly anchor: (input: T) => unknown
  /**
   * Before timing, both sides run once per input and must return deep-equal results (default
   * `true`). Set `false` only when the outputs legitimately differ in form; say why in `note`.
   */
  readonly sameResult?: boolean
  /**
   * What the equality check compares instead of the raw results (applied to both sides), e.g. a
   * response's header map with per-request random values (nonces) blanked out. Only the check
   * uses it; the timed calls return their results unchanged.
   */
  readonly compare?: (result: unknown) => unknown
  /** A footnote for the table (what the anchor side does, why results differ, ...). */
  readonly note?: string
  /**
   * Both sides return promises (rate-limit stores and limiters have promise APIs even in
   * memory). Each call is then awaited before the next, inside the timed iteration, as a
   * middleware awaits its limiter: whatever a side does after an `await` of its own (ours: the
   * limiter builds its result once the store's promise settles) is measured with the rest, and
   * the microtasks settling queues cannot pile up over a whole measurement (a synchronous mitata
   * loop never yields to them). A rejection is caught and becomes a {@link Rejection}, which is
   * also what the pre-timing check compares.
   */
  readonly promises?: boolean
}

/** A side's rejected promise, as a `promises` case sees it (the reason is kept for the check). */
export class Rejection {
  constructor(readonly reason: unknown) {}
}

/** Awaits one call of a `promises` case: its value, or its rejection as a {@link Rejection}. */
async function settle(fn: (input: unknown) => unknown, input: unknown): Promise<unknown> {
  try {
    return await fn(input)
  } catch (reason) {
    return new Rejection(reason)
  }
}

/**
 * One pass over the inputs, each call awaited before the next (a `promises` case): the await and
 * the `try` inline, so the loop adds one microtask turn per call and nothing else.
 */
async function settleAll(
  inputs: readonly unknown[],
  fn: (input: unknown) => unknown,
): Promise<void> {
  for (let i = 0; i < inputs.length; i++) {
    try {
      do_not_optimize(await fn(inputs[i]))
    } catch (reason) {
      do_not_optimize(reason)
    }
  }
}

/** A named group of cases against one anchor. */
export interface MicroSuite {
  /** File-name stem (`net` for `net.bench.ts`): what `bench:micro <name>` selects. */
  readonly name: string
  /** Heading, e.g. `'@rampart/core net vs ipaddr.js'`. */
  readonly title: string
  /** The Rampart package measured, e.g. `'@rampart/core'`. */
  readonly ours: string
  /** The anchor, with the version that was measured, e.g. `'ipaddr.js 2.5.0'`. */
  readonly anchor: string
  /** One or two sentences on what is compared, printed under the heading. */
  readonly description?: string
  /**
   * READMEs (paths from the repository root, e.g. `'packages/headers/README.md'`) that quote
   * this suite's table: `bench:readme` writes it between `<!-- bench:micro-NAME:start -->` and
   * `<!-- bench:micro-NAME:end -->`, appending a "## Performance" section when they are missing.
   * `tooling/bench/README.md` always gets every table.
   */
  readonly readmes?: readonly string[]
  readonly cases: readonly MicroCase<never>[]
  /**
   * Markdown printed under the table, computed from the results: for figures the ours/anchor
   * ratio does not show, e.g. what one of our options costs over another (a delta between two of
   * our cases). Return `undefined` to print nothing.
   */
  readonly summary?: (cases: readonly CaseResult[]) => string | undefined
}

/**
 * Identity helper that types a suite literal (each case's `inputs` and functions agree).
 * @example export default defineSuite({ name: 'headers', title: '...', ours: '@rampart/headers', anchor: anchorName('helmet'), cases: [...] })
 */
export function defineSuite<const S extends MicroSuite>(suite: S): S {
  return suite
}

/** Types one case so `inputs` and both functions agree; use inside `cases: [...]`. */
export function microCase<T>(c: MicroCase<T>): MicroCase<never> {
  return c as unknown as MicroCase<never>
}

const require = createRequire(import.meta.url)

/**
 * `'<package> <version>'` of an installed anchor, for the suite's `anchor` field. Works for
 * packages whose `exports` hide `package.json` (helmet): the manifest is then found by walking
 * up from the package's entry point.
 */
export function anchorName(pkg: string): string {
  return `${pkg} ${readManifest(pkg).version}`
}

function readManifest(pkg: string): { version: string } {
  try {
    return require(`${pkg}/package.json`) as { version: string }
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw error
  }
  let dir = dirname(require.resolve(pkg))
  for (let depth = 0; depth < 8; depth++) {
    const file = join(dir, 'package.json')
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string }
      if (manifest.name === pkg) return manifest
    }
    dir = dirname(dir)
  }
  throw new Error(`cannot find the package.json of ${pkg}`)
}

/** How long and how often each side is measured. */
export interface MicroOptions {
  /** CPU time each side is measured for, in ms (mitata's `min_cpu_time`). */
  readonly timeMs: number
  /** Upper bound on samples per side (each sample is a batch of up to 4096 iterations). */
  readonly maxSamples: number
  /**
   * Before each side, wait up to this many seconds for other processes to leave the CPU
   * (`BENCH_WAIT_QUIET`, default 0: do not wait).
   */
  readonly waitQuietSec: number
  /**
   * Measurements per side, taken in ABBA order (ours, anchor, anchor, ours, ...) so neither side
   * always runs first, on a colder JIT or with the other's garbage still to collect; each side
   * reports its fastest round (`BENCH_MICRO_ROUNDS`, default 2).
   */
  readonly rounds: number
}

/**
 * Defaults; `BENCH_MICRO_TIME` (ms) overrides the time, `BENCH_WAIT_QUIET` (s) the wait,
 * `BENCH_MICRO_ROUNDS` the rounds.
 */
export function microOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): MicroOptions {
  const time = Number(env.BENCH_MICRO_TIME ?? 500)
  const wait = Number(env.BENCH_WAIT_QUIET ?? 0)
  const rounds = Number(env.BENCH_MICRO_ROUNDS ?? 2)
  return {
    rounds: Number.isInteger(rounds) && rounds > 0 ? Math.min(rounds, 20) : 2,
    timeMs: Number.isFinite(time) && time > 0 ? Math.min(time, 10_000) : 500,
    maxSamples: 100_000,
    waitQuietSec: Number.isFinite(wait) && wait > 0 ? Math.min(wait, 600) : 0,
  }
}

/** Per-input timings of one side, in nanoseconds. */
export interface SideResult {
  readonly avgNs: number
  readonly p99Ns: number
  readonly opsPerSec: number
  /** CPU other processes used while this side was measured, in cores. */
  readonly otherCores: number
}

export interface CaseResult {
  readonly name: string
  readonly inputs: number
  readonly ours: SideResult
  readonly anchor: SideResult
  /** ours ops/s ÷ anchor ops/s: above 1 means ours is faster. */
  readonly ratio: number
  readonly note?: string
}

export interface SuiteResult {
  readonly suite: Pick<
    MicroSuite,
    'name' | 'title' | 'ours' | 'anchor' | 'description' | 'readmes' | 'summary'
  >
  readonly cases: readonly CaseResult[]
}

async function checkSameResults(suite: MicroSuite, c: MicroCase<unknown>): Promise<void> {
  const project = c.compare ?? ((result: unknown) => result)
  const run = async (fn: (input: unknown) => unknown, input: unknown) =>
    c.promises === true ? settle(fn, input) : fn(input)
  for (const input of c.inputs) {
    const ours = project(await run(c.ours, input))
    const anchor = project(await run(c.anchor, input))
    if (c.sameResult !== false && !isDeepStrictEqual(ours, anchor)) {
      throw new Error(
        `${suite.name} / ${c.name}: for input ${JSON.stringify(input)} ours returned ${JSON.stringify(ours)} ` +
          `but the anchor returned ${JSON.stringify(anchor)}; the comparison would not be like for like`,
      )
    }
  }
}

async function measureSide(
  c: MicroCase<unknown>,
  fn: (input: unknown) => unknown,
  options: MicroOptions,
  log: (line: string) => void,
): Promise<SideResult> {
  const inputs = c.inputs
  const n = inputs.length
  if (options.waitQuietSec > 0) await waitForQuiet(options.waitQuietSec, log)
  const limits = { min_cpu_time: options.timeMs * 1e6, max_samples: options.maxSamples }
  const { result: stats, otherCores } = await measureOthers(() =>
    c.promises === true
      ? // Returns a promise, so mitata awaits each iteration inside the timed span.
        measure(() => settleAll(inputs, fn), limits)
      : measure(() => {
          for (let i = 0; i < n; i++) do_not_optimize(fn(inputs[i]))
        }, limits),
  )
  const avgNs = stats.avg / n
  return { avgNs, p99Ns: stats.p99 / n, opsPerSec: 1e9 / avgNs, otherCores }
}

/**
 * Runs both sides untimed first (a tenth of the measuring time each, at least 50 ms), so the case
 * that happens to come first in a suite does not pay for the JIT's first tiers alone.
 */
async function warmUp(c: MicroCase<unknown>, options: MicroOptions): Promise<void> {
  const budgetMs = Math.max(50, options.timeMs / 10)
  for (const fn of [c.ours, c.anchor, c.ours, c.anchor]) {
    const until = performance.now() + budgetMs / 2
    while (performance.now() < until) {
      if (c.promises === true) await settleAll(c.inputs, fn)
      else for (let i = 0; i < c.inputs.length; i++) do_not_optimize(fn(c.inputs[i]))
    }
  }
}

/** The round with the lowest mean time; `otherCores` is the worst seen across rounds. */
function fastest(rounds: readonly SideResult[]): SideResult {
  const best = rounds.reduce((a, b) => (b.avgNs < a.avgNs ? b : a))
  return { ...best, otherCores: Math.max(...rounds.map((r) => r.otherCores)) }
}

/**
 * Runs every case of a suite: results checked for equality first, then both sides measured in
 * alternating rounds.
 */
export async function runSuite(
  suite: MicroSuite,
  options: MicroOptions = microOptionsFromEnv(),
  log: (line: string) => void = () => {},
): Promise<SuiteResult> {
  const cases: CaseResult[] = []
  for (const c of suite.cases as unknown as readonly MicroCase<unknown>[]) {
    if (c.inputs.length === 0) throw new Error(`${suite.name} / ${c.name}: no inputs`)
    await checkSameResults(suite, c)
    log(`  ${suite.name} / ${c.name}`)
    await warmUp(c, options)
    const ourRounds: SideResult[] = []
    const anchorRounds: SideResult[] = []
    for (let round = 0; round < options.rounds; round++) {
      const oursFirst = round % 2 === 0
      for (const side of oursFirst ? ['ours', 'anchor'] : ['anchor', 'ours']) {
        const fn = side === 'ours' ? c.ours : c.anchor
        const into = side === 'ours' ? ourRounds : anchorRounds
        into.push(await measureSide(c, fn, options, log))
      }
    }
    const ours = fastest(ourRounds)
    const anchor = fastest(anchorRounds)
    const otherCores = Math.max(ours.otherCores, anchor.otherCores)
    if (otherCores > NOISY_CORES) {
      log(
        `    other processes used ${otherCores.toFixed(2)} cores during this case: numbers are suspect`,
      )
    }
    cases.push({
      name: c.name,
      inputs: c.inputs.length,
      ours,
      anchor,
      ratio: ours.opsPerSec / anchor.opsPerSec,
      ...(c.note === undefined ? {} : { note: c.note }),
    })
  }
  const { name, title, ours, anchor, description, readmes, summary } = suite
  return { suite: { name, title, ours, anchor, description, readmes, summary }, cases }
}

/** The suite's result as a markdown table (with footnotes for cases that have a note). */
export function formatSuite(result: SuiteResult): string {
  const notes: string[] = []
  const rows = result.cases.map((c) => {
    let label = c.name
    if (c.note !== undefined) {
      notes.push(c.note)
      label += ` [${notes.length}]`
    }
    return [
      label,
      formatNumber(c.ours.opsPerSec, 0),
      formatNumber(c.anchor.opsPerSec, 0),
      `**${c.ratio.toFixed(2)}×**`,
      `${formatNumber(c.ours.p99Ns, 1)} / ${formatNumber(c.anchor.p99Ns, 1)}`,
    ]
  })
  const table = markdownTable(
    [
      'case',
      `${result.suite.ours} ops/s`,
      `${result.suite.anchor} ops/s`,
      'ratio ours/anchor',
      'p99 ns/op (ours / anchor)',
    ],
    rows,
    ['left', 'right', 'right', 'right', 'right'],
  )
  const footnotes = notes.map((n, i) => `[${i + 1}] ${n}`).join('  \n')
  const summary = result.suite.summary?.(result.cases)
  const disturbed = result.cases
    .map((c) => ({ name: c.name, cores: Math.max(c.ours.otherCores, c.anchor.otherCores) }))
    .filter((c) => c.cores > NOISY_CORES)
  const warning =
    disturbed.length === 0
      ? ''
      : `**Disturbed:** other processes used CPU (in cores) during ${disturbed.map((c) => `${c.name} (${c.cores.toFixed(2)})`).join(', ')}; rerun on a quiet machine.`
  return [table, footnotes, summary ?? '', warning].filter((part) => part !== '').join('\n\n')
}

const suitesDir = join(dirname(fileURLToPath(import.meta.url)), 'micro')
const SUFFIX = '.bench.ts'

/** Names of the suites in `src/micro`, sorted. */
export function listSuites(): string[] {
  return readdirSync(suitesDir)
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .sort()
}

/** Loads the named suites (all when `names` is empty); an unknown name throws, listing the known ones. */
export async function loadSuites(names: readonly string[] = []): Promise<MicroSuite[]> {
  const known = listSuites()
  const unknown = names.filter((n) => !known.includes(n))
  if (unknown.length > 0) {
    throw new Error(`unknown micro suite(s): ${unknown.join(', ')}; known: ${known.join(', ')}`)
  }
  const suites: MicroSuite[] = []
  for (const name of names.length > 0 ? names : known) {
    const mod = (await import(pathToFileURL(join(suitesDir, name + SUFFIX)).href)) as {
      default?: MicroSuite
    }
    if (mod.default === undefined || mod.default.name !== name) {
      throw new Error(
        `src/micro/${name}${SUFFIX} must default-export defineSuite({ name: '${name}', ... })`,
      )
    }
    suites.push(mod.default)
  }
  return suites
}
