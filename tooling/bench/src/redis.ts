/**
 * Redis throughput: checks per second of our Redis-backed limiter against rate-limit-redis and
 * rate-limiter-flexible's `RateLimiterRedis`, on the same Redis server, at concurrency 1 (one
 * check in flight: the round trip dominates) and 50 (many in flight on one connection: the
 * client's and the script's work dominate).
 *
 * Each side has its own ioredis connection. A measurement spreads N checks over 1,000 keys under
 * a key prefix of its own (fresh keys, nothing read from another measurement); `concurrency`
 * workers each await one check at a time. Sides run in ABBA order over rounds (reversed every
 * other round) and the median is reported. The keys live one window (a minute) and are deleted
 * at the end.
 *
 * Redis runs on the same machine: its CPU competes with the client's, so absolute numbers say
 * little; the ratios between sides (same server, same connection settings) are the point.
 * @module
 */
import { Redis, type RedisOptions } from 'ioredis'
import { formatNumber, markdownTable } from './markdown.js'
import { Rejection } from './micro.js'
import { ipv4Keys } from './rate-limit/keys.js'
import { decision } from './rate-limit/memory-sides.js'
import { REDIS_SIDE_NAMES, REDIS_SIDES, type RedisSide, type RedisSideName } from './redis/sides.js'

export { REDIS_SIDES, type RedisSideName }

/** Settings of a Redis run. */
export interface RedisOptionsFromEnv {
  /** Server (`REDIS_URL`, default `redis://127.0.0.1:6379`). */
  readonly url: string
  /** Checks per measurement (`BENCH_REDIS_CHECKS`, default 20,000). */
  readonly checks: number
  /** Checks in flight per measurement (`BENCH_REDIS_CONCURRENCY`, default `1,50`). */
  readonly concurrency: readonly number[]
  /** Rounds per side and concurrency; the median is reported (`BENCH_ROUNDS`, default 2). */
  readonly rounds: number
}

/** Keys a measurement spreads its checks over. */
const KEYS = 1_000
/** A limit no run reaches: every check is admitted (and so counted). */
const LIMIT = 1_000_000_000
/** The window: longer than any measurement, short enough that leftovers expire soon. */
const WINDOW_MS = 60_000
/** Untimed checks per side before its first measurement (script load, JIT). */
const WARMUP_CHECKS = 500

function intFromEnv(name: string, value: string | undefined, fallback: number, max: number) {
  if (value === undefined || value === '') return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new RangeError(`${name}: expected a whole number from 1 to ${max}, received '${value}'`)
  }
  return n
}

/** Options from `REDIS_URL`, `BENCH_REDIS_CHECKS`, `BENCH_REDIS_CONCURRENCY`, `BENCH_ROUNDS`. */
export function redisOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): RedisOptionsFromEnv {
  const concurrency = (env.BENCH_REDIS_CONCURRENCY ?? '1,50')
    .split(',')
    .filter((s) => s.trim() !== '')
    .map((s) => intFromEnv('BENCH_REDIS_CONCURRENCY', s.trim(), 1, 1000))
  return {
    url: env.REDIS_URL || 'redis://127.0.0.1:6379',
    checks: intFromEnv('BENCH_REDIS_CHECKS', env.BENCH_REDIS_CHECKS, 20_000, 1_000_000),
    concurrency: concurrency.length > 0 ? concurrency : [1, 50],
    rounds: intFromEnv('BENCH_ROUNDS', env.BENCH_ROUNDS, 2, 10),
  }
}

/** One line describing the run, for captions. */
export function describeRedisOptions(options: RedisOptionsFromEnv, server?: string): string {
  const rounds = options.rounds > 1 ? `, median of ${options.rounds} rounds` : ''
  return `${server ?? 'Redis'} on the same machine; ${options.checks.toLocaleString('en-US')} checks over ${KEYS.toLocaleString('en-US')} keys per measurement, fixed window, every check admitted${rounds}; one ioredis connection per side`
}

/** Connection settings of every side: fail fast rather than queue or retry (as our README advises). */
const CLIENT_OPTIONS: RedisOptions = {
  lazyConnect: true,
  connectTimeout: 2000,
  maxRetriesPerRequest: 0,
  enableOfflineQueue: false,
  retryStrategy: () => null,
}

