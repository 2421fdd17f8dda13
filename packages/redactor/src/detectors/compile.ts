/**
 * `compileDetectors()`: a set of detectors compiled once into a function that scans a string in
 * a small, fixed number of linear passes, one per trigger: a literal searched with `indexOf`
 * (`@`, `://`, `?`, `&`, `#`, `_`, the `J` of `eyJ`, `BEGIN `) or a short regular expression
 * without nested or unbounded quantifiers (the `Bearer`/`Basic` schemes, AWS key prefixes,
 * numbers). Both run in native code, several times faster than a character loop in JavaScript,
 * and skip plain text without stopping. Each candidate is then read by a matcher a bounded
 * number of characters (or along a run no other candidate re-reads), so a hostile string costs
 * time linear in its length, capped at `maxScan` characters.
 * @module
 */
import { closestMatch, RampartConfigError } from '@rampart/core'
import { matchAuthScheme } from './credentials.js'
import { matchEmail } from './email.js'
import {
  DETECTOR_IDS,
  type DetectorId,
  detectorBit,
  type Finding,
  finding,
  isDetectorId,
} from './ids.js'
import { matchJwt } from './jwt.js'
import { matchCardOrSsn, matchIban, type NumberDetectors } from './numbers.js'
import { matchPem, pemMemo } from './pem.js'
import { matchAwsAccessKey, matchUnderscore, type UnderscoreDetectors } from './tokens.js'
import { matchSecretParam, matchUrlCredentials, valueMemo } from './url.js'

/** Characters scanned by default: findings lie within the first 64 Ki characters. */
export const DEFAULT_MAX_SCAN = 64 * 1024

/** Options of {@link compileDetectors}. */
export interface DetectorOptions {
  /**
   * Characters of each string scanned (UTF-16 code units). Findings lie within this prefix; a
   * secret that straddles the limit is found only as far as the limit (a truncated PEM block
   * is still reported) or not at all. Default {@link DEFAULT_MAX_SCAN}.
   */
  readonly maxScan?: number
}

/**
 * Compiled detectors: the findings in `text`, sorted by `start` and non-overlapping. The same
 * frozen empty array is returned whenever nothing is found.
 */
export type Detect = (text: string) => readonly Finding[]

const NO_FINDINGS: readonly Finding[] = Object.freeze([])

/** Config error code shared with `createRedactor` (`REDACTOR_CONFIG_CODE`). */
const CONFIG_CODE = 'ERR_RAMPART_REDACTOR_CONFIG'

/*
 * Candidate numbers at a word start: 7+ digits with at most one separator after the first four
 * (a card), `ddd-dd-dddd` (an SSN), or a country code and two check digits (an IBAN). Fixed
 * repetitions only, so each start position costs at most a dozen steps; and spelled out, because
 * irregexp scans `\d\d\d\d` several times faster than `\d{4}` (measured).
 */
const CARD = String.raw`\d\d\d\d[ -]?\d\d\d`
const SSN = String.raw`\d\d\d-\d\d-\d\d\d\d`
const CARD_OR_SSN = String.raw`\d\d\d(?:\d[ -]?\d\d\d|-\d\d-\d\d\d\d)`
const IBAN = String.raw`[A-Z][A-Z]\d\d`

/** What one compiled set runs. Regular expressions are its own (their `lastIndex` is state). */
interface Plan {
  readonly maxScan: number
  readonly params: boolean
  readonly credentials: boolean
  readonly email: boolean
  readonly pem: boolean
  readonly jwt: boolean
  readonly underscore: UnderscoreDetectors | undefined
  readonly bearer: RegExp | undefined
  readonly basic: RegExp | undefined
  readonly aws: RegExp | undefined
  readonly numbers: RegExp | undefined
  readonly matchNumber: (text: string, at: number) => Finding | undefined
}

