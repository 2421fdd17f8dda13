#!/usr/bin/env node
// Install smoke test: packs @rampart/core and the adapters with `pnpm pack`, installs them with
// plain npm into fresh apps outside the workspace (one per framework), type-checks each app
// with tsc against the installed packages, starts it and makes requests through it.
// See README.md beside this file. Usage: node tooling/smoke/run.mjs [--skip-build] [--keep]
// [express] [koa] [hono]
import { spawn } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const HERE = dirname(fileURLToPath(import.meta.url))
const ROOT = resolve(HERE, '..', '..')
const IS_WINDOWS = process.platform === 'win32'

/** Upper bounds for every wait (ms). */
const TIMEOUT = {
  build: 300_000,
  pack: 120_000,
  tar: 60_000,
  install: 300_000,
  tsc: 180_000,
  start: 20_000,
  request: 10_000,
  stop: 5_000,
  total: 900_000,
}

/**
 * Feature packages installed into every app beside core and the adapter, as folder under
 * packages/ and package name, e.g. `{ dir: 'headers', name: '@rampart/headers' }`. Add one here
 * once it is publishable, then use one of its guards in apps/*.ts and assert on it below.
 */
const FEATURES = [
  { dir: 'headers', name: '@rampart/headers' },
  { dir: 'rate-limiter', name: '@rampart/rate-limiter' },
  { dir: 'redis', name: '@rampart/redis' },
  { dir: 'lockout', name: '@rampart/lockout' },
  { dir: 'sanitizer', name: '@rampart/sanitizer' },
  { dir: 'redactor', name: '@rampart/redactor' },
  { dir: 'signer', name: '@rampart/signer' },
  { dir: 'rbac', name: '@rampart/rbac' },
]

/** Workspace packages to pack: folder under packages/ and package name. */
const PACKAGES = [
  { dir: 'core', name: '@rampart/core' },
  ...FEATURES,
  { dir: 'express', name: '@rampart/express' },
  { dir: 'koa', name: '@rampart/koa' },
  { dir: 'hono', name: '@rampart/hono' },
]

/**
 * One fresh app per framework: the adapter tarball (plus core's) and what a TypeScript user of
 * that framework installs from the registry.
 */
const FRAMEWORKS = {
  express: {
    adapter: 'express',
    install: ['express@5', '@types/express@5', '@types/node@20', 'ioredis@6'],
  },
  koa: { adapter: 'koa', install: ['koa@3', '@types/koa@3', '@types/node@20', 'ioredis@6'] },
  hono: {
    adapter: 'hono',
    install: ['hono@4', '@hono/node-server@2', '@types/node@20', 'ioredis@6'],
  },
}

const STAGED_HEADER = 'x-rampart-smoke'
const PROBLEM_JSON = 'application/problem+json'

// ---------------------------------------------------------------------------------------------
// Arguments

const args = process.argv.slice(2)
const flags = new Set(args.filter((a) => a.startsWith('--')))
for (const flag of flags) {
  if (!['--skip-build', '--keep', '--help'].includes(flag)) fatal(`unknown option ${flag}`)
}
if (flags.has('--help')) {
  console.log('usage: node tooling/smoke/run.mjs [--skip-build] [--keep] [express] [koa] [hono]')
  process.exit(0)
}
const selected = args.filter((a) => !a.startsWith('--'))
for (const name of selected) if (!(name in FRAMEWORKS)) fatal(`unknown framework ${name}`)
const frameworks = selected.length > 0 ? selected : Object.keys(FRAMEWORKS)

// ---------------------------------------------------------------------------------------------
// Process bookkeeping and cleanup: every child is tracked and killed, the temp dir removed, on
// success, failure, an exception, Ctrl-C or the overall timeout.

/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set()
/** @type {string | undefined} */
let workDir
let cleanedUp = false

function killTree(child, signal) {
  if (child.exitCode !== null || child.signalCode !== null) return
  try {
    // Children run in their own process group (POSIX), so this also reaches grandchildren
    // (npm's own workers, a server started by a shell).
    if (!IS_WINDOWS && child.pid !== undefined) process.kill(-child.pid, signal)
    else child.kill(signal)
  } catch {
    try {
      child.kill(signal)
    } catch {
      // already gone
    }
  }
}

