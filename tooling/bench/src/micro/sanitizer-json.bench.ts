/**
 * Parse and check: our adapter-side `JSON.parse` plus `sanitize()` through core's request
 * context, against secure-json-parse's `parse()` (a `JSON.parse` plus a scan for `__proto__` and
 * `constructor.prototype`), on the same JSON text.
 * @module
 */
import sjson from 'secure-json-parse'
import { anchorName, defineSuite } from '../micro.js'
import { type BodyRequest, bodyCases } from '../sanitizer/sides.js'

function anchor(): (request: BodyRequest) => Promise<string> {
  return async (request) => {
    sjson.parse(request.text, undefined, { protoAction: 'error', constructorAction: 'error' })
    return 'ok'
  }
}

export default defineSuite({
  name: 'sanitizer-json',
  title: '@rampart/sanitizer vs secure-json-parse (parse + check)',
  ours: '@rampart/sanitizer',
  anchor: anchorName('secure-json-parse'),
  description:
    "The JSON text of one request parsed and checked: ours is `JSON.parse` (as the adapters parse) plus `sanitize()` with its defaults through core's request context (every rule, not only prototype keys); the anchor is secure-json-parse's `parse()` refusing `__proto__` and `constructor.prototype`. No target; what checking more costs.",
  readmes: ['packages/sanitizer/README.md'],
  cases: bodyCases(anchor, true),
})
