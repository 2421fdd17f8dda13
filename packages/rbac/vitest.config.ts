import { rampartVitest } from '@rampart/vitest-config'

export default rampartVitest()