/** One side at one concurrency (medians over rounds). */
export interface RedisResult {
  readonly side: RedisSideName
  readonly concurrency: number
  readonly checksPerSec: number
  /** This process's CPU (user + system) per check, µs: the client side of a check. */
  readonly clientCpuMicros: number
  /** 99th percentile of one check's latency, µs. */
  readonly p99Micros: number
  /** Checks that failed (summed over rounds); anything but 0 invalidates the row. */
  readonly errors: number
}

interface Sample {
  checksPerSec: number
  clientCpuMicros: number
  p99Micros: number
  errors: number
}

/** Key prefixes of one run: `<run><side>:<measurement>:`, so every measurement starts fresh. */
type Prefixes = (side: RedisSideName, measurement: string) => string

/** N checks, `concurrency` in flight. Refusals are not expected (the limit is never reached). */
async function measure(
  side: RedisSide,
  keys: readonly string[],
  checks: number,
  concurrency: number,
) {
  const latencies = new Float64Array(checks)
  let next = 0
  let errors = 0
  const worker = async () => {
    while (next < checks) {
      const i = next++
      const started = performance.now()
      try {
        await side.check(keys[i % keys.length] as string)
      } catch {
        errors++
      }
      latencies[i] = performance.now() - started
    }
  }
  const cpu = process.cpuUsage()
  const started = performance.now()
  await Promise.all(Array.from({ length: concurrency }, worker))
  const elapsedMs = performance.now() - started
  const used = process.cpuUsage(cpu)
  latencies.sort()
  return {
    checksPerSec: (checks / elapsedMs) * 1000,
    clientCpuMicros: (used.user + used.system) / checks,
    p99Micros: (latencies[Math.floor(0.99 * (checks - 1))] as number) * 1000,
    errors,
  }
}

/**
 * Before timing: the same three checks on one key with a limit of 2 must give the same
 * decisions on every side (admitted, admitted, refused): they count the same way.
 */