function cleanup() {
  if (cleanedUp) return
  cleanedUp = true
  for (const child of children) killTree(child, 'SIGKILL')
  children.clear()
  if (workDir !== undefined) {
    if (flags.has('--keep')) console.log(`kept ${workDir}`)
    else rmSync(workDir, { recursive: true, force: true, maxRetries: 3 })
  }
}

process.on('exit', cleanup)
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    console.error(`\nsmoke: ${signal}, cleaning up`)
    cleanup()
    process.exit(signal === 'SIGINT' ? 130 : 143)
  })
}
const overall = setTimeout(() => {
  console.error(`smoke: FAIL — overall timeout of ${TIMEOUT.total / 1000}s exceeded`)
  cleanup()
  process.exit(1)
}, TIMEOUT.total)
overall.unref()

function fatal(message) {
  console.error(`smoke: ${message}`)
  process.exit(2)
}

/**
 * The environment for npm and the apps: without the npm_/pnpm_ variables `pnpm run` injects
 * (they would make npm warn or behave differently from a plain `npm install`), keeping the
 * ones a user or CI sets on purpose to reach their registry.
 */
function cleanEnv() {
  const keep =
    /^npm_config_(registry|cache|userconfig|globalconfig|cafile|proxy|https_proxy|noproxy|strict_ssl|@.*:registry)$/i
  const env = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm|pnpm)_/i.test(key) && !keep.test(key)) continue
    if (key === 'NODE_OPTIONS' || key === 'INIT_CWD') continue
    env[key] = value
  }
  return env
}

/**
 * Runs a command to completion, bounded by a timeout, and collects its output.
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string }>}
 */
function run(command, commandArgs, { cwd, timeout, env = process.env }) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, commandArgs, {
      cwd,
      env,
      detached: !IS_WINDOWS,
      shell: IS_WINDOWS,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    children.add(child)
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d
    })
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d
    })
    const timer = setTimeout(() => {
      killTree(child, 'SIGKILL')
      reject(
        new Error(
          `${command} ${commandArgs.join(' ')} timed out after ${timeout / 1000}s\n${tail(stderr || stdout)}`,
        ),
      )
    }, timeout)
    child.on('error', (error) => {
      clearTimeout(timer)
      children.delete(child)
      reject(error)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      children.delete(child)
      resolvePromise({ code, stdout, stderr })
    })
  })
}

/** Like {@link run}, but a non-zero exit is an error carrying the output's tail. */
async function runOk(command, commandArgs, options) {
  const result = await run(command, commandArgs, options)
  if (result.code !== 0) {
    throw new Error(
      `${command} ${commandArgs.join(' ')} exited with ${result.code}\n${tail(`${result.stdout}\n${result.stderr}`)}`,
    )
  }
  return result
}

function tail(text, lines = 40) {
  return text
    .trim()
    .split('\n')
    .filter((line) => !/^npm warn Unknown (user|env|project) config/.test(line))
    .slice(-lines)
    .map((line) => `    | ${line}`)
    .join('\n')
}

function seconds(since) {
  return `${((performance.now() - since) / 1000).toFixed(1)}s`
}

function check(condition, message) {
  if (!condition) throw new Error(message)
}

// ---------------------------------------------------------------------------------------------
// Build and pack

async function build() {
  const filters = PACKAGES.flatMap((p) => ['--filter', p.name])
  await runOk('pnpm', ['turbo', 'run', 'build', ...filters, '--output-logs=errors-only'], {
    cwd: ROOT,
    timeout: TIMEOUT.build,
  })
}

/** Every string an `exports` value points at. */
function exportTargets(value) {
  if (typeof value === 'string') return [value]
  if (value === null || typeof value !== 'object') return []
  return Object.values(value).flatMap(exportTargets)
}

