/**
 * Other processes' CPU use: both harnesses wait for a quiet machine before measuring
 * (`BENCH_WAIT_QUIET`) and report runs other processes disturbed.
 * @module
 */
import { cpus } from 'node:os'

/** Other processes' CPU (in cores) above which a run is reported as disturbed. */
export const NOISY_CORES = 0.15

/** CPU time all cores spent busy since boot, µs (from the kernel's per-CPU tick counters). */
export function machineBusyMicros(): number {
  let ms = 0
  for (const { times } of cpus()) ms += times.user + times.nice + times.sys + times.irq
  return ms * 1000
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Waits (at most `maxSec`) until other processes use less than {@link NOISY_CORES} over a
 * half-second window. Returns the CPU they used in the last window, in cores.
 */
export async function waitForQuiet(maxSec: number, log: (line: string) => void): Promise<number> {
  const deadline = performance.now() + maxSec * 1000
  let logged = false
  for (;;) {
    const machine = machineBusyMicros()
    const self = process.cpuUsage()
    const wall = performance.now()
    await sleep(500)
    const own = process.cpuUsage(self)
    const busy = machineBusyMicros() - machine - own.user - own.system
    const cores = Math.max(0, busy / ((performance.now() - wall) * 1000))
    if (cores <= NOISY_CORES || performance.now() >= deadline) return cores
    if (!logged) log(`    waiting for other processes to go quiet (${cores.toFixed(2)} cores busy)`)
    logged = true
  }
}

/** Runs `fn` and measures the CPU other processes used meanwhile, in cores (this process's excluded). */
export async function measureOthers<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; otherCores: number }> {
  const machineMark = machineBusyMicros()
  const selfMark = process.cpuUsage()
  const wallMark = performance.now()
  const result = await fn()
  const self = process.cpuUsage(selfMark)
  const wallMicros = (performance.now() - wallMark) * 1000
  const other = machineBusyMicros() - machineMark - self.user - self.system
  return { result, otherCores: wallMicros > 0 ? Math.max(0, other / wallMicros) : 0 }
}