function validate(ids: unknown, options: DetectorOptions): void {
  const issues: { path: string; message: string }[] = []
  if (!Array.isArray(ids)) {
    issues.push({ path: 'detectors', message: 'expected an array of detector names' })
  } else {
    ids.forEach((id, index) => {
      if (isDetectorId(id)) return
      const hint = typeof id === 'string' ? closestMatch(id, DETECTOR_IDS) : undefined
      issues.push({
        path: `detectors[${index}]`,
        message: `unknown detector ${JSON.stringify(id) ?? String(id)}${
          hint === undefined ? `; known: ${DETECTOR_IDS.join(', ')}` : `; did you mean '${hint}'?`
        }`,
      })
    })
  }
  const maxScan = options.maxScan
  if (maxScan !== undefined && !(Number.isSafeInteger(maxScan) && maxScan >= 1)) {
    issues.push({
      path: 'maxScan',
      message: `expected a whole number of characters, at least 1, received ${String(maxScan)}`,
    })
  }
  if (issues.length > 0) {
    throw new RampartConfigError('@rampart/redactor detectors', issues, CONFIG_CODE)
  }
}

function plan(ids: readonly DetectorId[], maxScan: number): Plan {
  let mask = 0
  for (const id of ids) mask |= detectorBit(id)
  const on = (id: DetectorId) => (mask & detectorBit(id)) !== 0
  const numberKinds: NumberDetectors = {
    card: on('credit-card'),
    ssn: on('us-ssn'),
    iban: on('iban'),
  }
  const digits =
    numberKinds.card && numberKinds.ssn
      ? CARD_OR_SSN
      : numberKinds.card
        ? CARD
        : numberKinds.ssn
          ? SSN
          : undefined
  const numberParts = [digits, numberKinds.iban ? IBAN : undefined].filter((x) => x !== undefined)
  const underscore = {
    github: on('github-token'),
    stripe: on('stripe-key'),
    webhook: on('stripe-webhook-secret'),
  }
  return {
    maxScan,
    params: on('url-secret-param'),
    credentials: on('url-credentials'),
    email: on('email'),
    pem: on('pem-private-key'),
    jwt: on('jwt'),
    underscore:
      underscore.github || underscore.stripe || underscore.webhook ? underscore : undefined,
    // Two expressions, not one alternation: each is a literal irregexp skips through (Boyer-Moore).
    bearer: on('bearer') ? /\bbearer[ \t]/gi : undefined,
    basic: on('basic') ? /\bbasic[ \t]/gi : undefined,
    aws: on('aws-access-key') ? /\bA(?:KIA|SIA|BIA|CCA)/g : undefined,
    numbers:
      numberParts.length === 0
        ? undefined
        : new RegExp(String.raw`\b(?:${numberParts.join('|')})`, 'g'),
    matchNumber: (text, at) =>
      text.charCodeAt(at) <= 0x39 ? matchCardOrSsn(text, at, numberKinds) : matchIban(text, at),
  }
}

/** `found` with `f` appended (made on the first finding: no allocation for clean text). */
function add(found: Finding[] | undefined, f: Finding | undefined): Finding[] | undefined {
  if (f === undefined) return found
  if (found === undefined) return [f]
  found.push(f)
  return found
}

/**
 * The findings sorted by start and made disjoint: one that lies inside an earlier one goes, one
 * that overlaps it keeps only its part past it. Their union still covers everything any
 * detector flagged: in `?token=x-----BEGIN PRIVATE KEY-----…` the value ends at the blank, and the
 * key keeps the rest of its block. Each pass emits its findings in order, so the sort (stable:
 * equal spans keep the earlier pass's name) merges a few sorted runs.
 */
function normalize(found: Finding[]): readonly Finding[] {
  let ordered = true
  for (let k = 1; k < found.length && ordered; k++) {
    ordered = (found[k] as Finding).start >= (found[k - 1] as Finding).end
  }
  if (ordered) return found
  found.sort((a, b) => a.start - b.start || b.end - a.end)
  const out: Finding[] = []
  let covered = 0
  for (const f of found) {
    if (f.end <= covered) continue
    out.push(f.start < covered ? finding(f.detector, covered, f.end) : f)
    covered = f.end
  }
  return out
}

/**
 * Runs `match` at every match start of `re` in `text` (allocating only for a match). With
 * `skipFound`, the search goes on after a finding instead of inside it: for numbers, where a
 * candidate inside a found card, SSN or IBAN (its next digit group) could only be dropped again.
 */
