import { rampartVitest } from '@rampart/vitest-config'

// The unit tests again in Vercel's edge-runtime environment (Web globals from the edge VM): the
// redactor, its serialiser and its detectors must work there unchanged. Code generation is
// refused in the Node run (vitest.config.ts; the edge VM needs eval to start). The conformance
// cases need Node servers and stay on Node.
export default rampartVitest({
  environment: 'edge-runtime',
  include: ['src/**/*.test.ts'],
  exclude: ['src/testing/**', 'src/**/*.node.test.ts'],
})
