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

/** A pino-shaped request log line: a wider object, where the spine is a small part of it. */
function logLine(i: number) {
  return {
    level: 30,
    time: 1_795_000_000_000 + i,
    pid: 1234,
    hostname: 'web-1',
    msg: 'request completed',
    req: {
      id: i,
      method: 'GET',
      url: `/v1/orders?page=${i}`,
      headers: {
        host: 'api.example.com',
        'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36',
        accept: 'application/json',
        'accept-encoding': 'gzip, br',
        'accept-language': 'en-GB,en;q=0.9',
        authorization: `Bearer abc${i}`,
        cookie: `sid=${i}`,
        connection: 'keep-alive',
        'x-request-id': `req-${i}`,
      },
      remoteAddress: '203.0.113.7',
      remotePort: 51234,
    },
    res: { statusCode: 200, headers: { 'content-type': 'application/json', etag: 'W/"abc"' } },
    responseTime: 4.2,
  }
}

const logLines = Array.from({ length: 16 }, (_, i) => logLine(i))
const HEADER_PATHS = ['req.headers.authorization', 'req.headers.cookie']

function oursWith(paths: string[], serializer: 'safe' | 'native' = 'safe') {
  const redact = createRedactor({ paths, defaultKeys: false, serializer })
  return (o: unknown) => redact.json(o)
}

const plain = (o: unknown) => JSON.stringify(o)

const note =
  'the anchor serialises without redacting, so the texts differ in the censored values only.'

export default defineSuite({
  name: 'redactor-json',
  title: '@rampart/redactor vs plain JSON.stringify',
  ours: '@rampart/redactor',
  anchor: `JSON.stringify (Node ${process.versions.node})`,
  description:
    "fast-redact's benchmark object (six values), and a pino-shaped request log line (about thirty), serialised: ours redacting by path (`defaultKeys: false`), the anchor `JSON.stringify` with no redaction. Target: static paths within 30% of the anchor (ratio at least 0.77). `serializer: 'native'` copies only the objects on the way to a path and lets `JSON.stringify` write the rest.",
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
      name: "request log line, 2 header paths, `serializer: 'native'`",
      inputs: logLines,
      ours: oursWith(HEADER_PATHS, 'native'),
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
      name: 'request log line, 2 header paths',
      inputs: logLines,
      ours: oursWith(HEADER_PATHS),
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
