/**
 * `@rampart/redactor` against @pinojs/redact (pino's copy-on-write redactor) on fast-redact's
 * benchmark cases. Target: wildcards at least as fast.
 * @module
 */
import pinoRedact from '@pinojs/redact'
import { anchorName, defineSuite } from '../micro.js'
import { type FastRedactLike, redactCases } from '../redactor/cases.js'

export default defineSuite({
  name: 'redactor-pino',
  title: '@rampart/redactor vs @pinojs/redact',
  ours: '@rampart/redactor',
  anchor: anchorName('@pinojs/redact'),
  description:
    "fast-redact's benchmark cases through @pinojs/redact, which, like ours, leaves its input alone. Ours runs with `defaultKeys: false` (paths only, as the anchor). Target: wildcards at least as fast.",
  readmes: ['packages/redactor/README.md'],
  cases: redactCases(pinoRedact as unknown as FastRedactLike),
})
