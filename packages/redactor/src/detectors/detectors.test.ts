import { RampartConfigError } from '@rampart/core'
import { describe, expect, it } from 'vitest'
import {
  compileDetectors,
  DEFAULT_MAX_SCAN,
  DETECTOR_IDS,
  type DetectorId,
  type Finding,
  redactFindings,
} from './index.js'

const all = compileDetectors(DETECTOR_IDS)

/** What the detectors report in `text`, as `[detector, secret]` pairs. */
function spans(text: string, ids: readonly DetectorId[] = DETECTOR_IDS): [DetectorId, string][] {
  const detect = ids === DETECTOR_IDS ? all : compileDetectors(ids)
  return detect(text).map((f) => [f.detector, text.slice(f.start, f.end)])
}

/** Asserts that `text` yields nothing, with every detector on. */
function clean(...texts: string[]): void {
  for (const text of texts) expect(spans(text), text).toEqual([])
}

const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'

describe('bearer', () => {
  it('reports the token after Authorization: Bearer, in headers, JSON and logfmt', () => {
    expect(spans('Authorization: Bearer mF_9.B5f-4.1JqM')).toEqual([['bearer', 'mF_9.B5f-4.1JqM']])
    expect(spans('{"authorization":"Bearer abc123=="}')).toEqual([['bearer', 'abc123==']])
    expect(spans('proxy-authorization=bearer xyz level=info')).toEqual([['bearer', 'xyz']])
    expect(spans('headers: { Authorization: \\"Bearer t0k\\" }')).toEqual([['bearer', 't0k']])
    expect(spans('AUTHORIZATION: BEARER tok')).toEqual([['bearer', 'tok']])
  })

  it('treats a string that starts with the scheme as a header value', () => {
    expect(spans('Bearer abc')).toEqual([['bearer', 'abc']])
    expect(spans('"Bearer\tabc"')).toEqual([['bearer', 'abc']])
  })

  it('reports random-looking tokens outside a header; a JWT keeps its more specific name', () => {
    expect(spans('retrying with bearer d41d8cd98f00b204e980 after 401')).toEqual([
      ['bearer', 'd41d8cd98f00b204e980'],
    ])
    expect(spans(`curl -H "X-Token: Bearer ${JWT}"`)).toEqual([['jwt', JWT]])
    expect(spans(`curl -H "X-Token: Bearer ${JWT}"`, ['bearer'])).toEqual([['bearer', JWT]])
  })

  it('leaves the word in prose alone', () => {
    clean(
      'the bearer of this letter is a friend',
      'Bearer authentication failed for user 42',
      'send a bearer token in the header',
      'WWW-Authenticate: Bearer realm="example"',
      'Authorization: Bearer [REDACTED]',
      'Authorization: Bearer',
      'bearer',
      'Bearer:abc',
      'forbearer x1y2z3w4v5',
    )
  })
})

describe('basic', () => {
  it('reports base64 that decodes to user:password', () => {
    expect(spans('Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==')).toEqual([
      ['basic', 'QWxhZGRpbjpvcGVuIHNlc2FtZQ=='],
    ])
    expect(spans('GET / headers={"authorization":"basic dXNlcjpwYXNz"}')).toEqual([
      ['basic', 'dXNlcjpwYXNz'],
    ])
    // unpadded, as some clients send it
    expect(spans('basic dXNlcjpwYXNzd29yZA rest')).toEqual([['basic', 'dXNlcjpwYXNzd29yZA']])
  })

  it('leaves prose and other schemes alone', () => {
    clean(
      'basic auth failed',
      'Basic usage: run the tool',
      'WWW-Authenticate: Basic realm="api", charset="UTF-8"',
      'Authorization: Basic', // nothing after it
      'Authorization: Basic dXNlcg==', // "user": no colon
      'Basic AAAAAAAA', // decodes to NUL bytes
    )
  })
})

