import { createHmac } from 'node:crypto'
import { contentDigest, keyring, signMessage, targetOf, verifyMessage, signatureBase } from '@rampart/signer'
const secret = new TextEncoder().encode('a 32-byte shared secret for HMAC')
const body = new TextEncoder().encode(JSON.stringify({ order: 'ord_1000', items: [{ sku: 'SKU-1', qty: 2 }], currency: 'EUR', total: 1999 }))
const headers: Record<string, string> = { host: 'api.example.com', 'content-type': 'application/json', 'content-length': String(body.length), 'content-digest': await contentDigest(body) }
const target = targetOf(new URL('https://api.example.com/v1/orders?x=1'))
const mk = (h: Record<string, string>) => ({ method: 'POST', target, fields: (n: string) => (h[n] === undefined ? undefined : [h[n] as string]) })
const COVERED = ['@method', '@path', '@authority', 'content-digest']
const s = await signMessage(mk(headers), { key: { id: 'k', alg: 'hmac-sha256', key: secret }, components: COVERED, nonce: false })
const msg = mk({ ...headers, 'signature-input': s.signatureInput, signature: s.signature })
const policy = { keys: keyring([{ id: 'k', alg: 'hmac-sha256', key: secret }]), components: COVERED, params: ['created', 'keyid'], maxAge: 3600000, skew: 5000, digest: 'with-body', digestAlgorithms: ['sha-256'] } as const
const key = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])
const sig = new Uint8Array(32)
const data = new TextEncoder().encode(s.base)
const readBody = async () => body
async function time(name: string, fn: () => unknown, n = 20000) {
  for (let i = 0; i < 3000; i++) await fn()
  const t = performance.now()
  for (let i = 0; i < n; i++) await fn()
  console.log(name.padEnd(40), ((performance.now() - t) * 1000 / n).toFixed(2), 'µs')
}
for (let r = 0; r < 2; r++) {
  await time('verifyMessage', () => verifyMessage({ message: msg, hasBody: true, body: readBody, ip: undefined, now: Date.now() }, policy))
  await time('subtle.verify HMAC', () => crypto.subtle.verify('HMAC', key, sig, data))
  await time('subtle.digest SHA-256 (body)', () => crypto.subtle.digest('SHA-256', body))
  await time('node createHmac (base)', () => createHmac('sha256', secret).update(data).digest())
}