/** Files under a directory, relative and with forward slashes. */
function listFiles(dir, prefix = '') {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? listFiles(join(dir, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  )
}

/**
 * Packs one package with `pnpm pack` and checks the tarball itself: workspace: ranges rewritten,
 * only dist/ plus the manifest and docs, no tests, maps or sources, every export target present,
 * a .d.ts beside every .js, and no stale build output without a source file.
 */
async function packAndVerify(pkg, tarballs, coreVersion) {
  const packageDir = join(ROOT, 'packages', pkg.dir)
  const { stdout } = await runOk('pnpm', ['pack', '--json', '--pack-destination', tarballs], {
    cwd: packageDir,
    timeout: TIMEOUT.pack,
  })
  const packed = JSON.parse(stdout.slice(stdout.indexOf('{')))
  const tarball = isAbsolute(packed.filename) ? packed.filename : join(tarballs, packed.filename)
  check(existsSync(tarball), `${pkg.name}: pnpm pack reported ${tarball}, which does not exist`)

  const extracted = join(tarballs, `${pkg.dir}-contents`)
  rmSync(extracted, { recursive: true, force: true })
  mkdirSync(extracted)
  await runOk('tar', ['-xzf', tarball, '-C', extracted, '--strip-components=1'], {
    cwd: tarballs,
    timeout: TIMEOUT.tar,
  })

  const manifest = JSON.parse(readFileSync(join(extracted, 'package.json'), 'utf8'))
  const files = listFiles(extracted).sort()
  const problems = []

  for (const field of [
    'dependencies',
    'peerDependencies',
    'optionalDependencies',
    'devDependencies',
  ]) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
      if (/^(workspace|catalog|link|file):/.test(range))
        problems.push(`${field}.${dep} is still "${range}" in the tarball`)
    }
  }
  if (pkg.dir !== 'core') {
    const range = manifest.dependencies?.['@rampart/core']
    if (range !== `^${coreVersion}`)
      problems.push(`dependencies.@rampart/core is "${range}", expected "^${coreVersion}"`)
  }
  if (manifest.private === true) problems.push('the manifest says private: true')

  const docs = /^(package\.json|README(\.md)?|LICEN[CS]E(\.md|\.txt)?|CHANGELOG\.md)$/i
  for (const file of files) {
    if (!file.startsWith('dist/') && !docs.test(file)) problems.push(`unexpected file ${file}`)
    if (/\.test(-d)?\.|\.spec\./.test(file)) problems.push(`test file ${file}`)
    if (/\.map$|\.tsbuildinfo$/.test(file)) problems.push(`build artefact ${file}`)
  }
  const fileSet = new Set(files)
  const targets = [
    ...exportTargets(manifest.exports),
    manifest.main,
    manifest.types,
    manifest.module,
  ].filter((t) => typeof t === 'string')
  for (const target of new Set(targets)) {
    if (!fileSet.has(target.replace(/^\.\//, ''))) problems.push(`export target ${target} missing`)
  }
  const sourceDir = join(packageDir, 'src')
  for (const file of files.filter((f) => f.startsWith('dist/') && f.endsWith('.js'))) {
    const stem = file.slice('dist/'.length, -'.js'.length)
    if (!fileSet.has(`dist/${stem}.d.ts`)) problems.push(`${file} has no ${stem}.d.ts`)
    if (!['.ts', '.mts', '.tsx'].some((ext) => existsSync(join(sourceDir, stem + ext))))
      problems.push(`${file} has no source in src/ (stale build output? rebuild from a clean dist)`)
  }

  if (problems.length > 0) {
    throw new Error(`${pkg.name} tarball:\n${problems.map((p) => `    - ${p}`).join('\n')}`)
  }
  return { tarball, version: manifest.version, fileCount: files.length, manifest }
}

// ---------------------------------------------------------------------------------------------
// One app per framework

/** Reads the app's first stdout line `{"port":N}`, bounded by a timeout. */
function startApp(appDir, log) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['app.js'], {
      cwd: appDir,
      env: cleanEnv(),
      detached: !IS_WINDOWS,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    children.add(child)
    let stdout = ''
    let stderr = ''
    let settled = false
    const fail = (message) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      killTree(child, 'SIGKILL')
      reject(new Error(`${message}\n${tail(`${stdout}\n${stderr}`)}`))
    }
    const timer = setTimeout(
      () => fail(`the app did not report its port within ${TIMEOUT.start / 1000}s`),
      TIMEOUT.start,
    )
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d
    })
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d
      const line = stdout.split('\n').find((l) => l.startsWith('{"port":'))
      if (line === undefined || settled) return
      settled = true
      clearTimeout(timer)
      const { port } = JSON.parse(line)
      log(`listening on 127.0.0.1:${port} (pid ${child.pid})`)
      resolvePromise({ child, port, output: () => `${stdout}\n${stderr}` })
    })
    child.on('error', (error) => fail(`could not start the app: ${error.message}`))
    child.on('exit', (code, signal) => {
      children.delete(child)
      fail(`the app exited early (code ${code}, signal ${signal})`)
    })
  })
}

