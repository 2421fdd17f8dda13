import { fileURLToPath } from 'node:url'
import { rampartVitest } from '@rampart/vitest-config'

// The unit tests again in Vercel's edge-runtime environment (Web globals from the edge VM), with
// the Web Crypto backend that every runtime but Node uses: the structured-field parser, the
// signature base, signing and verification and the webhook profiles must work there unchanged.
// The conformance cases and the Node-only tests need Node servers and clients and stay on Node.
export default rampartVitest({
  environment: 'edge-runtime',
  include: ['src/**/*.test.ts'],
  exclude: ['src/testing/**', 'src/**/*.redis.test.ts', 'src/**/*.node.test.ts'],
  alias: {
    '#crypto-backend': fileURLToPath(new URL('./src/crypto-backend.ts', import.meta.url)),
  },
})
