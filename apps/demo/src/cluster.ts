/**
 * `pnpm demo:cluster`: two demo instances on two ports (Hono on 3000, Express on 3001 by
 * default) sharing one Redis (`REDIS_URL`, default `redis://127.0.0.1:6379`) and one set of
 * secrets, then a few requests alternating between them to show one rate limit counting for
 * both. Ctrl-C stops both.
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: {
    frameworks: { type: 'string', default: 'hono,express' },
    ports: { type: 'string', default: '3000,3001' },
  },
  strict: true,
})
const frameworks = values.frameworks.split(',')
const ports = values.ports.split(',')
if (frameworks.length !== 2 || ports.length !== 2) {
  console.error('--frameworks and --ports take two comma-separated values each')
  process.exit(2)
}

const secret = () => randomBytes(32).toString('base64url')
const env = {
  ...process.env,
  REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  DEMO_SESSION_SECRET: process.env.DEMO_SESSION_SECRET ?? secret(),
  DEMO_LOCKOUT_SECRET: process.env.DEMO_LOCKOUT_SECRET ?? secret(),
  DEMO_WEBHOOK_SECRET:
    process.env.DEMO_WEBHOOK_SECRET ?? `whsec_${randomBytes(24).toString('base64')}`,
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
}
const main = fileURLToPath(new URL('main.js', import.meta.url))
const children: ChildProcess[] = frameworks.map((framework, i) => {
  const child = spawn(
    process.execPath,
    [main, '--framework', framework, '--port', ports[i] ?? ''],
    {
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  )
  child.on('exit', (code) => {
    if (code !== 0 && code !== null) {
      console.error(`instance ${i + 1} (${framework}) exited with ${code}`)
      stop(1)
    }
  })
  return child
})

function stop(code = 0) {
  for (const child of children) child.kill('SIGTERM')
  process.exitCode = code
}
process.once('SIGINT', () => stop())
process.once('SIGTERM', () => stop())

async function ready(origin: string) {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${origin}/api/info`)).ok) return
    } catch {}
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`${origin} did not start`)
}

const origins = ports.map((p) => `http://localhost:${p}`)
try {
  await Promise.all(origins.map(ready))
} catch (error) {
  console.error((error as Error).message)
  stop(1)
}
if (process.exitCode === undefined) {
  console.log(`\nTwo instances share Redis at ${env.REDIS_URL}: one limit counts for both.`)
  for (let i = 0; i < 6; i++) {
    const origin = origins[i % 2] as string
    const res = await fetch(`${origin}/api/products`)
    console.log(
      `  ${origin}/api/products → ${res.status}  RateLimit: ${res.headers.get('ratelimit')}`,
    )
  }
  console.log('\nSessions, lockouts and signature nonces are shared too. Ctrl-C stops both.\n')
}
