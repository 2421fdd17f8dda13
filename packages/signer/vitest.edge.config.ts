import { rampartVitest } from '@rampart/vitest-config'

// The unit tests again in Vercel's edge-runtime environment (Web globals from the edge VM): the
// structured-field parser, the signature base, Web Crypto signing and verification and the
// webhook profiles must work there unchanged. The conformance cases and the Redis test need Node
// servers and clients and stay on Node.
export default rampartVitest({
  environment: 'edge-runtime',
  include: ['src/**/*.test.ts'],
  exclude: ['src/testing/**', 'src/**/*.redis.test.ts', 'src/**/*.node.test.ts'],
})
