/**
 * `@rampart/redactor` with serialisation against plain `JSON.stringify` of the same object (no
 * redaction at all): what redacting costs on top of serialising. Target: static paths within 30%.
 * @module
 */
import { createRedactor } from '@rampart/redactor'
import { defineSuite, microCase } from '../micro.js'

const inputs = Array.from({ length: 16 }, (_, i) => ({
  outer: { b: { c: `s${i}` }, d: { a: `s${i}`, b: 's', c: 's' } },
}))

function oursWith(paths: string[], serializer: 'safe' | 'native' = 'safe') {
  const redact = createRedactor({ paths, defaultKeys: false, serializer })
  return (o: (typeof inputs)[number]) => redact.json(o)
}

const plain = (o: (typeof inputs)[number]) => JSON.stringify(o)

const note =
  'the anchor serialises without redacting, so the texts differ in the censored values only.'

export default defineSuite({
  name: 'redactor-json',
  title: '@rampart/redactor vs plain JSON.stringify',
  ours: '@rampart/redactor',
  anchor: `JSON.stringify (Node ${process.versions.node})`,
  description:
    "fast-redact's benchmark object serialised: ours redacting by path (`defaultKeys: false`), the anchor `JSON.stringify` with no redaction. Target: static paths within 30% of the anchor (ratio at least 0.77). `serializer: 'native'` copies only the objects on the way to a path and lets `JSON.stringify` write the rest.",
  readmes: ['packages/redactor/README.md'],
  cases: [
    microCase({
      name: "static path, `serializer: 'native'`",
      inputs,
      ours: oursWith(['outer.b.c'], 'native'),
      anchor: plain,
      sameResult: false,
      note,
    }),
    microCase({
      name: "static paths (4), `serializer: 'native'`",
      inputs,
      ours: oursWith(['outer.b.c', 'outer.d.a', 'outer.d.b', 'outer.d.c'], 'native'),
      anchor: plain,
      sameResult: false,
      note,
    }),
    microCase({
      name: "wildcard `outer.b.*`, `serializer: 'native'`",
      inputs,
      ours: oursWith(['outer.b.*'], 'native'),
      anchor: plain,
      sameResult: false,
      note,
    }),
    microCase({
      name: 'static path',
      inputs,
      ours: oursWith(['outer.b.c']),
      anchor: plain,
      sameResult: false,
      note,
    }),
    microCase({
      name: 'static paths (4)',
      inputs,
      ours: oursWith(['outer.b.c', 'outer.d.a', 'outer.d.b', 'outer.d.c']),
      anchor: plain,
      sameResult: false,
      note,
    }),
    microCase({
      name: 'wildcard `outer.b.*`',
      inputs,
      ours: oursWith(['outer.b.*']),
      anchor: plain,
      sameResult: false,
      note,
    }),
  ],
})
