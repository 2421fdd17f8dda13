#!/usr/bin/env node
// `pnpm test`: every check a newcomer and CI run, in order, with output streamed live and one
// closing line that totals what the runners themselves reported:
//   tests: N passed, N failed, N skipped
// Steps: lint (Biome) → build, typecheck, test, package checks (turbo) → install smoke test.
import { spawn } from 'node:child_process'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

const STEPS = [
  ['lint', 'pnpm', ['exec', 'biome', 'check', '.']],
  [
    'turbo',
    'pnpm',
    ['exec', 'turbo', 'run', 'build', 'typecheck', 'test', 'check:package', '--concurrency=2'],
  ],
  ['smoke', 'node', ['tooling/smoke/run.mjs']],
]

// ANSI colour codes would split the numbers from their words.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape sequences is the point
const ANSI = /\u001b\[[0-9;]*m/g

const totals = { passed: 0, failed: 0, skipped: 0 }

/** Adds what one output line reports: Vitest summaries, node:test totals, smoke PASS/FAIL rows. */
function count(line) {
  const text = line.replace(ANSI, '')
  const vitest = /\bTests\s+(.*)\(\d+\)\s*$/.exec(text)
  if (vitest) {
    for (const [, n, kind] of vitest[1].matchAll(/(\d+) (passed|failed|skipped|todo)/g)) {
      totals[kind === 'todo' ? 'skipped' : kind] += Number(n)
    }
    return
  }
  const node = /# (pass|fail|skipped) (\d+)\s*$/.exec(text)
  if (node) {
    totals[{ pass: 'passed', fail: 'failed', skipped: 'skipped' }[node[1]]] += Number(node[2])
    return
  }
  const smoke = /^(PASS|FAIL) (express|koa|hono)\b/.exec(text)
  if (smoke) totals[smoke[1] === 'PASS' ? 'passed' : 'failed'] += 1
}

function run(name, command, args) {
  return new Promise((resolveStep) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    for (const [stream, sink] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ]) {
      let rest = ''
      stream.on('data', (chunk) => {
        sink.write(chunk)
        const lines = (rest + chunk.toString()).split('\n')
        rest = lines.pop() ?? ''
        for (const line of lines) count(line)
      })
      stream.on('end', () => rest && count(rest))
    }
    child.on('close', (code, signal) => resolveStep({ name, ok: code === 0, code: code ?? signal }))
  })
}

let failedStep
for (const [name, command, args] of STEPS) {
  console.log(`\n==> ${name}: ${command} ${args.join(' ')}`)
  const result = await run(name, command, args)
  if (!result.ok) {
    failedStep = result
    break
  }
}

console.log(
  failedStep ? `\n${failedStep.name} failed (exit ${failedStep.code})` : '\nall steps passed',
)
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`)
process.exit(failedStep ? 1 : 0)
