/**
 * Child-process entry of the heap benchmark (`argv: <subject> <keys>`), run with
 * `node --expose-gc --import tsx`: builds one subject, takes a baseline, adds the keys through
 * its normal API, measures again, and sends `{ type: 'heap', ... }` to the parent over IPC.
 *
 * Memory is `heapUsed + arrayBuffers`: typed arrays (our store's columns) keep their contents
 * outside the V8 heap, so `heapUsed` alone would miss them. Before each reading: `gc()` twice
 * (the second collects what the first's finalisers released), a turn of the event loop (timers
 * and microtasks settle), `gc()` again.
 * @module
 */
import { ipv4Key } from '../rate-limit/keys.js'
import { HEAP_SUBJECTS, type HeapSubjectName } from './subjects.js'

export type HeapMessage = {
  type: 'heap'
  /** Keys added. */
  keys: number
  /** Keys the subject held at the end (equal to `keys` unless something was evicted). */
  held: number
  /** Growth of `heapUsed`, bytes. */
  heapUsed: number
  /** Growth of `arrayBuffers`, bytes. */
  arrayBuffers: number
}

/** Checks issued before awaiting them: bounds the garbage of pending promises. */
const BATCH = 1000

const [name, count] = process.argv.slice(2) as [HeapSubjectName, string]
const keys = Number(count)
const gc = globalThis.gc
if (!(name in HEAP_SUBJECTS) || !Number.isInteger(keys) || keys < 1 || process.send === undefined) {
  console.error(
    `usage (forked with IPC): child.ts <${Object.keys(HEAP_SUBJECTS).join('|')}> <keys>`,
  )
  process.exit(2)
}
if (gc === undefined) {
  console.error('child.ts needs node --expose-gc')
  process.exit(2)
}

async function settled(): Promise<NodeJS.MemoryUsage> {
  gc?.()
  gc?.()
  await new Promise((resolve) => setImmediate(resolve))
  gc?.()
  return process.memoryUsage()
}

const target = HEAP_SUBJECTS[name].create(keys)
const before = await settled()
for (let from = 0; from < keys; from += BATCH) {
  const pending: unknown[] = []
  for (let i = from; i < Math.min(from + BATCH, keys); i++) pending.push(target.add(ipv4Key(i), i))
  await Promise.all(pending)
}
const after = await settled()
// Read after the measurement: the subject must stay reachable until then.
const held = target.keys()

const message: HeapMessage = {
  type: 'heap',
  keys,
  held,
  heapUsed: after.heapUsed - before.heapUsed,
  arrayBuffers: after.arrayBuffers - before.arrayBuffers,
}
// Exit once sent: rate-limiter-flexible's per-key timers are unref'd, but do not rely on it.
process.send?.(message, () => process.exit(0))
