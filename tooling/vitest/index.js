// Shared Vitest settings: every package's vitest.config.ts is `export default rampartVitest()`.
import { defineConfig } from 'vitest/config'

/**
 * Builds a package's Vitest config from the shared defaults.
 * @param {import('vitest/config').UserConfig['test']} [test] per-package overrides
 */
export function rampartVitest(test = {}) {
  return defineConfig({
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
      testTimeout: 20_000,
      hookTimeout: 20_000,
      // Two cores: keep workers few so HTTP and Redis tests don't starve each other.
      pool: 'forks',
      maxWorkers: 2,
      ...test,
    },
  })
}
