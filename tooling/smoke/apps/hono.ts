// Copied into a fresh app outside the workspace as app.ts, type-checked and compiled with tsc,
// then run. It sees only what `npm install` of the packed tarballs put in node_modules.
import { serve } from '@hono/node-server'
import { ipFilter } from '@rampart/core'
import { cspNonce, securityHeaders } from '@rampart/headers'
import { getState, rampart, rampartErrors } from '@rampart/hono'
import { rateLimitInfo } from '@rampart/rate-limiter'
import { verifiedSignature } from '@rampart/signer'
import { Hono } from 'hono'
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

const app = new Hono()

app.get(
  '/ok',
  rampart(ipFilter({ allow: ['127.0.0.1', '::1'] }), securityHeaders({ nonce: true }), stamp),
  (c) => {
    const value = getState(c, seen)
    // The types are real, not `any`: a StateKey<string> never yields a number.
    // @ts-expect-error
    const notANumber: number | undefined = getState(c, seen)
    return c.json({
      framework: 'hono',
      seen: value ?? null,
      probe: typeof notANumber,
      nonce: getState(c, cspNonce) ?? null,
    })
  },
)

app.get('/limited', rampart(limiter), (c) =>
  c.json({ framework: 'hono', remaining: getState(c, rateLimitInfo)?.policies[0]?.remaining }),
)

app.get('/login', rampart(login), (c) => {
  const status = loginStatus(new URL(c.req.url).searchParams)
  return c.json({ framework: 'hono', status }, status)
})

app.get('/search', rampart(clean), (c) =>
  c.json({ framework: 'hono', q: c.req.query('q'), again: c.req.queries('q')?.[0] }),
)

app.get('/denied', rampart(ipFilter({ allow: ['10.0.0.0/8'] }), stamp), (c) =>
  c.json({ framework: 'hono', reached: true }),
)

app.post('/orders', rampart(signed, createOrder), async (c) =>
  c.json({
    framework: 'hono',
    principal: getState(c, verifiedSignature)?.principal?.id ?? null,
    order: await c.req.json(),
  }),
)

app.get('/boom', rampart(access), (c) => {
  throw boom(c.req.query('token'))
})

app.onError(rampartErrors(errors))

serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
  console.log(JSON.stringify({ port: info.port }))
})
