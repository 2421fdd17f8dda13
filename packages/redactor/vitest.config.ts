import { rampartVitest } from '@rampart/vitest-config'

// The whole suite runs with V8 refusing `eval` and `Function()` (as Cloudflare Workers do): the
// redactor compiles paths into data, never into code. The setup file fails the run if the flag
// stops applying.
export default rampartVitest({
  execArgv: ['--disallow-code-generation-from-strings'],
  setupFiles: ['./test/refuse-codegen.setup.ts'],
})
