// Copied into a fresh app outside the workspace as app.ts, type-checked and compiled with tsc,
// then run. It sees only what `npm install` of the packed tarballs put in node_modules.
import type { AddressInfo } from 'node:net'
import { defineGuard, ipFilter, stateKey } from '@rampart/core'
import { cspNonce, securityHeaders } from '@rampart/headers'
import { getState, rampart } from '@rampart/koa'
import { rateLimit, rateLimitInfo } from '@rampart/rate-limiter'
import { redisStore } from '@rampart/redis'
import { Redis } from 'ioredis'
import Koa from 'koa'

const seen = stateKey<string>('smoke.seen')

// Two requests a minute per client, counted in Redis through the packed @rampart/redis.
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  maxRetriesPerRequest: 0,
})
const limiter = rateLimit({
  limit: 2,
  window: '1m',
  store: redisStore({ client: redis }),
  prefix: `smoke:${process.pid}:${Date.now()}:`,
})

const stamp = defineGuard({
  name: 'smoke-stamp',
  request(ctx) {
    ctx.state.set(seen, `ip=${ctx.ip}`)
    ctx.response.headers.set('x-rampart-smoke', 'staged')
  },
})

const allowed = rampart(
  ipFilter({ allow: ['127.0.0.1', '::1'] }),
  securityHeaders({ nonce: true }),
  stamp,
)
const refused = rampart(ipFilter({ allow: ['10.0.0.0/8'] }), stamp)
const limited = rampart(limiter)

const app = new Koa()

// Koa has no router built in: pick the rampart() instance by path.
app.use((ctx, next) =>
  ctx.path === '/denied'
    ? refused(ctx, next)
    : ctx.path === '/limited'
      ? limited(ctx, next)
      : allowed(ctx, next),
)

app.use((ctx) => {
  if (ctx.path === '/denied') {
    ctx.body = { framework: 'koa', reached: true }
    return
  }
  if (ctx.path === '/limited') {
    ctx.body = { framework: 'koa', remaining: getState(ctx, rateLimitInfo)?.policies[0]?.remaining }
    return
  }
  const value = getState(ctx, seen)
  // The types are real, not `any`: a StateKey<string> never yields a number.
  // @ts-expect-error
  const notANumber: number | undefined = getState(ctx, seen)
  ctx.body = {
    framework: 'koa',
    seen: value ?? null,
    probe: typeof notANumber,
    nonce: getState(ctx, cspNonce) ?? null,
  }
})

const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo
  console.log(JSON.stringify({ port }))
})