describe('jwt', () => {
  it('reports compact JWS and JWE tokens anywhere in a line', () => {
    expect(spans(`token=${JWT}; path=/`, ['jwt'])).toEqual([['jwt', JWT]])
    expect(spans(`{"id_token":"${JWT}"}`)).toEqual([['jwt', JWT]])
    expect(spans(`verified ${JWT}.`)).toEqual([['jwt', JWT]])
    const jwe = 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aXY.Y2lwaGVy.dGFn'
    expect(spans(`got ${jwe} ok`)).toEqual([['jwt', jwe]])
    const unsecured = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.'
    expect(spans(`alg none: ${unsecured} rejected`)).toEqual([['jwt', unsecured]])
  })

  it('leaves eyJ-looking words and lone base64 JSON alone', () => {
    clean(
      'eyJust kidding, eyJohn.eyJane.eyJoe',
      'eyJzdWIiOiIxIn0.eyJzdWIiOiIxIn0.c2ln', // {"sub":"1"}: no alg, no typ
      'eyJhbGciOiJIUzI1NiJ9', // header only
      'data:eyJhbGciOiJIUzI1NiJ9.', // no payload
      'x-eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln', // inside a base64url run
    )
  })
})

const PEM_BODY = [
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj',
  'MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu',
  'NMoSfm76oqFvAp8Gy0iz5sxjZmSnXyCdPEovGhLa0VzMaQ8s+CLOyS56YyCFGeJZ',
].join('\n')

describe('pem-private-key', () => {
  it('reports the whole block, for every private key label', () => {
    for (const label of [
      'PRIVATE KEY',
      'RSA PRIVATE KEY',
      'EC PRIVATE KEY',
      'OPENSSH PRIVATE KEY',
      'ENCRYPTED PRIVATE KEY',
      'PGP PRIVATE KEY BLOCK',
    ]) {
      const block = `-----BEGIN ${label}-----\n${PEM_BODY}\n-----END ${label}-----`
      expect(spans(`loaded key: ${block}\nnext line`), label).toEqual([['pem-private-key', block]])
    }
  })

  it('reports a block written with \\n escapes inside a JSON log line', () => {
    const block = `-----BEGIN PRIVATE KEY-----\\n${PEM_BODY.replaceAll('\n', '\\n')}\\n-----END PRIVATE KEY-----`
    expect(spans(`{"config":{"key":"${block}"}}`)).toEqual([['pem-private-key', block]])
  })

  it('reports the header and key material of a block cut short, without its END', () => {
    const text = `key=-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY.slice(0, 100)}`
    expect(spans(`${text}\n[truncated]`)).toEqual([['pem-private-key', text.slice(4)]])
  })

  it('leaves certificates, public keys and mismatched ENDs alone', () => {
    clean(
      `-----BEGIN CERTIFICATE-----\n${PEM_BODY}\n-----END CERTIFICATE-----`,
      `-----BEGIN PUBLIC KEY-----\n${PEM_BODY}\n-----END PUBLIC KEY-----`,
      '-----BEGIN PGP SIGNATURE-----',
      'BEGIN PRIVATE KEY',
      '----BEGIN PRIVATE KEY----',
    )
    // A private key header whose END names another label is still reported (as cut short).
    const mixed = `-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----`
    expect(spans(mixed)).toEqual([['pem-private-key', '-----BEGIN EC PRIVATE KEY-----\nAAAA']])
  })
})

describe('aws-access-key', () => {
  it('reports long-term and temporary key IDs', () => {
    expect(spans('aws_access_key_id = AKIAIOSFODNN7EXAMPLE')).toEqual([
      ['aws-access-key', 'AKIAIOSFODNN7EXAMPLE'],
    ])
    expect(spans('{"AccessKeyId":"ASIAY34FZKBOKMUTVV7A"}')).toEqual([
      ['aws-access-key', 'ASIAY34FZKBOKMUTVV7A'],
    ])
    expect(spans('keys: ABIAIOSFODNN7EXAMPLE,ACCAIOSFODNN7EXAMPLE')).toEqual([
      ['aws-access-key', 'ABIAIOSFODNN7EXAMPLE'],
      ['aws-access-key', 'ACCAIOSFODNN7EXAMPLE'],
    ])
  })

  it('leaves other shapes alone', () => {
    clean(
      'akiaiosfodnn7example',
      'AKIAIOSFODNN7EXAMPLEX', // 21 characters
      'XAKIAIOSFODNN7EXAMPLE',
      'AKIAIOSFODNN7EXAMPL', // 19 characters
      'AKIAIOSFODNN1EXAMPLE', // 1 is not base32
      'AKIA_IOSFODNN7EXAMPLE',
      'AIDAIOSFODNN7EXAMPLE', // a user ID, not a key
    )
  })
})