function regexPass(
  re: RegExp,
  text: string,
  found: Finding[] | undefined,
  match: (text: string, at: number) => Finding | undefined,
  skipFound = false,
): Finding[] | undefined {
  let out = found
  re.lastIndex = 0
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const f = match(text, m.index)
    out = add(out, f)
    // Next search from the next character: a candidate may start inside this match's text.
    re.lastIndex = skipFound && f !== undefined ? f.end : m.index + 1
  }
  return out
}

/**
 * The passes, most specific detector first: when two report the same span (a JWT after
 * `Bearer`, or as a `?token=` value), the stable sort in {@link normalize} keeps the first one's
 * name.
 */
function scan(input: string, p: Plan): readonly Finding[] {
  if (typeof input !== 'string') return NO_FINDINGS
  // A slice of a long string shares its characters (no copy), and bounds every search below.
  const text = input.length > p.maxScan ? input.slice(0, p.maxScan) : input
  let found: Finding[] | undefined
  if (p.pem) {
    const memo = pemMemo()
    for (let i = text.indexOf('BEGIN '); i >= 0; i = text.indexOf('BEGIN ', i + 1)) {
      if (i >= 5) found = add(found, matchPem(text, i - 5, memo))
    }
  }
  if (p.jwt) {
    // `J` is rarer than `e` in text: search it, then look back for `ey`.
    for (let i = text.indexOf('J'); i >= 0; i = text.indexOf('J', i + 1)) {
      if (text.charCodeAt(i - 1) === 0x79 && text.charCodeAt(i - 2) === 0x65) {
        found = add(found, matchJwt(text, i - 2))
      }
    }
  }
  const underscore = p.underscore
  if (underscore !== undefined) {
    for (let i = text.indexOf('_'); i >= 0; i = text.indexOf('_', i + 1)) {
      found = add(found, matchUnderscore(text, i, underscore))
    }
  }
  if (p.aws !== undefined) found = regexPass(p.aws, text, found, matchAwsAccessKey)
  if (p.numbers !== undefined) found = regexPass(p.numbers, text, found, p.matchNumber, true)
  if (p.email) {
    for (let i = text.indexOf('@'); i >= 0; i = text.indexOf('@', i + 1)) {
      found = add(found, matchEmail(text, i))
    }
  }
  if (p.bearer !== undefined) found = regexPass(p.bearer, text, found, matchBearer)
  if (p.basic !== undefined) found = regexPass(p.basic, text, found, matchBasic)
  if (p.credentials) {
    for (let i = text.indexOf('://'); i >= 0; i = text.indexOf('://', i + 1)) {
      found = add(found, matchUrlCredentials(text, i))
    }
  }
  if (p.params) {
    const memo = valueMemo()
    found = add(found, matchSecretParam(text, -1, memo))
    for (let i = text.indexOf('?'); i >= 0; i = text.indexOf('?', i + 1)) {
      found = add(found, matchSecretParam(text, i, memo))
    }
    for (let i = text.indexOf('&'); i >= 0; i = text.indexOf('&', i + 1)) {
      found = add(found, matchSecretParam(text, i, memo))
    }
    for (let i = text.indexOf('#'); i >= 0; i = text.indexOf('#', i + 1)) {
      found = add(found, matchSecretParam(text, i, memo))
    }
  }
  return found === undefined ? NO_FINDINGS : normalize(found)
}

const matchBearer = (text: string, at: number) => matchAuthScheme(text, at, true, false)
const matchBasic = (text: string, at: number) => matchAuthScheme(text, at, false, true)

/**
 * Compiles `ids` (see {@link DETECTOR_IDS}) into a function that finds their secrets in a string,
 * in one linear pass over at most `maxScan` characters.
 * @throws RampartConfigError (code `ERR_RAMPART_REDACTOR_CONFIG`) naming an unknown detector or
 * an invalid `maxScan`.
 * @example
 * const detect = compileDetectors(['bearer', 'email'])
 * detect('Authorization: Bearer abc.def') // [{ detector: 'bearer', start: 22, end: 29 }]
 */
export function compileDetectors(
  ids: readonly DetectorId[],
  options: DetectorOptions = {},
): Detect {
  validate(ids, options)
  const p = plan(ids, options.maxScan ?? DEFAULT_MAX_SCAN)
  return (text) => scan(text, p)
}