function stopApp(child) {
  return new Promise((resolvePromise) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolvePromise()
      return
    }
    const timer = setTimeout(() => {
      killTree(child, 'SIGKILL')
      resolvePromise()
    }, TIMEOUT.stop)
    child.once('exit', () => {
      clearTimeout(timer)
      children.delete(child)
      resolvePromise()
    })
    killTree(child, 'SIGTERM')
  })
}

/** The HMAC secret apps/guards.ts verifies signed POST /orders requests with. */
const SMOKE_SIGNING_SECRET = new TextEncoder().encode('smoke-signing-secret-of-32-bytes')
/** The key guards.ts gives the `reader` role: its signature verifies, its role cannot create orders. */
const SMOKE_READER_SECRET = new TextEncoder().encode('smoke-reader-secret-of-32-bytes!')

/** Sends a signed request; the answer as status and JSON body. */
async function sendSigned(request) {
  const response = await fetch(request, { signal: AbortSignal.timeout(TIMEOUT.request) })
  const text = await response.text()
  try {
    return { status: response.status, body: JSON.parse(text) }
  } catch {
    throw new Error(`POST /orders: ${response.status}, body is not JSON: ${text.slice(0, 200)}`)
  }
}

/** The secret GET /boom sends in its query and header, and apps/guards.ts puts in the error. */
const SMOKE_SECRET = 'hunter2-smoke-secret'

/** The app's JSON log lines (`{ kind, entry }`) once `ready(kinds)` holds, or after 5 s. */
async function waitForLines(app, ready) {
  const deadline = Date.now() + 5_000
  for (;;) {
    const lines = app
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{"kind":'))
      .map((line) => JSON.parse(line))
    if (ready(new Set(lines.map((l) => l.kind))) || Date.now() > deadline) return lines
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

async function request(port, path, headers = {}) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    headers: { connection: 'close', ...headers },
    signal: AbortSignal.timeout(TIMEOUT.request),
  })
  const text = await response.text()
  let body
  try {
    body = JSON.parse(text)
  } catch {
    throw new Error(`GET ${path}: ${response.status}, body is not JSON: ${text.slice(0, 200)}`)
  }
  return { status: response.status, headers: response.headers, body }
}

/** The tsc pinned by the workspace (root devDependency), run against the app's node_modules. */
function tscPath() {
  const require = createRequire(join(ROOT, 'package.json'))
  return require.resolve('typescript/bin/tsc')
}