const GHP = `ghp_${'aB3'.repeat(12)}`
const GITHUB_PAT = `github_pat_11ABCDEFG0123456789abc_${'xY9'.repeat(19)}ab`

describe('github-token', () => {
  it('reports classic and fine-grained tokens', () => {
    expect(GHP.length).toBe(40)
    expect(GITHUB_PAT.length).toBe(93)
    // As a URL password: the same span, under the more specific name.
    expect(
      spans(`git clone https://x-access-token:${GHP.replace('ghp', 'ghs')}@github.com/o/r`),
    ).toEqual([['github-token', GHP.replace('ghp', 'ghs')]])
    for (const prefix of ['ghp', 'gho', 'ghu', 'ghs', 'ghr']) {
      const token = GHP.replace('ghp', prefix)
      expect(spans(`GITHUB_TOKEN=${token}`, ['github-token'])).toEqual([['github-token', token]])
    }
    expect(spans(`token: ${GITHUB_PAT}\n`)).toEqual([['github-token', GITHUB_PAT]])
  })

  it('leaves near misses alone', () => {
    clean(
      'ghp_short',
      `${GHP}x`, // 37 characters
      `x${GHP}`,
      GHP.slice(0, -1),
      `ghx_${'aB3'.repeat(12)}`,
      `github_pat_${'a'.repeat(81)}`,
    )
  })
})

