/**
 * `pnpm demo [--framework express|koa|hono] [--port 3000]`: starts the demo API.
 * @module
 */
import { parseArgs } from 'node:util'
import { FRAMEWORKS, type Framework, startDemo } from './apps.js'
import { DEFAULT_ALLOW, demoGuards } from './guards.js'

const { values } = parseArgs({
  options: {
    framework: { type: 'string', default: 'hono' },
    port: { type: 'string', default: process.env.PORT ?? '3000' },
  },
  strict: true,
})

const framework = values.framework as Framework
if (!FRAMEWORKS.includes(framework)) {
  console.error(`--framework must be one of ${FRAMEWORKS.join(', ')}, got '${values.framework}'`)
  process.exit(2)
}
const port = Number(values.port)
const allow =
  process.env.DEMO_ALLOW?.split(',')
    .map((s) => s.trim())
    .filter(Boolean) ?? DEFAULT_ALLOW

const server = startDemo(
  framework,
  { guards: demoGuards({ allow }), onEvent: (e) => console.log(JSON.stringify(e)) },
  port,
)
server.once('listening', () => {
  console.log(
    `Rampart demo (${framework}) on http://localhost:${port}/ — try: curl -i http://localhost:${port}/`,
  )
})
const stop = () => server.close(() => process.exit(0))
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
