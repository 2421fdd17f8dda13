import { rampartVitest } from '@rampart/vitest-config'

// The unit tests again in Vercel's edge-runtime environment (Web globals from the edge VM).
// It still exposes Node globals, so those are kept out of the source by the web tsconfig (no
// @types/node); code generation is checked by test/no-codegen.test.mjs, since Vitest itself
// needs eval. The conformance suite needs real servers and stays on Node.
export default rampartVitest({
  environment: 'edge-runtime',
  include: ['src/**/*.test.ts'],
  exclude: ['src/testing/**'],
})
