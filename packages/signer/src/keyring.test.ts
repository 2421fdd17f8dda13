// The keyring (validation, ready(), add/remove/revoke/ids, resolve) and key import (keys.ts):
// every form of key material, and the errors that name the fix. Web APIs only.
import { RampartConfigError } from '@rampart/core'
import { beforeAll, describe, expect, it } from 'vitest'
import { toBase64, utf8 } from './bytes.js'
import { isKeyring, keyring, SIGNER_CONFIG_CODE, type VerifyKey } from './keyring.js'
import { importKey, KeyImportError } from './keys.js'
import { signMessage } from './sign.js'
import { message } from './test-support/rfc9421.js'

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0)
const SECRET = crypto.getRandomValues(new Uint8Array(32))

function pem(label: string, der: ArrayBuffer | Uint8Array): string {
  const bytes = der instanceof Uint8Array ? der : new Uint8Array(der)
  const lines = toBase64(bytes).match(/.{1,64}/g) ?? []
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`
}

let ED: CryptoKeyPair
let P256: CryptoKeyPair
let RSA: CryptoKeyPair

beforeAll(async () => {
  ED = await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])
  P256 = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])
  RSA = await crypto.subtle.generateKey(
    {
      name: 'RSASSA-PKCS1-v1_5',
      hash: 'SHA-256',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
    },
    true,
    ['sign', 'verify'],
  )
})

/** The RampartConfigError `fn` throws. */
function configError(fn: () => unknown): RampartConfigError {
  try {
    fn()
  } catch (error) {
    if (error instanceof RampartConfigError) return error
    throw error
  }
  throw new Error('expected a RampartConfigError')
}

/** A key entry as untyped input (what a JavaScript caller or a config file may pass). */
const untyped = (entry: Record<string, unknown>) => entry as unknown as VerifyKey

const NOT_BASE64_PEM = '-----BEGIN PUBLIC KEY-----\nSECRET!!not*base64\n-----END PUBLIC KEY-----'

describe('keyring(): configuration errors', () => {
  it('duplicate ids throw, naming the id', () => {
    expect(() =>
      keyring([
        { id: 'partner', alg: 'hmac-sha256', key: SECRET },
        { id: 'partner', alg: 'hmac-sha256', key: SECRET },
      ]),
    ).toThrow(/'partner' appears twice/)
  })

  it('duplicate ids throw a RampartConfigError with the signer code', () => {
    const error = configError(() =>
      keyring([
        { id: 'partner', alg: 'hmac-sha256', key: SECRET },
        { id: 'partner', alg: 'hmac-sha256', key: SECRET },
      ]),
    )
    expect(error.code).toBe(SIGNER_CONFIG_CODE)
  })

  it('an unknown alg (hmac-sha1) is a config error', () => {
    const error = configError(() =>
      keyring([untyped({ id: 'old', alg: 'hmac-sha1', key: SECRET })]),
    )
    expect(error.code).toBe(SIGNER_CONFIG_CODE)
    expect(error.code).toBe('ERR_RAMPART_SIGNER_CONFIG')
    expect(error.issues[0]?.path).toBe('alg')
    expect(error.message).toContain('keys[0]')
  })

  it('an empty id is a config error', () => {
    const error = configError(() => keyring([{ id: '', alg: 'hmac-sha256', key: SECRET }]))
    expect(error.code).toBe(SIGNER_CONFIG_CODE)
    expect(error.issues[0]?.path).toBe('id')
  })

  it('a misspelt option, a missing key and a principal without id are config errors', () => {
    expect(
      configError(() =>
        keyring([untyped({ id: 'a', alg: 'hmac-sha256', key: SECRET, notbefore: 1 })]),
      ).code,
    ).toBe(SIGNER_CONFIG_CODE)
    expect(
      configError(() => keyring([untyped({ id: 'a', alg: 'hmac-sha256', key: null })])).code,
    ).toBe(SIGNER_CONFIG_CODE)
    expect(
      configError(() =>
        keyring([untyped({ id: 'a', alg: 'hmac-sha256', key: SECRET, principal: { name: 'x' } })]),
      ).code,
    ).toBe(SIGNER_CONFIG_CODE)
  })

  it('the error names the entry by index', () => {
    const error = configError(() =>
      keyring([
        { id: 'good', alg: 'hmac-sha256', key: SECRET },
        untyped({ id: 'bad', alg: 'hmac-sha1', key: SECRET }),
      ]),
    )
    expect(error.message).toContain('keys[1]')
  })

  it('an invalid allowedIps entry is a signer config error naming the entry', () => {
    const error = configError(() =>
      keyring([{ id: 'a', alg: 'hmac-sha256', key: SECRET, allowedIps: ['10.0.0.0/8', 'nope'] }]),
    )
    expect(error.code).toBe(SIGNER_CONFIG_CODE)
    expect(error.message).toContain('keys[0]')
  })

  it('add() validates like keyring()', () => {
    const keys = keyring([])
    const error = configError(() => keys.add(untyped({ id: 'x', alg: 'hmac-sha1', key: SECRET })))
    expect(error.code).toBe(SIGNER_CONFIG_CODE)
    expect(keys.ids()).toEqual([])
  })
})

describe('keyring(): ready()', () => {
  it('rejects with a KeyImportError naming the key whose material is garbage', async () => {
    const keys = keyring([
      { id: 'good', alg: 'hmac-sha256', key: SECRET },
      { id: 'broken-ed', alg: 'ed25519', key: NOT_BASE64_PEM },
    ])
    const error = await keys.ready().then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(KeyImportError)
    expect((error as Error).message).toContain("'broken-ed'")
    expect((error as Error).message).toContain('ed25519')
    // The material is never echoed.
    expect((error as Error).message).not.toContain('SECRET')
  })

  it('the broken key resolves with an import that rejects (awaited only after the cheap checks), the others import', async () => {
    const keys = keyring([
      { id: 'good', alg: 'hmac-sha256', key: SECRET },
      { id: 'broken-ed', alg: 'ed25519', key: NOT_BASE64_PEM },
    ])
    const broken = await keys.resolve('broken-ed', NOW, undefined)
    expect(broken).toMatchObject({ id: 'broken-ed', alg: 'ed25519' })
    await expect('cryptoKey' in broken ? broken.cryptoKey : undefined).rejects.toBeInstanceOf(
      KeyImportError,
    )
    expect(await keys.resolve('good', NOW, undefined)).toMatchObject({
      id: 'good',
      alg: 'hmac-sha256',
    })
  })

  it('resolves for good keys of every kind and form', async () => {
    const spki = await crypto.subtle.exportKey('spki', P256.publicKey)
    const rawEd = new Uint8Array(await crypto.subtle.exportKey('raw', ED.publicKey))
    const rawP256 = new Uint8Array(await crypto.subtle.exportKey('raw', P256.publicKey))
    const keys = keyring([
      { id: 'hmac-bytes', alg: 'hmac-sha256', key: SECRET },
      { id: 'hmac-text', alg: 'hmac-sha256', key: 'a text secret' },
      { id: 'ed-key', alg: 'ed25519', key: ED.publicKey },
      { id: 'ed-raw', alg: 'ed25519', key: rawEd },
      { id: 'p256-pem', alg: 'ecdsa-p256-sha256', key: pem('PUBLIC KEY', spki) },
      { id: 'p256-raw', alg: 'ecdsa-p256-sha256', key: rawP256 },
      {
        id: 'rsa-jwk',
        alg: 'rsa-v1_5-sha256',
        key: await crypto.subtle.exportKey('jwk', RSA.publicKey),
      },
    ])
    await expect(keys.ready()).resolves.toBeUndefined()
    await expect(keyring([]).ready()).resolves.toBeUndefined()
  })

  it('a private key where the public one is needed fails ready()', async () => {
    const pkcs8 = await crypto.subtle.exportKey('pkcs8', ED.privateKey)
    const keys = keyring([{ id: 'oops', alg: 'ed25519', key: pem('PRIVATE KEY', pkcs8) }])
    await expect(keys.ready()).rejects.toThrow(/'oops'.*'PUBLIC KEY' \(SPKI\)/)
  })
})

describe('keyring(): add, remove, revoke, ids, resolve', () => {
  it('ids() lists the keys in order', () => {
    const keys = keyring([
      { id: 'a', alg: 'hmac-sha256', key: SECRET },
      { id: 'b', alg: 'ed25519', key: ED.publicKey },
    ])
    expect(keys.ids()).toEqual(['a', 'b'])
    keys.add({ id: 'c', alg: 'hmac-sha256', key: SECRET })
    expect(keys.ids()).toEqual(['a', 'b', 'c'])
  })

  it('add() replaces a key with the same id (new algorithm, new material, not revoked)', async () => {
    const keys = keyring([{ id: 'rotating', alg: 'hmac-sha256', key: SECRET }])
    expect(keys.revoke('rotating')).toBe(true)
    expect(await keys.resolve('rotating', NOW, undefined)).toEqual({ refused: 'revoked' })
    keys.add({ id: 'rotating', alg: 'ed25519', key: ED.publicKey })
    expect(keys.ids()).toEqual(['rotating'])
    const resolved = await keys.resolve('rotating', NOW, undefined)
    expect(resolved).toMatchObject({ id: 'rotating', alg: 'ed25519' })
    expect('cryptoKey' in resolved && (await resolved.cryptoKey).algorithm.name).toBe('Ed25519')
  })

  it('remove() forgets a key', async () => {
    const keys = keyring([
      { id: 'a', alg: 'hmac-sha256', key: SECRET },
      { id: 'b', alg: 'hmac-sha256', key: SECRET },
    ])
    expect(keys.remove('a')).toBe(true)
    expect(keys.remove('a')).toBe(false)
    expect(keys.ids()).toEqual(['b'])
    expect(await keys.resolve('a', NOW, undefined)).toEqual({ refused: 'unknown' })
  })

  it('revoke() of an unknown id is false', () => {
    expect(keyring([]).revoke('nobody')).toBe(false)
  })

  it('resolve() refuses by reason', async () => {
    const keys = keyring([
      { id: 'revoked', alg: 'hmac-sha256', key: SECRET, revoked: true },
      { id: 'future', alg: 'hmac-sha256', key: SECRET, notBefore: NOW + 1 },
      { id: 'past', alg: 'hmac-sha256', key: SECRET, expires: new Date(NOW) },
      { id: 'office', alg: 'hmac-sha256', key: SECRET, allowedIps: ['10.0.0.0/8', '::1'] },
    ])
    expect(await keys.resolve('nobody', NOW, undefined)).toEqual({ refused: 'unknown' })
    expect(await keys.resolve('revoked', NOW, undefined)).toEqual({ refused: 'revoked' })
    expect(await keys.resolve('future', NOW, undefined)).toEqual({ refused: 'not-yet-valid' })
    expect(await keys.resolve('future', NOW + 1, undefined)).toMatchObject({ id: 'future' })
    expect(await keys.resolve('past', NOW, undefined)).toEqual({ refused: 'key-expired' })
    expect(await keys.resolve('past', NOW - 1, undefined)).toMatchObject({ id: 'past' })
    expect(await keys.resolve('office', NOW, '192.168.0.1')).toEqual({
      refused: 'ip-not-allowed',
    })
    expect(await keys.resolve('office', NOW, undefined)).toEqual({ refused: 'ip-not-allowed' })
    expect(await keys.resolve('office', NOW, '10.20.30.40')).toMatchObject({ id: 'office' })
    expect(await keys.resolve('office', NOW, '::1')).toMatchObject({ id: 'office' })
  })

  it('resolve() hands back the principal', async () => {
    const principal = { id: 'partner-1', roles: ['partner'] }
    const keys = keyring([{ id: 'p', alg: 'hmac-sha256', key: SECRET, principal }])
    expect(await keys.resolve('p', NOW, undefined)).toMatchObject({ principal })
  })

  it('isKeyring tells a keyring from a list of keys', () => {
    expect(isKeyring(keyring([]))).toBe(true)
    expect(isKeyring([])).toBe(false)
    expect(isKeyring(undefined)).toBe(false)
  })
})

describe('key import', () => {
  it('a PEM of the wrong kind (RSA PRIVATE KEY) is a KeyImportError suggesting openssl pkcs8', async () => {
    const pkcs8 = await crypto.subtle.exportKey('pkcs8', RSA.privateKey)
    const pkcs1Armour = pem('RSA PRIVATE KEY', pkcs8)
    const signing = signMessage(message({ method: 'GET' }, []), {
      key: { id: 'rsa', alg: 'rsa-v1_5-sha256', key: pkcs1Armour },
      components: ['@method'],
    })
    await expect(signing).rejects.toBeInstanceOf(KeyImportError)
    await expect(signing).rejects.toThrow(/openssl pkcs8 -topk8 -nocrypt/)
    await expect(signing).rejects.toThrow(/'RSA PRIVATE KEY'/)
  })

  it('an EC PRIVATE KEY gets the same hint', async () => {
    const pkcs8 = await crypto.subtle.exportKey('pkcs8', P256.privateKey)
    await expect(
      importKey('ecdsa-p256-sha256', pem('EC PRIVATE KEY', pkcs8), 'sign'),
    ).rejects.toThrow(/openssl pkcs8/)
  })

  it('a public PEM for signing, or a private one for verifying, is refused by label', async () => {
    const spki = await crypto.subtle.exportKey('spki', ED.publicKey)
    const pkcs8 = await crypto.subtle.exportKey('pkcs8', ED.privateKey)
    await expect(importKey('ed25519', pem('PUBLIC KEY', spki), 'sign')).rejects.toThrow(
      /'PRIVATE KEY' \(PKCS #8\)/,
    )
    await expect(importKey('ed25519', pem('PRIVATE KEY', pkcs8), 'verify')).rejects.toThrow(
      /'PUBLIC KEY' \(SPKI\)/,
    )
  })

  it('a string that is no PEM is a KeyImportError', async () => {
    await expect(importKey('ed25519', 'not a key', 'verify')).rejects.toBeInstanceOf(KeyImportError)
    await expect(importKey('ed25519', NOT_BASE64_PEM, 'verify')).rejects.toThrow(
      /expected a PEM key/,
    )
  })

  it('a PEM holding a key of another algorithm is a KeyImportError', async () => {
    const spki = await crypto.subtle.exportKey('spki', P256.publicKey)
    await expect(importKey('ed25519', pem('PUBLIC KEY', spki), 'verify')).rejects.toBeInstanceOf(
      KeyImportError,
    )
  })

  it('a CryptoKey of another algorithm, curve or hash is refused', async () => {
    await expect(importKey('ecdsa-p384-sha384', P256.publicKey, 'verify')).rejects.toThrow(
      /ECDSA\/P-256 CryptoKey cannot be used for ecdsa-p384-sha384/,
    )
    await expect(importKey('rsa-pss-sha512', RSA.publicKey, 'verify')).rejects.toBeInstanceOf(
      KeyImportError,
    )
    const hmac384 = await crypto.subtle.importKey(
      'raw',
      SECRET,
      { name: 'HMAC', hash: 'SHA-384' },
      false,
      ['sign'],
    )
    await expect(importKey('hmac-sha256', hmac384, 'sign')).rejects.toThrow(/SHA-384/)
  })

  it('a CryptoKey without the usage is refused', async () => {
    await expect(importKey('ed25519', ED.publicKey, 'sign')).rejects.toThrow(
      /does not allow 'sign'/,
    )
    await expect(importKey('ed25519', ED.privateKey, 'verify')).rejects.toThrow(
      /does not allow 'verify'/,
    )
  })

  it('raw bytes cannot sign with an asymmetric algorithm', async () => {
    await expect(importKey('ed25519', new Uint8Array(32), 'sign')).rejects.toThrow(
      /raw bytes cannot sign with ed25519/,
    )
  })

  it('a JWK of another key type is a KeyImportError', async () => {
    const jwk = await crypto.subtle.exportKey('jwk', P256.publicKey)
    await expect(importKey('ed25519', jwk, 'verify')).rejects.toBeInstanceOf(KeyImportError)
  })

  it('imported keys are not extractable; a text HMAC secret is its UTF-8 bytes', async () => {
    const key = await importKey('hmac-sha256', 'text secret', 'sign')
    expect(key.extractable).toBe(false)
    const reference = await crypto.subtle.importKey(
      'raw',
      utf8('text secret'),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['verify'],
    )
    const mac = await crypto.subtle.sign('HMAC', key, utf8('data'))
    expect(await crypto.subtle.verify('HMAC', reference, mac, utf8('data'))).toBe(true)
  })

  it('PEM armour tolerates CRLF line breaks and surrounding text', async () => {
    const spki = await crypto.subtle.exportKey('spki', ED.publicKey)
    const crlf = `# partner key\r\n${pem('PUBLIC KEY', spki).replaceAll('\n', '\r\n')}trailer`
    const key = await importKey('ed25519', crlf, 'verify')
    expect(key.algorithm.name).toBe('Ed25519')
  })
})
