// The failure every webhook library's users hit: express.json() ran first and kept no raw bytes.
// A signature guard must then refuse loudly (a 500 and a warning naming the fix), never check a
// digest over re-serialised JSON; with the documented one-line set-up it verifies.
import type { AddressInfo } from 'node:net'
import type { SecurityEvent } from '@rampart/core'
import { signRequest, verifySignature, WARN_RAW_BODY } from '@rampart/signer'
import express, { type Express } from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { captureRawBody, rampart, WARN_RAW_BODY_UNAVAILABLE } from './index.js'

const servers: { close(): void }[] = []
afterEach(() => {
  for (const server of servers.splice(0)) server.close()
})

const secret = new TextEncoder().encode('express-raw-body-secret-32-bytes')

async function listen(app: Express): Promise<string> {
  const server = app.listen(0, '127.0.0.1')
  servers.push(server)
  await new Promise((resolve) => server.once('listening', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

function appWith(parser: express.RequestHandler, events: SecurityEvent[]): Express {
  const app = express()
  app.use(parser)
  app.use(
    rampart(
      { onEvent: (e) => events.push(e) },
      verifySignature({ keys: [{ id: 'k', alg: 'hmac-sha256', key: secret }] }),
    ),
  )
  app.post('/hook', (req, res) => {
    res.json({ got: req.body })
  })
  return app
}

async function post(origin: string): Promise<Response> {
  const request = new Request(`${origin}/hook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"event":  "paid"}',
  })
  return fetch(await signRequest(request, { key: { id: 'k', alg: 'hmac-sha256', key: secret } }))
}

describe('express: the signer and body parsers', () => {
  it('answers 500 with a warning naming the fix when express.json() kept no raw bytes', async () => {
    const events: SecurityEvent[] = []
    const res = await post(await listen(appWith(express.json(), events)))
    expect(res.status).toBe(500)
    const body = await res.text()
    expect(body).not.toContain('raw')
    const codes = events.flatMap((e) => (e.type === 'rampart.warning' ? [e.code] : []))
    expect(codes).toEqual(expect.arrayContaining([WARN_RAW_BODY_UNAVAILABLE, WARN_RAW_BODY]))
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'signature.rejected', code: 'raw-body-unavailable' }),
    )
  })

  it('verifies with express.json({ verify: captureRawBody }) before rampart()', async () => {
    const events: SecurityEvent[] = []
    const res = await post(await listen(appWith(express.json({ verify: captureRawBody }), events)))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ got: { event: 'paid' } })
  })
})
