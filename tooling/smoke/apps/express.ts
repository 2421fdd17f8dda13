// Copied into a fresh app outside the workspace as app.ts, type-checked and compiled with tsc,
// then run. It sees only what `npm install` of the packed tarballs put in node_modules.
import { ipFilter } from '@rampart/core'
import { getState, rampart, rampartErrors } from '@rampart/express'
import { cspNonce, securityHeaders } from '@rampart/headers'
import { rateLimitInfo } from '@rampart/rate-limiter'
import { verifiedSignature } from '@rampart/signer'
import express from 'express'
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

const app = express()

app.get(
  '/ok',
  rampart(ipFilter({ allow: ['127.0.0.1', '::1'] }), securityHeaders({ nonce: true }), stamp),
  (req, res) => {
    const value = getState(req, seen)
    // The types are real, not `any`: a StateKey<string> never yields a number.
    // @ts-expect-error
    const notANumber: number | undefined = getState(req, seen)
    res.json({
      framework: 'express',
      seen: value ?? null,
      probe: typeof notANumber,
      nonce: getState(req, cspNonce) ?? null,
    })
  },
)

app.get('/limited', rampart(limiter), (req, res) => {
  res.json({
    framework: 'express',
    remaining: getState(req, rateLimitInfo)?.policies[0]?.remaining,
  })
})

app.get('/login', rampart(login), (req, res) => {
  const status = loginStatus(new URL(req.originalUrl, 'http://localhost').searchParams)
  res.status(status).json({ framework: 'express', status })
})

app.get('/search', rampart(clean), (req, res) => {
  // Read twice: Express 5 parses req.query again on every read unless it was replaced.
  res.json({ framework: 'express', q: req.query.q, again: req.query.q })
})

app.get('/denied', rampart(ipFilter({ allow: ['10.0.0.0/8'] }), stamp), (_req, res) => {
  res.json({ framework: 'express', reached: true })
})

// No body parser: the adapter reads the raw bytes for the signature and sets req.body.
app.post('/orders', rampart(signed, createOrder), (req, res) => {
  res.json({
    framework: 'express',
    principal: getState(req, verifiedSignature)?.principal?.id ?? null,
    order: req.body ?? null,
  })
})

app.get('/boom', rampart(access), (req) => {
  throw boom(String(req.query.token))
})

// After the routes: Express's error middleware.
app.use(rampartErrors(errors))

const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no TCP address')
  console.log(JSON.stringify({ port: address.port }))
})
