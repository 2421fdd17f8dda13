/**
 * `@rampart/redactor` against fast-redact on fast-redact's own benchmark cases.
 * @module
 */
import fastRedact from 'fast-redact'
import { anchorName, defineSuite } from '../micro.js'
import { type FastRedactLike, redactCases } from '../redactor/cases.js'

export default defineSuite({
  name: 'redactor-fast-redact',
  title: '@rampart/redactor vs fast-redact',
  ours: '@rampart/redactor',
  anchor: anchorName('fast-redact'),
  description:
    "fast-redact's own benchmark cases (its benchmark object; static paths, wildcards and intermediate wildcards; JSON text or an object out). Ours never touches its input and builds a copy; fast-redact compiles the paths with `Function()` and, without serialisation, censors the caller's object in place. Ours runs with `defaultKeys: false` (paths only, as the anchor).",
  readmes: ['packages/redactor/README.md'],
  cases: redactCases(fastRedact as unknown as FastRedactLike),
})
