/**
 * `pnpm demo [--framework express|koa|hono] [--port 3000] [--host ::]`: starts the demo.
 * Environment: `REDIS_URL` (shared store), `DEMO_SESSION_SECRET`, `DEMO_LOCKOUT_SECRET`,
 * `DEMO_WEBHOOK_SECRET`, `DEMO_ALLOW`, `DEMO_PER_MINUTE`, `DEMO_LOGIN_PER_MINUTE`, `LOG_LEVEL`.
 * @module
 */
import { parseArgs } from 'node:util'
import { SettingsError, settingsFrom } from './app/settings.js'
import { DEMO_ACCOUNTS } from './domain/users.js'
import { startDemo } from './server.js'

function fail(message: string): never {
  console.error(message)
  process.exit(2)
}

let settings: ReturnType<typeof settingsFrom>
try {
  const { values } = parseArgs({
    options: {
      framework: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
    },
    strict: true,
  })
  settings = settingsFrom(values, process.env)
} catch (error) {
  fail(error instanceof SettingsError || error instanceof TypeError ? error.message : String(error))
}

const demo = await startDemo(settings).catch((error: Error) =>
  fail(`the demo could not start: ${error.message}`),
)
const accounts = DEMO_ACCOUNTS.map((a) => `${a.name} / ${a.password} (${a.role})`).join('\n  ')
console.error(
  `\nRampart demo on ${settings.framework}, store: ${demo.app.stores.kind}\n` +
    `  page:  ${demo.origin}/\n` +
    `  API:   curl -i ${demo.origin}/api/info\n` +
    `  accounts:\n  ${accounts}\n` +
    `  signed requests: pnpm demo:client --url ${demo.origin}\n`,
)
const stop = () => {
  demo.close().then(
    () => process.exit(0),
    () => process.exit(1),
  )
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
