import { Readable } from 'node:stream'
import type { ConformanceHarness } from '@rampart/core/testing'
import {
  CONFORMANCE_PASSWORD,
  listenForConformance,
  principalFromUserHeader,
  runConformanceSuite,
} from '@rampart/core/testing'
import { securityHeadersCases } from '@rampart/headers/testing'
import { lockoutCases } from '@rampart/lockout/testing'
import { rateLimitCases } from '@rampart/rate-limiter/testing'
import { rbacCases } from '@rampart/rbac/testing'
import { redactorCases } from '@rampart/redactor/testing'
import { sanitizeCases } from '@rampart/sanitizer/testing'
import { signerCases } from '@rampart/signer/testing'
import express, { type Request, type Response } from 'express'
import { captureRawBody, getState, rampart, rampartErrors } from './index.js'

const harness: ConformanceHarness = {
  name: 'express',
  extendedQueryParser: true,
  async start(spec) {
    const app = express()
    let handlerCalls = 0
    if (spec.trustProxy) app.set('trust proxy', 1)
    if (spec.queryParser === 'extended') app.set('query parser', 'extended')
    const json = express.json({ verify: captureRawBody })
    const form = express.urlencoded({ extended: false, verify: captureRawBody })
    if (spec.parser === 'before') app.use(json, form)
    app.use(
      rampart(
        {
          onEvent: spec.onEvent,
          bodyLimit: spec.bodyLimit,
          principal: spec.principalFromHeader
            ? (req: Request) =>
                principalFromUserHeader(req.get('x-user'), req.get('x-roles'), req.get('x-tenant'))
            : undefined,
        },
        ...spec.guards,
      ),
    )
    if (spec.secondGuards) app.use(rampart(...spec.secondGuards))
    if (spec.parser === 'after') app.use(json, form)
    app.use((_req, _res, next) => {
      handlerCalls++
      next()
    })
    app.all('/echo', (req, res) => {
      const state = Object.fromEntries(
        (spec.readState ?? []).map((k) => [k.name, getState(req, k)]),
      )
      const query = req.query
      const queryAgain = req.query
      res.json({ body: req.body ?? null, state, query, queryAgain, queryB: req.query.b ?? null })
    })
    const item = (req: Request, res: Response) => {
      if (spec.itemResponse) {
        res.json(spec.itemResponse((key) => getState(req, key)) ?? null)
        return
      }
      const state = Object.fromEntries(
        (spec.readState ?? []).map((k) => [k.name, getState(req, k)]),
      )
      res.json({ params: req.params, id: req.params.id, state })
    }
    if (spec.routeGuards) {
      app.all('/items/:id', rampart(...spec.routeGuards), item)
    } else {
      app.all('/items/:id', item)
    }
    app.get('/throw', () => {
      throw new Error('handler exploded: secret-token-123')
    })
    app.get('/stream', (_req, res) => {
      Readable.from(['chunk-1', 'chunk-2']).pipe(res)
    })
    app.get('/own-header', (_req, res) => {
      res.set('X-Conformance', 'handler').set('Referrer-Policy', 'same-origin').send('own')
    })
    app.get('/response', (_req, res) => {
      res.writeHead(200, { 'X-Conformance': 'response', 'content-type': 'text/plain' }).end('ready')
    })
    app.get('/slow', (_req, res) => {
      res.status(200).type('text/plain').write('first')
      setTimeout(() => res.end('last'), 1_000).unref()
    })
    app.post('/login', (req, res) => {
      const ok = (req.body as { password?: unknown } | undefined)?.password === CONFORMANCE_PASSWORD
      res
        .status(ok ? 200 : 401)
        .type('text/plain')
        .send(ok ? 'welcome' : 'wrong username or password')
    })
    app.get('/status/418', (_req, res) => {
      res.status(418).send('teapot')
    })
    // No error handler of our own: Express's finalhandler answers /throw, as in a real app.
    if (spec.errorReporter) app.use(rampartErrors(spec.errorReporter))
    const server = app.listen(0, '::')
    return listenForConformance(server, () => handlerCalls)
  },
}

runConformanceSuite(harness, [
  securityHeadersCases,
  rateLimitCases,
  lockoutCases,
  sanitizeCases,
  redactorCases,
  signerCases,
  rbacCases,
])
