/**
 * `@rampart/redactor`'s detectors on 1 KiB log lines against @redactpii/node, a zero-dependency
 * regex chain (cards, e-mails, US phones, SSNs, greeting names): the hand-rolled approach
 * detectors replace. Target (absolute): under 10 µs per 1 KiB line with every detector on, that
 * is at least 100,000 ops/s in the ours column.
 * @module
 */

import { createRedactor } from '@rampart/redactor'
import { Redactor } from '@redactpii/node'
import { anchorName, defineSuite, microCase } from '../micro.js'

const KIB = 1024

/** `unit` repeated and cut to exactly 1 KiB, varied per input so no two lines are equal. */
function lines(unit: (i: number) => string): string[] {
  return Array.from({ length: 8 }, (_, i) => {
    let text = ''
    for (let n = 0; text.length < KIB; n++) text += unit(i * 31 + n)
    return text.slice(0, KIB)
  })
}

const prose = lines(
  (n) =>
    `The nightly export finished in ${n} minutes after the queue drained; operators noted that the retry budget was never touched and the dashboards stayed green throughout. `,
)

const textLog = lines(
  (n) =>
    `2026-11-23T05:${String(n % 60).padStart(2, '0')}:12.345Z INFO req=6f1c2b9e-${String(1000 + n)}-4c1d-9a8e-2b7c5d4e3f21 GET https://api.example.com/v1/orders?page=${n}&sort=desc 200 12.${n}ms 203.0.113.${n % 250} "Mozilla/5.0 (X11; Linux x86_64)" `,
)

const jsonLog = lines(
  (n) =>
    `${JSON.stringify({
      level: 30,
      time: 1_795_000_000_000 + n,
      msg: 'request completed',
      req: { id: n, method: 'POST', url: `/v1/carts/${n}/items`, remoteAddress: '198.51.100.4' },
      res: { statusCode: 201 },
      responseTime: 4.2 + n,
    })}\n`,
)

const withSecrets = lines(
  (n) =>
    `Customer ${n} wrote from jane.doe${n}@example.com about card 4242 4242 4242 4242 and SSN 536-22-${String(1000 + (n % 9000))}; agent replied within the hour. `,
)

const all = createRedactor({ defaultKeys: false, detectors: 'all' })
const sameKinds = createRedactor({
  defaultKeys: false,
  detectors: ['credit-card', 'email', 'us-ssn'],
})
const anchor = new Redactor()

const ours = (line: string) => all(line)
const theirs = (line: string) => anchor.redact(line)
const note = 'the two find different things (see the description), so the texts differ.'

export default defineSuite({
  name: 'redactor-detectors',
  title: '@rampart/redactor detectors vs @redactpii/node',
  ours: '@rampart/redactor',
  anchor: anchorName('@redactpii/node'),
  description:
    '1 KiB log lines. Ours with all fourteen detectors (tokens, keys, cards with Luhn, SSNs with the SSA rules, IBANs with mod-97, e-mails, URL credentials and secret query parameters) unless a case says otherwise; the anchor with its five default regexes (cards, e-mails, US phones, SSNs, greeting names), no validators. Target: under 10 µs per line with every detector on, at least 100,000 ops/s in the ours column; the ratio is for context.',
  readmes: ['packages/redactor/README.md'],
  cases: [
    microCase({
      name: 'prose, nothing to find',
      inputs: prose,
      ours,
      anchor: theirs,
      sameResult: false,
      note,
    }),
    microCase({
      name: 'text access-log line (URL, UUID, IP, timestamp)',
      inputs: textLog,
      ours,
      anchor: theirs,
      sameResult: false,
      note,
    }),
    microCase({
      name: 'JSON log line (pino shape)',
      inputs: jsonLog,
      ours,
      anchor: theirs,
      sameResult: false,
      note,
    }),
    microCase({
      name: 'line with e-mails, card numbers and SSNs',
      inputs: withSecrets,
      ours,
      anchor: theirs,
      sameResult: false,
      note,
    }),
    microCase({
      name: 'line with e-mails, cards, SSNs; ours with those three detectors only',
      inputs: withSecrets,
      ours: (line: string) => sameKinds(line),
      anchor: theirs,
      sameResult: false,
      note: 'both redact the same e-mails, cards and SSNs; the markers differ.',
    }),
  ],
})
