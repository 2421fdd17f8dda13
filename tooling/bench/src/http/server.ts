/**
 * Child-process entry of the HTTP harness: starts one app (`argv: <framework> <variant>`) on
 * 127.0.0.1 and talks to the parent over IPC:
 * - sends `{ type: 'ready', port }` once listening;
 * - on `{ type: 'mark' }` starts counting its CPU time and event-loop utilisation and replies
 *   `{ type: 'marked' }`;
 * - on `{ type: 'report' }` replies `{ type: 'report', cpuMicros, elu }` for the span since the mark;
 * - on `{ type: 'stop' }` or when the parent goes away, closes and exits (so `--cpu-prof`
 *   profiles get written).
 * @module
 */
import { performance } from 'node:perf_hooks'
import { FRAMEWORKS, type Framework, portOf, startApp, VARIANTS, type Variant } from './apps.js'

export type ParentMessage = { type: 'mark' } | { type: 'report' } | { type: 'stop' }
export type ChildMessage =
  | { type: 'ready'; port: number }
  | { type: 'marked' }
  | { type: 'report'; cpuMicros: number; elu: number }

const [framework, variant] = process.argv.slice(2) as [Framework, Variant]
if (!FRAMEWORKS.includes(framework) || !VARIANTS.includes(variant) || process.send === undefined) {
  console.error(
    `usage (forked with IPC): server.ts <${FRAMEWORKS.join('|')}> <${VARIANTS.join('|')}>`,
  )
  process.exit(2)
}

const send = (message: ChildMessage) => process.send?.(message)
const server = await startApp(framework, variant)

let cpuMark = process.cpuUsage()
let eluMark = performance.eventLoopUtilization()

function stop(): void {
  server.closeAllConnections()
  server.close(() => process.exit(0))
  // Never linger: exit even if a connection refuses to close.
  setTimeout(() => process.exit(0), 2000).unref()
}

process.on('message', (message: ParentMessage) => {
  if (message.type === 'mark') {
    cpuMark = process.cpuUsage()
    eluMark = performance.eventLoopUtilization()
    send({ type: 'marked' })
  } else if (message.type === 'report') {
    const cpu = process.cpuUsage(cpuMark)
    const elu = performance.eventLoopUtilization(eluMark).utilization
    send({ type: 'report', cpuMicros: cpu.user + cpu.system, elu })
  } else if (message.type === 'stop') {
    stop()
  }
})
process.on('disconnect', stop)
process.on('SIGTERM', stop)

send({ type: 'ready', port: portOf(server) })
