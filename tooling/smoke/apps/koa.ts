// Copied into a fresh app outside the workspace as app.ts, type-checked and compiled with tsc,
// then run. It sees only what `npm install` of the packed tarballs put in node_modules.
import type { AddressInfo } from 'node:net'
import { ipFilter } from '@rampart/core'
import { cspNonce, securityHeaders } from '@rampart/headers'
import { getState, rampart, rampartErrors } from '@rampart/koa'
import { rateLimitInfo } from '@rampart/rate-limiter'
import { verifiedSignature } from '@rampart/signer'
import Koa from 'koa'
import {
  access,
  boom,
  clean,
  createOrder,
  errors,
  limiter,
  login,
  loginStatus,
  seen,
  signed,
  stamp,
} from './guards.js'

const allowed = rampart(
  ipFilter({ allow: ['127.0.0.1', '::1'] }),
  securityHeaders({ nonce: true }),
  stamp,
)
const refused = rampart(ipFilter({ allow: ['10.0.0.0/8'] }), stamp)
const limited = rampart(limiter)
const signIn = rampart(login)
const search = rampart(clean)
const logged = rampart(access)
const orders = rampart(signed, createOrder)

const app = new Koa()

// First: Koa's errors flow back up through the middleware that ran before them.
app.use(rampartErrors(errors))

// Koa has no router built in: pick the rampart() instance by path.
app.use((ctx, next) =>
  ctx.path === '/denied'
    ? refused(ctx, next)
    : ctx.path === '/limited'
      ? limited(ctx, next)
      : ctx.path === '/login'
        ? signIn(ctx, next)
        : ctx.path === '/search'
          ? search(ctx, next)
          : ctx.path === '/boom'
            ? logged(ctx, next)
            : ctx.path === '/orders'
              ? orders(ctx, next)
              : allowed(ctx, next),
)

app.use((ctx) => {
  if (ctx.path === '/boom') throw boom(ctx.request.query.token as string | undefined)
  if (ctx.path === '/orders') {
    ctx.body = {
      framework: 'koa',
      principal: getState(ctx, verifiedSignature)?.principal?.id ?? null,
      order: (ctx.request as { body?: unknown }).body ?? null,
    }
    return
  }
  if (ctx.path === '/denied') {
    ctx.body = { framework: 'koa', reached: true }
    return
  }
  if (ctx.path === '/search') {
    ctx.body = { framework: 'koa', q: ctx.query.q, again: ctx.request.query.q }
    return
  }
  if (ctx.path === '/login') {
    ctx.status = loginStatus(new URLSearchParams(ctx.querystring))
    ctx.body = { framework: 'koa', status: ctx.status }
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