async function smokeApp(framework, tarballs) {
  const spec = FRAMEWORKS[framework]
  const started = performance.now()
  const steps = []
  const log = (message) => console.log(`[${framework}] ${message}`)

  const appDir = join(workDir, `${framework}-app`)
  rmSync(appDir, { recursive: true, force: true })
  mkdirSync(appDir, { recursive: true })
  writeFileSync(
    join(appDir, 'package.json'),
    `${JSON.stringify({ name: `rampart-smoke-${framework}`, version: '0.0.0', private: true, type: 'module' }, null, 2)}\n`,
  )

  // 1. Plain npm, outside the workspace: core + this one adapter, from the tarballs.
  let t = performance.now()
  await runOk(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      tarballs.core,
      ...FEATURES.map((f) => tarballs[f.dir]),
      tarballs[spec.adapter],
      ...spec.install,
    ],
    { cwd: appDir, timeout: TIMEOUT.install, env: cleanEnv() },
  )
  const lock = JSON.parse(readFileSync(join(appDir, 'package-lock.json'), 'utf8'))
  const ours = ['core', ...FEATURES.map((f) => f.dir), spec.adapter]
  const installed = Object.keys(lock.packages).filter((p) => p.includes('node_modules/@rampart/'))
  check(
    installed.sort().join(',') ===
      ours
        .map((name) => `node_modules/@rampart/${name}`)
        .sort()
        .join(','),
    `expected exactly ${ours.map((n) => `@rampart/${n}`).join(', ')} installed (once each), got ${installed.join(', ')}`,
  )
  for (const name of ours) {
    const entry = lock.packages[`node_modules/@rampart/${name}`]
    check(
      entry.resolved?.startsWith('file:'),
      `@rampart/${name} did not come from the packed tarball (resolved: ${entry.resolved})`,
    )
  }
  const frameworkVersion = JSON.parse(
    readFileSync(join(appDir, 'node_modules', framework, 'package.json'), 'utf8'),
  ).version
  steps.push(`install ${seconds(t)}`)
  log(`npm install ok in ${seconds(t)} (${framework}@${frameworkVersion})`)

  // 2. Types: strict tsc in NodeNext mode against the installed packages. It also emits app.js
  // (tsc emits even with type errors, so the request checks below still run and report).
  t = performance.now()
  writeFileSync(join(appDir, 'app.ts'), readFileSync(join(HERE, 'apps', `${framework}.ts`)))
  writeFileSync(join(appDir, 'guards.ts'), readFileSync(join(HERE, 'apps', 'guards.ts')))
  const tsc = await run(
    process.execPath,
    [
      tscPath(),
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2022',
      '--strict',
      '--pretty',
      'false',
      'app.ts',
    ],
    { cwd: appDir, timeout: TIMEOUT.tsc, env: cleanEnv() },
  )
  const typeErrors = tsc.code === 0 ? undefined : tail(`${tsc.stdout}\n${tsc.stderr}`)
  if (typeErrors === undefined) {
    steps.push('types ok')
    log(`tsc --strict (nodenext) ok in ${seconds(t)}`)
  } else {
    log(`tsc --strict (nodenext) FAILED:\n${typeErrors}`)
  }
  check(existsSync(join(appDir, 'app.js')), 'tsc produced no app.js')

  // 3. Requests through the running app.
  const app = await startApp(appDir, log)
  try {
    const ok = await request(app.port, '/ok')
    check(
      ok.status === 200,
      `GET /ok: status ${ok.status}, expected 200 (${JSON.stringify(ok.body)})`,
    )
    check(
      ok.headers.get(STAGED_HEADER) === 'staged',
      `GET /ok: staged header ${STAGED_HEADER} is ${JSON.stringify(ok.headers.get(STAGED_HEADER))}, expected "staged"`,
    )
    check(
      ok.body.seen === 'ip=127.0.0.1',
      `GET /ok: state read with getState() is ${JSON.stringify(ok.body.seen)}, expected "ip=127.0.0.1"`,
    )
    const csp = ok.headers.get('content-security-policy') ?? ''
    check(
      typeof ok.body.nonce === 'string' && csp.includes(`'nonce-${ok.body.nonce}'`),
      `GET /ok: CSP nonce from @rampart/headers (${JSON.stringify(ok.body.nonce)}) not in ${JSON.stringify(csp)}`,
    )
    check(
      ok.headers.get('x-frame-options') === 'SAMEORIGIN',
      `GET /ok: X-Frame-Options is ${JSON.stringify(ok.headers.get('x-frame-options'))}, expected helmet's SAMEORIGIN`,
    )
    steps.push('GET /ok 200 + header + state + CSP nonce')
    log(`GET /ok -> 200, ${STAGED_HEADER}: staged, body ${JSON.stringify(ok.body)}`)

    const denied = await request(app.port, '/denied')
    const contentType = denied.headers.get('content-type') ?? ''
    check(denied.status === 403, `GET /denied: status ${denied.status}, expected 403`)
    check(
      contentType.startsWith(PROBLEM_JSON),
      `GET /denied: content-type "${contentType}", expected ${PROBLEM_JSON}`,
    )
    check(
      denied.body.status === 403 && String(denied.body.type).endsWith('ip-denied'),
      `GET /denied: problem body ${JSON.stringify(denied.body)}`,
    )
    check(denied.body.reached === undefined, 'GET /denied: the handler ran after a denial')
    check(
      denied.headers.get(STAGED_HEADER) === null,
      'GET /denied: a guard after the denying one ran (its staged header is present)',
    )
    steps.push('GET /denied 403 problem+json')

    // @rampart/rate-limiter on @rampart/redis (REDIS_URL): two admitted, the third refused.
    const limited = []
    for (let i = 0; i < 3; i++) limited.push(await request(app.port, '/limited'))
    const [first, second, third] = limited
    check(
      first.status === 200 && second.status === 200,
      `GET /limited: statuses ${limited.map((r) => r.status).join(', ')}, expected 200, 200, 429`,
    )
    check(
      first.body.remaining === 1 && second.body.remaining === 0,
      `GET /limited: remaining ${first.body.remaining}, ${second.body.remaining} from getState(rateLimitInfo), expected 1, 0`,
    )
    check(
      /^"2-per-1m";r=1;t=\d+$/.test(first.headers.get('ratelimit') ?? ''),
      `GET /limited: RateLimit header ${JSON.stringify(first.headers.get('ratelimit'))}`,
    )
    check(
      third.status === 429 && (third.headers.get('content-type') ?? '').startsWith(PROBLEM_JSON),
      `GET /limited (third): status ${third.status}, content-type ${third.headers.get('content-type')}`,
    )
    check(
      String(third.body.type).endsWith('rate-limited') &&
        Number(third.headers.get('retry-after')) >= 1,
      `GET /limited (third): problem ${JSON.stringify(third.body)}, Retry-After ${third.headers.get('retry-after')}`,
    )
    steps.push('GET /limited 200, 200, 429 on Redis')
    log(
      `GET /limited x3 -> ${limited.map((r) => r.status).join(', ')}, RateLimit: ${first.headers.get('ratelimit')}`,
    )
    log(`GET /denied -> 403 ${contentType}, type ${denied.body.type}`)

    // @rampart/lockout on @rampart/redis: two wrong passwords reserve the pair's two attempts,
    // so even the right password is refused next.
    const logins = []
    for (const password of ['wrong', 'wrong', 'smoke-password']) {
      logins.push(await request(app.port, `/login?user=Smoke.User&password=${password}`))
    }
    const statuses = logins.map((r) => r.status).join(', ')
    const locked = logins[2]
    check(
      statuses === '401, 401, 429',
      `GET /login x3: statuses ${statuses}, expected 401, 401, 429`,
    )
    check(
      String(locked.body.type).endsWith('too-many-attempts') &&
        Number(locked.headers.get('retry-after')) >= 1,
      `GET /login (third): problem ${JSON.stringify(locked.body)}, Retry-After ${locked.headers.get('retry-after')}`,
    )
    steps.push('GET /login 401, 401, 429 on Redis')

    // @rampart/sanitizer: a repeated parameter resolved (last wins) wherever the handler reads
    // it; a NUL byte refused with a problem naming the rule and the path.
    const search = await request(app.port, '/search?q=first&q=last')
    check(
      search.status === 200 && search.body.q === 'last' && search.body.again === 'last',
      `GET /search?q=first&q=last: ${search.status} ${JSON.stringify(search.body)}, expected q and again 'last'`,
    )
    const nul = await request(app.port, '/search?q=a%00b')
    check(
      nul.status === 400 && nul.body.code === 'nul-byte' && nul.body.path === 'query.q',
      `GET /search?q=a%00b: ${nul.status} ${JSON.stringify(nul.body)}, expected 400 nul-byte at query.q`,
    )
    steps.push('GET /search sanitised, NUL refused')

    // @rampart/redactor: a handler's error answers a 500 problem with only a request id; the log
    // line (JSON on the app's stdout) holds the whole error with that id, and an access-log line
    // the request; the secret sent in the query, a header and the error is in none of them.
    const boom = await request(app.port, `/boom?token=${SMOKE_SECRET}`, {
      authorization: `Bearer ${SMOKE_SECRET}`,
    })
    const id = boom.headers.get('x-request-id')
    check(
      boom.status === 500 &&
        (boom.headers.get('content-type') ?? '').startsWith(PROBLEM_JSON) &&
        String(boom.body.type).endsWith('internal-error') &&
        typeof id === 'string' &&
        boom.body.requestId === id &&
        !JSON.stringify(boom.body).includes('db connect'),
      `GET /boom: ${boom.status} ${JSON.stringify(boom.body)}, x-request-id ${id}, expected a bare 500 problem quoting the id`,
    )
    const lines = await waitForLines(app, (kinds) => kinds.has('error') && kinds.has('access'))
    const errorLine = lines.find((l) => l.kind === 'error')
    const accessLine = lines.find((l) => l.kind === 'access' && l.entry.path === '/boom')
    check(
      errorLine?.entry.requestId === id &&
        errorLine.entry.error.message === 'db connect failed' &&
        errorLine.entry.error.password === '[REDACTED]',
      `GET /boom: error log line ${JSON.stringify(errorLine)}, expected the redacted error with id ${id}`,
    )
    check(
      accessLine?.entry.status === 500 &&
        accessLine.entry.headers.authorization === '[REDACTED]' &&
        accessLine.entry.query.token === '[REDACTED]',
      `GET /boom: access log line ${JSON.stringify(accessLine)}, expected status 500 and redacted authorization and token`,
    )
    check(
      !app.output().includes(SMOKE_SECRET),
      `GET /boom: the secret reached the app's output:\n${tail(app.output())}`,
    )
    steps.push('GET /boom 500 problem, redacted error and access lines')

    // @rampart/signer: an RFC 9421-signed POST (signed here with the workspace build, as a
    // client would) verifies over the raw body and reaches the handler with the key's principal;
    // the same request again is a replay, and a changed body a digest mismatch.
    const { signRequest } = await import(join(ROOT, 'packages', 'signer', 'dist', 'index.js'))
    const order = '{"sku":  "A-1", "qty": 2}'
    const signedPost = await signRequest(
      new Request(`http://127.0.0.1:${app.port}/orders?dry=1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: order,
      }),
      { key: { id: 'smoke-partner', alg: 'hmac-sha256', key: SMOKE_SIGNING_SECRET } },
    )
    const accepted = await sendSigned(signedPost.clone())
    check(
      accepted.status === 200 &&
        accepted.body.principal === 'smoke-partner' &&
        accepted.body.order?.qty === 2,
      `POST /orders signed: ${accepted.status} ${JSON.stringify(accepted.body)}, expected 200 with principal smoke-partner`,
    )
    const replayed = await sendSigned(signedPost.clone())
    const swapped = await sendSigned(
      new Request(signedPost.url, {
        method: 'POST',
        headers: signedPost.headers,
        body: order.replace('2', '9'),
      }),
    )
    check(
      replayed.status === 401 &&
        replayed.body.code === 'replayed' &&
        swapped.status === 401 &&
        swapped.body.code === 'digest-mismatch',
      `POST /orders again / with a swapped body: ${replayed.status} ${replayed.body.code}, ${swapped.status} ${swapped.body.code}, expected 401 replayed, 401 digest-mismatch`,
    )
    steps.push('POST /orders signed 200, replay and swapped body 401')

    // @rampart/rbac: the verified key's principal decides. A valid signature by a key whose
    // role may only read orders gets rbac's 403, and the handler never runs.
    const byReader = await sendSigned(
      await signRequest(
        new Request(`http://127.0.0.1:${app.port}/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: order,
        }),
        { key: { id: 'smoke-reader', alg: 'hmac-sha256', key: SMOKE_READER_SECRET } },
      ),
    )
    check(
      byReader.status === 403 && byReader.body.type === 'urn:rampart:problem:forbidden',
      `POST /orders signed by a reader key: ${byReader.status} ${JSON.stringify(byReader.body)}, expected 403 forbidden`,
    )
    steps.push('POST /orders by a reader key 403 (rbac)')
    log(`GET /login x3 -> ${statuses}`)
  } catch (error) {
    error.message += `\n  app output:\n${tail(app.output())}`
    throw error
  } finally {
    await stopApp(app.child)
  }

  if (typeErrors !== undefined) throw new Error(`type check failed:\n${typeErrors}`)
  return `${steps.join(', ')} (${seconds(started)})`
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  const started = performance.now()
  console.log(`smoke: node ${process.version}, frameworks: ${frameworks.join(', ')}`)

  if (!flags.has('--skip-build')) {
    const t = performance.now()
    await build()
    console.log(`smoke: built ${PACKAGES.map((p) => p.name).join(', ')} in ${seconds(t)}`)
  }

  workDir = mkdtempSync(join(tmpdir(), 'rampart-smoke-'))
  const fromRoot = relative(ROOT, workDir)
  check(
    fromRoot.startsWith(`..${sep}`) || isAbsolute(fromRoot),
    `the temp dir ${workDir} is inside the workspace ${ROOT}; set TMPDIR elsewhere`,
  )
  check(
    !existsSync(join(dirname(workDir), 'package.json')) &&
      !existsSync(join(dirname(workDir), 'node_modules')),
    `${dirname(workDir)} has a package.json or node_modules that npm/node could pick up`,
  )
  console.log(`smoke: working in ${workDir}`)

  const tarballDir = join(workDir, 'tarballs')
  mkdirSync(tarballDir)
  const t = performance.now()
  const coreVersion = JSON.parse(
    readFileSync(join(ROOT, 'packages', 'core', 'package.json'), 'utf8'),
  ).version
  const packed = await Promise.all(
    PACKAGES.filter((p) => !(p.dir in FRAMEWORKS) || frameworks.includes(p.dir)).map(
      async (pkg) => [pkg.dir, await packAndVerify(pkg, tarballDir, coreVersion)],
    ),
  )
  const tarballs = {}
  for (const [dir, info] of packed) {
    tarballs[dir] = info.tarball
    const core = info.manifest.dependencies?.['@rampart/core']
    console.log(
      `smoke: packed ${info.manifest.name}@${info.version}: ${info.fileCount} files` +
        `${core === undefined ? '' : `, depends on @rampart/core ${core}`}`,
    )
  }
  console.log(`smoke: tarballs verified in ${seconds(t)}`)

  // The apps are independent: install and run them side by side (npm's cache is shared, so
  // the registry packages they have in common are downloaded once).
  const results = await Promise.allSettled(frameworks.map((f) => smokeApp(f, tarballs)))

  console.log('')
  let failed = 0
  results.forEach((result, i) => {
    const name = frameworks[i].padEnd(7)
    if (result.status === 'fulfilled') console.log(`PASS ${name} ${result.value}`)
    else {
      failed++
      console.log(`FAIL ${name} ${result.reason?.message ?? result.reason}`)
    }
  })
  console.log(
    `\nsmoke: ${failed === 0 ? 'PASS' : 'FAIL'} — ${frameworks.length - failed}/${frameworks.length} frameworks in ${seconds(started)}`,
  )
  return failed === 0 ? 0 : 1
}

let exitCode = 1
try {
  exitCode = await main()
} catch (error) {
  console.error(`\nsmoke: FAIL — ${error?.message ?? error}`)
  exitCode = 1
} finally {
  cleanup()
}
process.exit(exitCode)
