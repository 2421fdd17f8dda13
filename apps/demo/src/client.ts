/**
 * `pnpm demo:client [--url http://localhost:3000]`: signs and sends server-to-server requests to
 * a running demo and prints what each got. Exits 1 when an answer is not the expected one.
 * @module
 */
import { parseArgs } from 'node:util'
import { runClient } from './client-run.js'

const { values } = parseArgs({
  options: { url: { type: 'string', default: process.env.DEMO_URL ?? 'http://localhost:3000' } },
  strict: true,
})
const origin = values.url.replace(/\/+$/, '')

try {
  const steps = await runClient(origin)
  for (const s of steps) {
    const mark = s.status === s.expected ? 'ok  ' : 'FAIL'
    console.log(`${mark} ${s.status} ${s.title}${s.detail ? ` — ${s.detail}` : ''}`)
  }
  process.exitCode = steps.every((s) => s.status === s.expected) ? 0 : 1
} catch (error) {
  console.error(`could not reach the demo at ${origin}: ${(error as Error).message}`)
  console.error('start it first: pnpm demo')
  process.exitCode = 1
}
