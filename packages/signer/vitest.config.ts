import { fileURLToPath } from 'node:url'
import { rampartVitest } from '@rampart/vitest-config'

// On Node the package's `#crypto-backend` import resolves to the node:crypto backend (the `node`
// condition), so the Node run tests that one, from source; the edge run tests the Web Crypto one.
export default rampartVitest({
  alias: {
    '#crypto-backend': fileURLToPath(new URL('./src/crypto-backend.node.ts', import.meta.url)),
  },
})
