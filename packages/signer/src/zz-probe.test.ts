import { it } from 'vitest'
import { keyring } from './keyring.js'
import { resolveOptions } from './options.js'
import { signMessage, signRequest } from './sign.js'

it('probe', async () => {
  const secret = crypto.getRandomValues(new Uint8Array(32))
  try {
    keyring([
      { id: 'a', alg: 'hmac-sha256', key: secret },
      { id: 'a', alg: 'hmac-sha256', key: secret },
    ])
  } catch (e) {
    console.log(
      'dup',
      (e as Error).constructor.name,
      (e as { code?: string }).code,
      (e as Error).message,
    )
  }
  try {
    keyring([{ id: 'a', alg: 'hmac-sha256', key: secret, allowedIps: ['nope'] }])
  } catch (e) {
    console.log(
      'ips',
      (e as Error).constructor.name,
      (e as { code?: string }).code,
      (e as Error).message,
    )
  }
  const req = new Request('https://api.example.com/orders?x=1', {
    method: 'POST',
    body: '{"a":1}',
    headers: { 'content-type': 'application/json' },
  })
  const signed = await signRequest(req, { key: { id: 'k', alg: 'hmac-sha256', key: secret } })
  console.log('orig bodyUsed', req.bodyUsed, [...signed.headers])
  try {
    console.log(await req.text())
  } catch (e) {
    console.log('orig text fails', (e as Error).message)
  }
  const r2 = new Request('https://a.example/', {
    method: 'POST',
    body: 'x',
    credentials: 'include',
    mode: 'cors',
    cache: 'no-store',
    keepalive: false,
    referrerPolicy: 'no-referrer',
    integrity: 'sha256-abc',
  })
  const s2 = await signRequest(r2, { key: { id: 'k', alg: 'hmac-sha256', key: secret } })
  console.log(s2.credentials, s2.mode, s2.cache, s2.referrerPolicy, s2.integrity)
  try {
    await signMessage(
      { method: 'GET', fields: (n) => (n === 'content-digest' ? ['sha-256=:AAAA:'] : undefined) },
      {
        key: { id: 'k', alg: 'hmac-sha256', key: secret },
        components: ['"content-digest";sf'],
        fieldTypes: { x: 'item' },
      },
    )
  } catch (e) {
    console.log('sf sign', (e as Error).message)
  }
  console.log(resolveOptions({ keys: [], fieldTypes: { x: 'item' } }).policy.fieldTypes)
})
