import { rampartVitest } from '@rampart/vitest-config'

// The unit tests again in Vercel's edge-runtime environment (Web globals from the edge VM): the
// policy compiler, the decisions and the masks must work there unchanged. Code generation is
// checked by test/no-codegen.test.mjs; the conformance cases need Node servers and stay on Node.
export default rampartVitest({
  environment: 'edge-runtime',
  include: ['src/**/*.test.ts'],
  exclude: ['src/testing/**'],
})
