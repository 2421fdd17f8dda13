/**
 * Puts the demo together, framework-free: stores, users, sessions, logging, the event stream,
 * the app-wide guards and the route table. `src/http/*` hands the result to Express, Koa or Hono.
 * @module
 */
import type { Guard, SecurityEvent } from '@rampart/core'
import { verifySignature } from '@rampart/signer'
import type { DestinationStream } from 'pino'
import { apiClients } from '../domain/clients.js'
import { PartnerStore } from '../domain/partners.js'
import { Sessions } from '../domain/sessions.js'
import { UserStore } from '../domain/users.js'
import { EventHub, type StreamedEvent, sseMessage } from './event-hub.js'
import { appGuards, signedIn } from './guards.js'
import { createLogging, type DemoLogging } from './logging.js'
import { accountRoutes } from './routes/account.js'
import { loginRoute } from './routes/login.js'
import { pageRoutes } from './routes/page.js'
import { partnerRoutes } from './routes/partners.js'
import { productRoutes } from './routes/products.js'
import { randomWebhookSecret, webhookRoutes } from './routes/webhooks.js'
import type { DemoRoute, StreamOpener } from './routes.js'
import type { DemoSettings } from './settings.js'
import { type DemoStores, openStores } from './stores.js'

/** Everything a framework's wiring needs. */
export interface DemoApp {
  readonly settings: DemoSettings
  /** Core's options for the app-wide `rampart()`: events redacted, then logged and streamed. */
  readonly options: {
    readonly onEvent: (event: SecurityEvent) => void
    readonly redactEvent: (event: SecurityEvent) => unknown
  }
  readonly guards: readonly Guard[]
  readonly routes: readonly DemoRoute[]
  /** `GET /events`: opens a stream, or `undefined` when {@link MAX_STREAMS} are open. */
  readonly openEvents: (write: Parameters<StreamOpener>[0]) => ReturnType<StreamOpener> | undefined
  readonly logging: DemoLogging
  readonly stores: DemoStores
  readonly events: EventHub
  /** Tells the webhook sender where this server listens, once it does. */
  setOrigin(origin: string): void
}

/** Seconds between keep-alive comments on an idle event stream (proxies close idle ones). */
const HEARTBEAT_MS = 25_000

/** Event streams open at once; one more gets a 503 (each holds a connection and a listener). */
export const MAX_STREAMS = 100

/**
 * Builds the demo for `settings` (hashes the accounts' passwords and opens the store); the log
 * goes to stdout, or to `logDestination`.
 */
export async function buildDemoApp(
  settings: DemoSettings,
  logDestination?: DestinationStream,
): Promise<DemoApp> {
  const logging = createLogging(settings.logLevel, logDestination)
  const stores = await openStores(settings.redisUrl, settings.storePrefix)
  if (stores.kind === 'redis' && settings.lockoutSecret === undefined) {
    stores.close()
    throw new Error('with REDIS_URL, set DEMO_LOCKOUT_SECRET (≥ 16 characters) on every instance')
  }
  const users = await UserStore.seeded()
  const sessions = new Sessions(settings.sessionSecret)
  const partners = new PartnerStore()
  const events = new EventHub()
  let origin = `http://127.0.0.1:${settings.port}`

  const signed = verifySignature({
    keys: apiClients().map((c) => ({
      id: c.keyId,
      alg: 'hmac-sha256' as const,
      key: c.secret,
      principal: c.principal,
    })),
    store: stores.store,
  })

  const routes: DemoRoute[] = [
    ...pageRoutes(),
    ...accountRoutes({
      framework: settings.framework,
      store: stores.kind,
      perMinute: settings.perMinute,
      loginPerMinute: settings.loginPerMinute,
    }),
    loginRoute({
      users,
      sessions,
      store: stores.store,
      perMinute: settings.loginPerMinute,
      lockoutSecret: settings.lockoutSecret,
    }),
    ...partnerRoutes(partners, '/api/partners', [signedIn]),
    ...productRoutes(),
    ...partnerRoutes(partners, '/api/server/partners', [signed]),
    ...webhookRoutes(settings.webhookSecret ?? randomWebhookSecret(), () => origin),
  ]

  const openEvents: DemoApp['openEvents'] = (write) => {
    if (events.size >= MAX_STREAMS) return undefined
    write(sseMessage('hello', { framework: settings.framework }))
    const send = (event: StreamedEvent) => write(sseMessage('security', event))
    const unsubscribe = events.subscribe(send)
    const heartbeat = setInterval(() => write(': keep-alive\n\n'), HEARTBEAT_MS)
    heartbeat.unref()
    return () => {
      clearInterval(heartbeat)
      unsubscribe()
    }
  }

  return {
    settings,
    options: {
      redactEvent: (event) => logging.redactor(event),
      onEvent: (event) => {
        const level = event.type === 'guard.failed' ? 'error' : 'warn'
        logging.logger[level]({ event }, event.type)
        events.publish(event)
      },
    },
    guards: appGuards({
      logger: logging.logger,
      redactor: logging.redactor,
      allow: settings.allow,
      perMinute: settings.perMinute,
      store: stores.store,
      sessions,
      users,
    }),
    routes,
    openEvents,
    logging,
    stores,
    events,
    setOrigin: (value) => {
      origin = value
    },
  }
}
