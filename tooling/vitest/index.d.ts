import type { UserConfig } from 'vitest/config'
/** Builds a package's Vitest config from the shared defaults. */
export declare function rampartVitest(test?: UserConfig['test']): UserConfig
