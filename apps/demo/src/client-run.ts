/**
 * What `pnpm demo:client` does: signs requests to `/api/server/*` as the demo's API clients
 * (RFC 9421, `@rampart/signer`) and shows what the server answers — including a replay of a
 * request it already accepted, a body changed after signing, a wrong key and a client acting
 * beyond its key's roles, each refused.
 * @module
 */
import { signRequest } from '@rampart/signer'
import { apiClients } from './domain/clients.js'

/** One step: what was sent, what should come back, what did. */
export interface ClientStep {
  readonly title: string
  readonly expected: number
  readonly status: number
  /** The refusal code of a 401 (`replayed`, `digest-mismatch`, …) or a short summary. */
  readonly detail: string
}

const NEW_PARTNER = {
  name: 'Harbour Freight BV',
  email: 'ops@harbour.example',
  phone: '+31 10 123 4567',
  website: 'https://harbour.example',
}

async function summary(res: Response): Promise<string> {
  const body = (await res.json().catch(() => undefined)) as
    | Record<string, unknown>
    | Record<string, unknown>[]
    | undefined
  if (Array.isArray(body)) {
    return `${body.length} partners, fields: ${Object.keys(body[0] ?? {}).join(', ')}`
  }
  if (body === undefined) return ''
  if (typeof body.code === 'string') return `code: ${body.code}`
  if (typeof body.ownerId === 'string') return `created ${body.id}, owner ${body.ownerId}`
  return String(body.detail ?? body.title ?? '')
}

/** Runs every step against `origin` and returns them, in order. */
export async function runClient(origin: string): Promise<ClientStep[]> {
  const [reporting, crm] = apiClients()
  if (reporting === undefined || crm === undefined) throw new Error('no API clients configured')
  const keyOf = (c: typeof reporting, secret = c.secret) =>
    ({ id: c.keyId, alg: 'hmac-sha256', key: secret }) as const
  const url = `${origin}/api/server/partners`
  const json = (body: unknown) =>
    new Request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  const steps: ClientStep[] = []
  const send = async (title: string, expected: number, request: Request) => {
    const res = await fetch(request)
    steps.push({ title, expected, status: res.status, detail: await summary(res) })
  }

  const list = await signRequest(new Request(url), { key: keyOf(reporting) })
  await send(`GET as ${reporting.keyId} (viewer)`, 200, list.clone())
  await send('the same signed request again (a replay)', 401, list.clone())
  await send('GET without a signature', 401, new Request(url))
  await send(
    `GET signed with a wrong secret for ${reporting.keyId}`,
    401,
    await signRequest(new Request(url), { key: keyOf(reporting, 'not-the-right-secret-at-all!') }),
  )
  await send(
    `POST a partner as ${crm.keyId} (editor)`,
    201,
    await signRequest(json(NEW_PARTNER), { key: keyOf(crm) }),
  )
  await send(
    `POST a partner as ${reporting.keyId} (viewer: not allowed)`,
    403,
    await signRequest(json(NEW_PARTNER), { key: keyOf(reporting) }),
  )
  const signed = await signRequest(json(NEW_PARTNER), { key: keyOf(crm) })
  const tampered = new Request(signed, {
    body: JSON.stringify({ ...NEW_PARTNER, name: 'Changed In Transit BV' }),
  })
  await send('POST whose body was changed after signing', 401, tampered)
  return steps
}
