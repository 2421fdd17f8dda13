/**
 * Heap per key: how many bytes each in-memory rate-limit store holds per client key, ours
 * against express-rate-limit's `MemoryStore` and rate-limiter-flexible's `RateLimiterMemory`,
 * with the key strings alone as the reference.
 *
 * Each subject runs in its own child process (`src/heap/child.ts`), so no store's garbage,
 * loaded code or heap growth reaches another's measurement. The child adds distinct IPv4-like
 * keys through the store's normal API (one check per key, as requests would) and reports the
 * growth of `heapUsed + arrayBuffers` over a baseline taken after building the empty store.
 * @module
 */
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { HeapMessage } from './heap/child.js'
import { HEAP_ANCHORS, HEAP_SUBJECTS, type HeapSubjectName } from './heap/subjects.js'
import { formatNumber, markdownTable } from './markdown.js'

export { HEAP_SUBJECTS, type HeapSubjectName }

/** What to fill and how far. */
export interface HeapOptions {
  /** Distinct keys added to each subject (`BENCH_HEAP_KEYS`, default 500,000). */
  readonly keys: number
  /** Subjects to measure, in table order (`BENCH_HEAP_STORES`, default all). */
  readonly subjects: readonly HeapSubjectName[]
}

/**
 * Most keys: below 655,360 every key has at most 12 characters and V8 stores it flat, so all
 * subjects pay for the same kind of string.
 */
const MAX_KEYS = 600_000

/** Options from `BENCH_HEAP_KEYS` and `BENCH_HEAP_STORES`. */
export function heapOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): HeapOptions {
  const raw = env.BENCH_HEAP_KEYS
  const keys = raw === undefined || raw === '' ? 500_000 : Number(raw)
  if (!Number.isInteger(keys) || keys < 1000 || keys > MAX_KEYS) {
    throw new RangeError(
      `BENCH_HEAP_KEYS: expected a whole number from 1000 to ${MAX_KEYS}, received '${raw}'`,
    )
  }
  const all = Object.keys(HEAP_SUBJECTS) as HeapSubjectName[]
  const wanted = (env.BENCH_HEAP_STORES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  const unknown = wanted.filter((s) => !all.includes(s as HeapSubjectName))
  if (unknown.length > 0) {
    throw new RangeError(
      `BENCH_HEAP_STORES: unknown ${unknown.join(', ')}; known: ${all.join(', ')}`,
    )
  }
  return { keys, subjects: wanted.length > 0 ? all.filter((s) => wanted.includes(s)) : all }
}

/** One subject's measurement. */
export interface HeapResult {
  readonly subject: HeapSubjectName
  readonly keys: number
  /** Growth of `heapUsed + arrayBuffers` ÷ keys, bytes. */
  readonly bytesPerKey: number
  /** The `arrayBuffers` part of it (typed-array columns), bytes. */
  readonly arrayBuffersPerKey: number
}

const childEntry = fileURLToPath(new URL('./heap/child.ts', import.meta.url))
const tsxLoader = import.meta.resolve('tsx')
/** A child gets this long to fill its store (500,000 keys take a few seconds). */
const CHILD_TIMEOUT_MS = 180_000

function runChild(subject: HeapSubjectName, keys: number): Promise<HeapMessage> {
  return new Promise((resolve, reject) => {
    const child = fork(childEntry, [subject, String(keys)], {
      // No bytecode flushing: the forced GCs would otherwise age out the bytecode of code that
      // ran only before the baseline (module loading) and count it as memory the store saved.
      execArgv: ['--expose-gc', '--no-flush-bytecode', '--import', tsxLoader],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    let message: HeapMessage | undefined
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS)
    child.on('message', (m: HeapMessage) => {
      if (m.type === 'heap') message = m
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      if (message !== undefined) resolve(message)
      else
        reject(new Error(`heap child for ${subject} exited (${signal ?? code}) without a result`))
    })
  })
}

/** Measures every subject in turn, one child process each. */
export async function runHeapBench(
  options: HeapOptions = heapOptionsFromEnv(),
  log: (line: string) => void = () => {},
): Promise<HeapResult[]> {
  const results: HeapResult[] = []
  for (const subject of options.subjects) {
    log(`  heap: ${subject}, ${options.keys.toLocaleString('en-US')} keys`)
    const m = await runChild(subject, options.keys)
    if (m.held !== m.keys) {
      throw new Error(
        `heap: ${subject} holds ${m.held} keys after ${m.keys} distinct ones were added: it evicted or expired some, so bytes per key would be wrong`,
      )
    }
    results.push({
      subject,
      keys: m.keys,
      bytesPerKey: (m.heapUsed + m.arrayBuffers) / m.keys,
      arrayBuffersPerKey: m.arrayBuffers / m.keys,
    })
  }
  return results
}

/** One line describing the run, for captions. */
export function describeHeapOptions(options: HeapOptions): string {
  return `${options.keys.toLocaleString('en-US')} distinct IPv4-like keys per store, one check each, each store in its own child process; \`heapUsed + arrayBuffers\` after forced GC, minus the same before the first key`
}

const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`

/**
 * The results as a markdown table: bytes per key, the part in typed arrays, the part beyond the
 * key string, and each row against each anchor (below 1: fewer bytes than the anchor). A line
 * under it compares ours with the target (at most half of each anchor's bytes).
 */
export function formatHeap(results: readonly HeapResult[]): string {
  const by = new Map(results.map((r) => [r.subject, r]))
  const reference = by.get('keys')
  const anchors = HEAP_ANCHORS.filter((a) => by.has(a))
  const rows = results.map((r) => {
    const ourRow = r.subject === 'ours' || r.subject === 'ours-sliding'
    const cells = [
      HEAP_SUBJECTS[r.subject].label,
      formatNumber(r.bytesPerKey, 1),
      formatNumber(r.arrayBuffersPerKey, 1),
      reference === undefined || r.subject === 'keys'
        ? '—'
        : formatNumber(r.bytesPerKey - reference.bytesPerKey, 1),
      ...anchors.map((a) => {
        const anchor = by.get(a) as HeapResult
        const text = ratio(r.bytesPerKey, anchor.bytesPerKey)
        return ourRow ? `**${text}**` : text
      }),
    ]
    return cells
  })
  const table = markdownTable(
    [
      'store',
      'bytes per key',
      'of which typed arrays',
      'beyond the key string',
      ...anchors.map((a) => `÷ ${a}`),
    ],
    rows,
    ['left', 'right', 'right', 'right', ...anchors.map(() => 'right' as const)],
  )
  const ours = by.get('ours')
  if (ours === undefined || anchors.length === 0) return table
  const against = anchors
    .map((a) => `${ratio(ours.bytesPerKey, (by.get(a) as HeapResult).bytesPerKey)} ${a}'s`)
    .join(' and ')
  return `${table}\n\n**Ours (fixed window): ${formatNumber(ours.bytesPerKey, 1)} bytes per key, ${against}** (target: at most 0.50× each).`
}