async function checkSameDecisions(clients: Map<RedisSideName, Redis>, prefix: Prefixes) {
  const expected = ['allowed', 'allowed', 'denied']
  const decide = decision(2)
  for (const [name, client] of clients) {
    const side = await REDIS_SIDES[name].create(client, {
      limit: 2,
      windowMs: WINDOW_MS,
      prefix: prefix(name, 'check'),
    })
    const got: string[] = []
    for (let i = 0; i < 3; i++) {
      got.push(
        decide(await side.check('10.0.0.1').catch((reason: unknown) => new Rejection(reason))),
      )
    }
    if (got.join() !== expected.join()) {
      throw new Error(
        `redis: ${name} decided ${got.join(', ')} for three checks against a limit of 2, expected ${expected.join(', ')}`,
      )
    }
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** Deletes every key under the run's prefix (SCAN + UNLINK, in pages). */
async function cleanUp(client: Redis, pattern: string): Promise<void> {
  let cursor = '0'
  do {
    const [nextCursor, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000)
    cursor = nextCursor
    if (keys.length > 0) await client.unlink(...keys)
  } while (cursor !== '0')
}

/** The result of a run, or why it could not run. */
export type RedisRun =
  | { readonly ok: true; readonly results: RedisResult[]; readonly server: string }
  | { readonly ok: false; readonly reason: string }

/**
 * Runs every side at every concurrency, `rounds` times, or returns why not (Redis unreachable).
 */
export async function runRedisBench(
  options: RedisOptionsFromEnv = redisOptionsFromEnv(),
  log: (line: string) => void = () => {},
): Promise<RedisRun> {
  const clients = new Map<RedisSideName, Redis>()
  // The 'error' event says why (ECONNREFUSED ...); connect() only that the connection closed.
  let cause: Error | undefined
  try {
    for (const name of REDIS_SIDE_NAMES) {
      const client = new Redis(options.url, CLIENT_OPTIONS)
      client.on('error', (error: Error) => {
        cause ??= error
      })
      clients.set(name, client)
      await client.connect()
    }
  } catch (error) {
    for (const client of clients.values()) client.disconnect()
    return {
      ok: false,
      reason: `Redis is not reachable at ${options.url} (${(cause ?? (error as Error)).message}): skipped. Start one (\`redis-server --save '' --appendonly no\`) or set REDIS_URL.`,
    }
  }
  const first = clients.get('ours') as Redis
  const info = await first.info('server')
  const version = /redis_version:(\S+)/.exec(info)?.[1]
  const server = version === undefined ? 'Redis' : `Redis ${version}`
  const run = `rampart-bench:${Date.now().toString(36)}:${process.pid}:`
  const prefix: Prefixes = (side, measurement) => `${run}${side}:${measurement}:`
  try {
    await checkSameDecisions(clients, prefix)
    const keys = ipv4Keys(KEYS)
    const samples = new Map<string, Sample[]>()
    for (const name of REDIS_SIDE_NAMES) {
      const client = clients.get(name) as Redis
      const config = { limit: LIMIT, windowMs: WINDOW_MS, prefix: prefix(name, 'warmup') }
      const side = await REDIS_SIDES[name].create(client, config)
      await measure(side, keys, WARMUP_CHECKS, 10)
    }
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? REDIS_SIDE_NAMES : [...REDIS_SIDE_NAMES].reverse()
      for (const concurrency of options.concurrency) {
        for (const name of order) {
          log(`  round ${round + 1}/${options.rounds}: ${name}, concurrency ${concurrency}`)
          const client = clients.get(name) as Redis
          const side = await REDIS_SIDES[name].create(client, {
            limit: LIMIT,
            windowMs: WINDOW_MS,
            prefix: prefix(name, `r${round}c${concurrency}`),
          })
          const sample = await measure(side, keys, options.checks, concurrency)
          const key = `${name}\0${concurrency}`
          samples.set(key, [...(samples.get(key) ?? []), sample])
        }
      }
    }
    const results: RedisResult[] = []
    for (const concurrency of options.concurrency) {
      for (const side of REDIS_SIDE_NAMES) {
        const runs = samples.get(`${side}\0${concurrency}`) ?? []
        results.push({
          side,
          concurrency,
          checksPerSec: median(runs.map((s) => s.checksPerSec)),
          clientCpuMicros: median(runs.map((s) => s.clientCpuMicros)),
          p99Micros: median(runs.map((s) => s.p99Micros)),
          errors: runs.reduce((n, s) => n + s.errors, 0),
        })
      }
    }
    return { ok: true, results, server }
  } finally {
    await cleanUp(first, `${run}*`).catch(() => {})
    for (const client of clients.values()) client.disconnect()
  }
}

/**
 * The results as a markdown table, one row per side and concurrency: checks/s, ours ÷ that side,
 * this process's CPU per check and the p99 latency of one check; then, per concurrency, ours
 * against the best anchor (target: at least on par).
 */
export function formatRedis(results: readonly RedisResult[]): string {
  const find = (side: RedisSideName, concurrency: number) =>
    results.find((r) => r.side === side && r.concurrency === concurrency)
  const concurrencies = [...new Set(results.map((r) => r.concurrency))]
  const rows = results.map((r) => {
    const ours = find('ours', r.concurrency)
    return [
      String(r.concurrency),
      REDIS_SIDES[r.side].label,
      formatNumber(r.checksPerSec, 0),
      ours === undefined || r.side === 'ours'
        ? '—'
        : `**${(ours.checksPerSec / r.checksPerSec).toFixed(2)}×**`,
      `${formatNumber(r.clientCpuMicros, 1)} µs`,
      `${formatNumber(r.p99Micros, 0)} µs`,
      r.errors === 0 ? '0' : `**${r.errors}**`,
    ]
  })
  const table = markdownTable(
    [
      'concurrency',
      'limiter',
      'checks/s',
      'ours ÷ this',
      'client CPU/check',
      'p99 latency',
      'errors',
    ],
    rows,
    ['right', 'left', 'right', 'right', 'right', 'right', 'right'],
  )
  const lines = concurrencies.flatMap((c) => {
    const ours = find('ours', c)
    const anchors = results.filter((r) => r.concurrency === c && r.side !== 'ours')
    if (ours === undefined || anchors.length === 0) return []
    const best = anchors.reduce((a, b) => (b.checksPerSec > a.checksPerSec ? b : a))
    return [
      `concurrency ${c}: **ours ${(ours.checksPerSec / best.checksPerSec).toFixed(2)}× the best anchor** (${best.side})`,
    ]
  })
  return lines.length === 0 ? table : `${table}\n\n${lines.join('; ')} (target: at least 1.00×).`
}
