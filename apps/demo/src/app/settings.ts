/**
 * Everything the demo can be told, with the defaults a newcomer gets: framework, port, stores,
 * secrets and limits. `settingsFrom()` reads them from the command line and the environment,
 * and refuses a bad value at start-up with a message naming it.
 * @module
 */

/** Frameworks the demo can run on. */
export const FRAMEWORKS = ['express', 'koa', 'hono'] as const
/** One of {@link FRAMEWORKS}. */
export type Framework = (typeof FRAMEWORKS)[number]

/** Loopback and private networks: where a newcomer's browser and curl come from. */
export const DEFAULT_ALLOW = [
  '127.0.0.0/8',
  '::1',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  'fc00::/7',
]

/** How the demo runs. */
export interface DemoSettings {
  readonly framework: Framework
  readonly port: number
  readonly host: string
  /** With it, limits, lockouts and signature nonces live in Redis (shared by instances). */
  readonly redisUrl?: string
  /** Prefix of every key the demo writes to Redis (`DEMO_STORE_PREFIX`). */
  readonly storePrefix: string
  /** Signs session tokens; instances that share it accept each other's sessions. */
  readonly sessionSecret?: string
  /** Keys the lockout's store keys (HMAC of the user name); needed to share lockouts. */
  readonly lockoutSecret?: string
  /** Client networks let in. */
  readonly allow: readonly string[]
  /** API requests per minute per client (the source guides' 100). */
  readonly perMinute: number
  /** Login requests per minute per client address. */
  readonly loginPerMinute: number
  /** Standard Webhooks secret (`whsec_…`) of the outgoing-webhooks demo. */
  readonly webhookSecret?: string
  /** Log level of the pino logger (`silent` in tests). */
  readonly logLevel: string
}

/** The defaults of every setting but the framework's choice. */
export const DEFAULT_SETTINGS: DemoSettings = {
  framework: 'hono',
  port: 3000,
  host: '::',
  storePrefix: 'rampart-demo:',
  allow: DEFAULT_ALLOW,
  perMinute: 100,
  loginPerMinute: 10,
  logLevel: 'info',
}

/** A setting that cannot be used, named. */
export class SettingsError extends Error {
  override readonly name = 'SettingsError'
}

function positiveInt(name: string, value: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new SettingsError(`${name} must be a positive whole number, got '${value}'`)
  }
  return n
}

function port(value: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || n > 65_535) {
    throw new SettingsError(`--port must be 0–65535, got '${value}'`)
  }
  return n
}

function minLength(name: string, value: string | undefined, min: number): string | undefined {
  if (value !== undefined && value.length < min) {
    throw new SettingsError(`${name} must be at least ${min} characters`)
  }
  return value
}

/** Options given on the command line (strings, as `parseArgs` returns them). */
export interface SettingsArgs {
  readonly framework?: string
  readonly port?: string
  readonly host?: string
}

/** The settings from the command line and the environment (`PORT`, `REDIS_URL`, `DEMO_*`). */
export function settingsFrom(args: SettingsArgs, env: NodeJS.ProcessEnv): DemoSettings {
  const framework = (args.framework ?? DEFAULT_SETTINGS.framework) as Framework
  if (!FRAMEWORKS.includes(framework)) {
    throw new SettingsError(
      `--framework must be one of ${FRAMEWORKS.join(', ')}, got '${args.framework}'`,
    )
  }
  const allow = env.DEMO_ALLOW?.split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  const webhookSecret = env.DEMO_WEBHOOK_SECRET
  if (webhookSecret !== undefined && !webhookSecret.startsWith('whsec_')) {
    throw new SettingsError('DEMO_WEBHOOK_SECRET must be a Standard Webhooks secret (whsec_…)')
  }
  return {
    framework,
    port: port(args.port ?? env.PORT ?? String(DEFAULT_SETTINGS.port)),
    host: args.host ?? env.HOST ?? DEFAULT_SETTINGS.host,
    redisUrl: env.REDIS_URL || undefined,
    storePrefix: env.DEMO_STORE_PREFIX ?? DEFAULT_SETTINGS.storePrefix,
    sessionSecret: minLength('DEMO_SESSION_SECRET', env.DEMO_SESSION_SECRET, 32),
    lockoutSecret: minLength('DEMO_LOCKOUT_SECRET', env.DEMO_LOCKOUT_SECRET, 16),
    allow: allow?.length ? allow : DEFAULT_ALLOW,
    perMinute: env.DEMO_PER_MINUTE
      ? positiveInt('DEMO_PER_MINUTE', env.DEMO_PER_MINUTE)
      : DEFAULT_SETTINGS.perMinute,
    loginPerMinute: env.DEMO_LOGIN_PER_MINUTE
      ? positiveInt('DEMO_LOGIN_PER_MINUTE', env.DEMO_LOGIN_PER_MINUTE)
      : DEFAULT_SETTINGS.loginPerMinute,
    webhookSecret,
    logLevel: env.LOG_LEVEL ?? DEFAULT_SETTINGS.logLevel,
  }
}