describe('stripe-key and stripe-webhook-secret', () => {
  it('reports secret and restricted keys, live and test, and webhook secrets', () => {
    expect(spans('Stripe.apiKey = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";')).toEqual([
      ['stripe-key', 'sk_test_4eC39HqLyjWDarjtT1zdp7dc'],
    ])
    expect(spans('rk_live_51H8xZ2eZvKYlo2C0aBcDeFgHiJ used')).toEqual([
      ['stripe-key', 'rk_live_51H8xZ2eZvKYlo2C0aBcDeFgHiJ'],
    ])
    expect(spans('STRIPE_WEBHOOK_SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toEqual([
      ['stripe-webhook-secret', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    ])
  })

  it('leaves publishable keys, identifiers and short values alone', () => {
    clean(
      'pk_live_51H8xZ2eZvKYlo2C0aBcDeFgHiJ',
      'sk_test_connection', // a word, not a key
      'sk_test_connection_timeout',
      'sk_live_abc123', // too short
      'risk_live_51H8xZ2eZvKYlo2C0aBcDeFgHiJ',
      'sk_prod_51H8xZ2eZvKYlo2C0aBcDeFgHiJ',
      'whsec_short',
      'xwhsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    )
  })
})

describe('credit-card', () => {
  it('reports Luhn-valid numbers with a known prefix, compact or grouped', () => {
    expect(spans('charged card 4111 1111 1111 1111 for $10')).toEqual([
      ['credit-card', '4111 1111 1111 1111'],
    ])
    expect(spans('pan=5555-5555-5555-4444&exp=12/29')).toEqual([
      ['credit-card', '5555-5555-5555-4444'],
    ])
    expect(spans('amex 3782 822463 10005, visa 4242424242424242.')).toEqual([
      ['credit-card', '3782 822463 10005'],
      ['credit-card', '4242424242424242'],
    ])
    expect(spans('{"card":"6011000990139424","cvc":"123"}')).toEqual([
      ['credit-card', '6011000990139424'],
    ])
    expect(spans('diners 30569309025904 jcb 3530111333300000')).toEqual([
      ['credit-card', '30569309025904'],
      ['credit-card', '3530111333300000'],
    ])
    // a number followed by an unrelated short number
    expect(spans('4111 1111 1111 1111 12 items')).toEqual([['credit-card', '4111 1111 1111 1111']])
    // a card then its CVV in the same grouping: the card is the longest valid prefix of groups
    expect(spans('card 4111 1111 1111 1111 123 exp 12/29')).toEqual([
      ['credit-card', '4111 1111 1111 1111'],
    ])
    // a card after another number, and the search going on right after a finding
    expect(spans('order 12345 4242424242424242')).toEqual([['credit-card', '4242424242424242']])
    expect(spans('4111 1111 1111 1111 536-22-1003 4242-4242-4242-4242')).toEqual([
      ['credit-card', '4111 1111 1111 1111'],
      ['us-ssn', '536-22-1003'],
      ['credit-card', '4242-4242-4242-4242'],
    ])
  })

  it('leaves order numbers, timestamps, ids and invalid cards alone', () => {
    clean(
      'order #4111111111111112 shipped', // fails Luhn
      'card 4111 1111 1111 1112',
      'order 1234567812345670', // Luhn-valid, no network starts with 1
      'ts=1700000000000 at 2024-05-01T12:34:56.789Z',
      'took 1714566896789ns',
      'request 550e8400-e29b-41d4-a716-446655440000',
      'uuid 123e4567-e89b-12d3-a456-426614174000',
      'commit da39a3ee5e6b4b0d3255bfef95601890afd80709',
      'version 4.111.1111.1111 and 4111.1111.1111.1111',
      'call +1 (415) 555-2671 or 415-555-2671',
      'pi 3.4111111111111111',
      'id=ab4111111111111111',
      '4111111111111111x',
      '4111 1111 1111 1111 1111 1111', // 24 digits: a longer number
      '4111-1111-1111-1111-5',
      '41111111 11111111',
      '4111  1111  1111  1111', // double spaces
      '4111 1111-1111 1111', // mixed separators
    )
  })
})

describe('us-ssn', () => {
  it('reports dashed SSNs that pass the SSA rules', () => {
    expect(spans('applicant ssn: 536-22-8177, dob 1980-01-01')).toEqual([['us-ssn', '536-22-8177']])
    expect(spans('"ssn":"001-01-0001"')).toEqual([['us-ssn', '001-01-0001']])
  })

  it('leaves invalid, advertising and undashed numbers alone', () => {
    clean(
      '000-12-3456',
      '666-12-3456',
      '900-12-3456',
      '987-65-4321',
      '536-00-8177',
      '536-22-0000',
      '078-05-1120',
      '219-09-9999',
      '123-45-6789',
      '536228177',
      '536 22 8177',
      '1-536-22-8177',
      '536-22-8177-1',
      'x536-22-8177',
      '536-22-81770',
    )
  })
})

describe('iban', () => {
  it('reports valid IBANs, compact or in groups of four', () => {
    expect(spans('refund to DE89 3704 0044 0532 0130 00 today')).toEqual([
      ['iban', 'DE89 3704 0044 0532 0130 00'],
    ])
    expect(spans('{"iban":"GB82WEST12345698765432"}')).toEqual([['iban', 'GB82WEST12345698765432']])
    expect(spans('IBAN: FR14 2004 1010 0505 0001 3M02 606.')).toEqual([
      ['iban', 'FR14 2004 1010 0505 0001 3M02 606'],
    ])
    expect(spans('iban=NO9386011117947;bic=DNBANOKK')).toEqual([['iban', 'NO9386011117947']])
  })

  it('leaves wrong check digits, lengths and look-alikes alone', () => {
    clean(
      'DE88 3704 0044 0532 0130 00',
      'DE89 3704 0044 0532 0130 0',
      'DE89370400440532013000X',
      'XDE89370400440532013000',
      'de89370400440532013000', // lower case in text is not an IBAN
      'DE89 37040044 0532 0130 00', // broken grouping
      'ZZ89370400440532013000',
      'model AB12 order', // short code
    )
  })
})

describe('email', () => {
  it('reports addresses in running text, JSON and mailto links', () => {
    expect(spans('sent to jane.doe+alerts@example.co.uk, retry')).toEqual([
      ['email', 'jane.doe+alerts@example.co.uk'],
    ])
    expect(spans('{"email":"JOHN_SMITH@Example.COM"}')).toEqual([
      ['email', 'JOHN_SMITH@Example.COM'],
    ])
    expect(spans('<a href="mailto:ops@corp-mail.example.org">')).toEqual([
      ['email', 'ops@corp-mail.example.org'],
    ])
    expect(spans('contact: a@b.io.')).toEqual([['email', 'a@b.io']])
  })

  it('leaves handles, package versions and host-less addresses alone', () => {
    clean(
      '@mention in chat',
      'user@localhost',
      'foo@bar',
      'a@b.c',
      'installed lodash@4.17.21 and @types/node@20.1.0',
      'root@10.0.0.1',
      '@@@@',
      'x@-',
      'a@b..com',
      'https://user@example.com/path', // a URL user name, not an address
      `${'a'.repeat(65)}@example.com`,
    )
  })
})

describe('url-credentials', () => {
  it('reports the password of URL userinfo', () => {
    expect(spans('connecting to postgres://app:s3cr3t-P4ss@db.internal:5432/app')).toEqual([
      ['url-credentials', 's3cr3t-P4ss'],
    ])
    expect(spans('REDIS_URL=redis://:hunter2@cache:6379/0')).toEqual([
      ['url-credentials', 'hunter2'],
    ])
    expect(spans('amqp://guest:p@ss@rabbit/ vhost')).toEqual([['url-credentials', 'p@ss']])
    expect(spans('"https://u:p%40ss@example.com"')).toEqual([['url-credentials', 'p%40ss']])
  })

  it('leaves URLs without a password alone', () => {
    clean(
      'https://example.com:8080/x',
      'https://user@example.com/',
      'https://user:@example.com/',
      'see https://example.com/a:b@c',
      'ftp://host/path?x=a:b@c',
      'not a url: x://',
      '://a:b@c',
    )
  })
})

describe('url-secret-param', () => {
  it('reports the values of credential parameters, in any case', () => {
    expect(spans('GET /cb?state=xyz&code=SplxlOBeZQQYbYS6WxSbIA HTTP/1.1')).toEqual([
      ['url-secret-param', 'SplxlOBeZQQYbYS6WxSbIA'],
    ])
    const presigned =
      'https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20240101%2Fus-east-1%2Fs3&X-Amz-Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024'
    expect(spans(presigned)).toEqual([
      ['url-secret-param', 'AKIA%2F20240101%2Fus-east-1%2Fs3'],
      ['url-secret-param', 'fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024'],
    ])
    expect(spans('https://app/cb#access_token=abc&token_type=bearer')).toEqual([
      ['url-secret-param', 'abc'],
    ])
    expect(spans('https://x.test/?API_KEY=k1&Sig=s1&pwd=p1&x-goog-signature=g1')).toEqual([
      ['url-secret-param', 'k1'],
      ['url-secret-param', 's1'],
      ['url-secret-param', 'p1'],
      ['url-secret-param', 'g1'],
    ])
    expect(spans('<a href="/reset?a=1&amp;token=t0k">')).toEqual([['url-secret-param', 't0k']])
  })

  it('reads a bare query string (a form body) from its first parameter', () => {
    expect(spans('client_secret=abc&grant_type=authorization_code&refresh_token=r1')).toEqual([
      ['url-secret-param', 'abc'],
      ['url-secret-param', 'r1'],
    ])
  })

  it('leaves other parameters and empty values alone', () => {
    clean(
      '/search?q=token&page=2&sort=desc',
      '/x?tokens=5&keyboard=us&monkey=1',
      '/x?token=&code=#frag',
      'mykey=abc but not a query',
      'a & b, c ? d',
    )
  })

  it('ends a value at the next parameter, fragment, blank or quote', () => {
    expect(spans('"url":"/x?token=abc","next":1')).toEqual([['url-secret-param', 'abc']])
    expect(spans('/x?code=abc#top')).toEqual([['url-secret-param', 'abc']])
    expect(spans('/x?code=abc def')).toEqual([['url-secret-param', 'abc']])
  })
})

describe('compileDetectors', () => {
  it('runs only the detectors asked for', () => {
    const text = `mail a@b.io card 4111111111111111 ${JWT}`
    expect(spans(text, ['email'])).toEqual([['email', 'a@b.io']])
    expect(spans(text, ['credit-card'])).toEqual([['credit-card', '4111111111111111']])
    expect(spans(text, ['jwt', 'email']).map(([id]) => id)).toEqual(['email', 'jwt'])
    expect(compileDetectors([])(text)).toEqual([])
  })

  it('answers one shared frozen empty array when nothing is found', () => {
    const a = all('nothing to see here')
    const b = all('')
    expect(a).toBe(b)
    expect(Object.isFrozen(a)).toBe(true)
    expect(all(42 as unknown as string)).toBe(a)
  })

  it('returns findings sorted and disjoint, covering every detector that fired', () => {
    // A key that swallows a shorter finding at the same start: one finding, the longer.
    const key = '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----'
    expect(spans(`Authorization: Bearer ${key} end`)).toEqual([['pem-private-key', key]])
    // A key that starts inside a parameter value and runs past it: the key keeps the rest.
    const text = `/x?token=x${key} end`
    const findings = all(text)
    expect(findings.map((f) => f.detector)).toEqual(['url-secret-param', 'pem-private-key'])
    const [first, second] = findings as [Finding, Finding]
    expect(text.slice(first.start, first.end)).toBe('x-----BEGIN')
    expect(first.end).toBe(second.start)
    expect(text.slice(first.start, second.end)).toBe(`x${key}`)
  })

  it('keeps findings in order when a later pass finds an earlier secret', () => {
    const user = 'sk_live_51H8xZ2eZvKYlo2C0aBcDeFgHiJ'
    const text = `https://${user}:pw@api.example.com/?token=t a@b.io`
    expect(spans(text)).toEqual([
      ['stripe-key', user],
      ['url-credentials', 'pw'],
      ['url-secret-param', 't'],
      ['email', 'a@b.io'],
    ])
  })

  it('prefers the URL password over an e-mail-looking userinfo', () => {
    expect(spans('https://bob:secret@example.com/')).toEqual([['url-credentials', 'secret']])
  })

  it('scans at most maxScan characters', () => {
    const card = '4111111111111111'
    const detect = compileDetectors(['credit-card'], { maxScan: 100 })
    expect(detect(`${'x '.repeat(40)}${card}`)).toHaveLength(1)
    expect(detect(`${'x '.repeat(50)}${card}`)).toEqual([])
    // A card cut by the limit is not a card.
    expect(detect(`${'x '.repeat(45)}${card}`)).toEqual([])
    // A private key cut by the limit is still reported, up to the limit.
    const pem = compileDetectors(['pem-private-key'], { maxScan: 40 })
    expect(pem(`-----BEGIN PRIVATE KEY-----\n${PEM_BODY}`)).toEqual([
      { detector: 'pem-private-key', start: 0, end: 40 },
    ])
    expect(DEFAULT_MAX_SCAN).toBe(65_536)
    const long = `${'a '.repeat(DEFAULT_MAX_SCAN / 2)}${card}`
    expect(all(long)).toEqual([])
  })

  it('refuses unknown detectors and a bad maxScan with a config error', () => {
    const attempt = (ids: unknown, options?: unknown) => () =>
      compileDetectors(ids as DetectorId[], options as { maxScan?: number })
    expect(attempt(['emial'])).toThrow(RampartConfigError)
    expect(attempt(['emial'])).toThrow(/detectors\[0\].*did you mean 'email'/)
    expect(attempt(['nope'])).toThrow(/known: bearer, basic/)
    expect(attempt('email')).toThrow(/expected an array/)
    for (const maxScan of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '100']) {
      expect(attempt(['email'], { maxScan }), String(maxScan)).toThrow(/maxScan/)
    }
    try {
      attempt(['emial'])()
    } catch (error) {
      expect((error as RampartConfigError).code).toBe('ERR_RAMPART_REDACTOR_CONFIG')
    }
  })
})

describe('redactFindings', () => {
  const censor = (secret: string, detector: DetectorId) => `[${detector}:${secret.length}]`

  it('replaces each span and keeps the text around it', () => {
    const text = 'Authorization: Bearer abc.def from a@b.io'
    expect(redactFindings(text, all(text), censor)).toBe(
      'Authorization: Bearer [bearer:7] from [email:6]',
    )
  })

  it('answers the text itself when there is nothing to do', () => {
    const text = 'plain'
    expect(redactFindings(text, [], censor)).toBe(text)
  })

  it('skips spans that overlap an earlier one, are empty or lie outside the text', () => {
    const f = (start: number, end: number): Finding => ({ detector: 'email', start, end })
    expect(redactFindings('abcdef', [f(1, 3), f(2, 4), f(4, 4), f(5, 9)], () => '*')).toBe('a*def')
    expect(redactFindings('abcdef', [f(0, 6)], () => '')).toBe('')
  })
})
