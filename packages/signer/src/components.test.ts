// Component values against the examples of RFC 9421 §2.1 (HTTP fields and their sf, key, bs
// parameters) and §2.2 (derived components), and the signature base built from them.
import { describe, expect, it } from 'vitest'
import { signatureBase } from './base.js'
import { ComponentError, componentValue, type FieldType } from './components.js'
import { type HttpMessage, requestMessage, responseMessage, targetOf } from './message.js'
import { type InnerList, parseItem } from './sf/index.js'
import { message } from './test-support/rfc9421.js'

type Header = readonly [string, string]

/** The value of the component `identifier` (as in Signature-Input, e.g. `"@query-param";name="a"`). */
function value(
  identifier: string,
  m: HttpMessage,
  request?: HttpMessage,
  types?: Readonly<Record<string, FieldType>>,
): string {
  return componentValue(parseItem(identifier), m, request, types)
}

/** The ComponentError computing `identifier` throws. */
function failure(
  identifier: string,
  m: HttpMessage,
  request?: HttpMessage,
  types?: Readonly<Record<string, FieldType>>,
): ComponentError {
  try {
    value(identifier, m, request, types)
  } catch (error) {
    if (error instanceof ComponentError) return error
    throw error
  }
  throw new Error(`expected a ComponentError for ${identifier}`)
}

/** A request to `url` (the target split as received), with header lines. */
function request(url: string, headers: readonly Header[] = [], method = 'POST'): HttpMessage {
  return message({ method, target: targetOf(new URL(url)) }, headers)
}

/** The signature base of `components` (identifiers) with `created=1`. */
function base(
  components: readonly string[],
  m: HttpMessage,
  types?: Readonly<Record<string, FieldType>>,
): string {
  const params: InnerList = {
    items: components.map((c) => parseItem(c)),
    params: new Map([['created', 1]]),
  }
  return signatureBase(params, m, undefined, types)
}

describe('derived components (RFC 9421 §2.2)', () => {
  // POST /path?param=value HTTP/1.1
  // Host: www.example.com
  const example = request('https://www.example.com/path?param=value', [['Host', 'www.example.com']])

  it('@method: POST', () => {
    expect(value('"@method"', example)).toBe('POST')
  })

  it('@method keeps the case it was sent in', () => {
    const m = message({ method: 'PoSt', target: targetOf(new URL('https://a.example/')) }, [])
    expect(value('"@method"', m)).toBe('PoSt')
  })

  it('@target-uri: https://www.example.com/path?param=value', () => {
    expect(value('"@target-uri"', example)).toBe('https://www.example.com/path?param=value')
  })

  it('@authority: www.example.com', () => {
    expect(value('"@authority"', example)).toBe('www.example.com')
  })

  it('@authority of a Request: lower case, the default port omitted, another kept', () => {
    const m = requestMessage(new Request('https://WWW.Example.COM:443/path'))
    expect(value('"@authority"', m)).toBe('www.example.com')
    const other = requestMessage(new Request('https://www.example.com:8443/path'))
    expect(value('"@authority"', other)).toBe('www.example.com:8443')
  })

  it('@scheme: https', () => {
    expect(value('"@scheme"', example)).toBe('https')
    expect(value('"@scheme"', request('http://www.example.com/'))).toBe('http')
  })

  it('@request-target: /path?param=value', () => {
    expect(value('"@request-target"', example)).toBe('/path?param=value')
    expect(value('"@request-target"', request('https://www.example.com/path'))).toBe('/path')
  })

  it('@path: /path', () => {
    expect(value('"@path"', example)).toBe('/path')
  })

  it('@path of an empty path is /', () => {
    expect(value('"@path"', request('https://www.example.com'))).toBe('/')
  })

  it('@query: ?param=value&foo=bar&baz=bat%2Dman', () => {
    const m = request('https://www.example.com/path?param=value&foo=bar&baz=bat%2Dman')
    expect(value('"@query"', m)).toBe('?param=value&foo=bar&baz=bat%2Dman')
  })

  it('@query of a target without a query is ?', () => {
    expect(value('"@query"', request('https://www.example.com/path'))).toBe('?')
  })

  it('@query of a lone ? is ?', () => {
    const m = request('https://www.example.com/path?')
    expect(m.target?.query).toBe('')
    expect(value('"@query"', m)).toBe('?')
    expect(value('"@target-uri"', m)).toBe('https://www.example.com/path?')
  })

  describe('@query-param (RFC 9421 §2.2.8)', () => {
    // GET /path?param=value&foo=bar&baz=batman&qux= HTTP/1.1
    const m = request('https://www.example.com/path?param=value&foo=bar&baz=batman&qux=', [], 'GET')

    it('name="baz": batman', () => {
      expect(value('"@query-param";name="baz"', m)).toBe('batman')
    })

    it('name="qux": the empty string', () => {
      expect(value('"@query-param";name="qux"', m)).toBe('')
    })

    it('name="param": value', () => {
      expect(value('"@query-param";name="param"', m)).toBe('value')
    })

    // GET /parameters?var=this%20is%20a%20big%0Avalue&bar=with+plus+whitespace&fa%C3%A7ade%22%3A%20=something
    const encoded = request(
      'https://example.com/parameters?var=this%20is%20a%20big%0Avalue&bar=with+plus+whitespace&fa%C3%A7ade%22%3A%20=something',
      [],
      'GET',
    )

    it('name="var": this%20is%20a%20big%0Avalue', () => {
      expect(value('"@query-param";name="var"', encoded)).toBe('this%20is%20a%20big%0Avalue')
    })

    it('name="bar": with%20plus%20whitespace (a + is a space, re-encoded as %20)', () => {
      expect(value('"@query-param";name="bar"', encoded)).toBe('with%20plus%20whitespace')
    })

    it('name="fa%C3%A7ade%22%3A%20": something (the name is matched decoded)', () => {
      expect(value('"@query-param";name="fa%C3%A7ade%22%3A%20"', encoded)).toBe('something')
    })

    it('the signature base lines of the RFC example', () => {
      expect(
        base(
          [
            '"@query-param";name="var"',
            '"@query-param";name="bar"',
            '"@query-param";name="fa%C3%A7ade%22%3A%20"',
          ],
          encoded,
        ),
      ).toBe(
        [
          '"@query-param";name="var": this%20is%20a%20big%0Avalue',
          '"@query-param";name="bar": with%20plus%20whitespace',
          '"@query-param";name="fa%C3%A7ade%22%3A%20": something',
          '"@signature-params": ("@query-param";name="var" "@query-param";name="bar" "@query-param";name="fa%C3%A7ade%22%3A%20");created=1',
        ].join('\n'),
      )
    })

    it('a parameter present twice is malformed', () => {
      const twice = request('https://example.com/?a=1&b=2&a=3', [], 'GET')
      expect(failure('"@query-param";name="a"', twice)).toMatchObject({ kind: 'malformed' })
      expect(value('"@query-param";name="b"', twice)).toBe('2')
    })

    it('a parameter not in the query is absent', () => {
      expect(failure('"@query-param";name="nope"', m)).toMatchObject({ kind: 'absent' })
      const none = request('https://example.com/path', [], 'GET')
      expect(failure('"@query-param";name="a"', none)).toMatchObject({ kind: 'absent' })
    })

    it('without a string name parameter it is malformed', () => {
      expect(failure('"@query-param"', m)).toMatchObject({ kind: 'malformed' })
      expect(failure('"@query-param";name=1', m)).toMatchObject({ kind: 'malformed' })
    })

    it('a name that is not valid percent-encoding is malformed', () => {
      const odd = request('https://example.com/?%zz=1&%C3=2', [], 'GET')
      expect(failure('"@query-param";name="%zz"', odd)).toMatchObject({ kind: 'malformed' })
      expect(failure('"@query-param";name="%C3"', odd)).toMatchObject({ kind: 'malformed' })
    })

    it('a name with a raw & names that whole parameter, not its prefix', () => {
      const q = request('https://example.com/?a=1&b=2', [], 'GET')
      expect(() => value('"@query-param";name="a&b"', q)).toThrow(ComponentError)
    })
  })

  it('@status: 200 for a response, malformed for a request', () => {
    const response = message({ status: 200 }, [])
    expect(value('"@status"', response)).toBe('200')
    expect(value('"@status"', responseMessage(new Response(null, { status: 404 })))).toBe('404')
    expect(failure('"@status"', example)).toMatchObject({ kind: 'malformed' })
  })

  it('request components of a response are malformed', () => {
    const response = message({ status: 200 }, [])
    for (const name of ['@method', '@target-uri', '@authority', '@scheme', '@path', '@query']) {
      expect(failure(`"${name}"`, response)).toMatchObject({ kind: 'malformed' })
    }
  })

  it('req takes the component from the request a response answers', () => {
    const response = message({ status: 200 }, [['Content-Type', 'application/json']])
    expect(value('"@method";req', response, example)).toBe('POST')
    expect(value('"@authority";req', response, example)).toBe('www.example.com')
    expect(value('"host";req', response, example)).toBe('www.example.com')
    expect(failure('"@method";req', response)).toMatchObject({ kind: 'malformed' })
  })

  it('an unknown derived component (or @signature-params) is malformed', () => {
    expect(failure('"@foo"', example)).toMatchObject({ kind: 'malformed' })
    expect(failure('"@signature-params"', example)).toMatchObject({ kind: 'malformed' })
  })

  it('an unknown parameter on a derived component is malformed', () => {
    expect(failure('"@method";foo', example)).toMatchObject({ kind: 'malformed' })
    expect(failure('"@path";name="x"', example)).toMatchObject({ kind: 'malformed' })
  })

  it('an identifier that is not a string is malformed', () => {
    expect(failure('method', example)).toMatchObject({ kind: 'malformed' })
    expect(failure(':AAAA:', example)).toMatchObject({ kind: 'malformed' })
  })
})

describe('HTTP fields (RFC 9421 §2.1)', () => {
  it('field names are matched case-insensitively; identifiers must be lower case', () => {
    const m = request('https://example.com/', [['X-Custom-Header', 'v']])
    expect(value('"x-custom-header"', m)).toBe('v')
    expect(failure('"X-Custom-Header"', m)).toMatchObject({ kind: 'malformed' })
  })

  it('repeated field lines are combined with ", " in the signature base (§2.1 example)', () => {
    const m = request('https://example.com/', [
      ['Host', 'www.example.com'],
      ['Date', 'Tue, 20 Apr 2021 02:07:56 GMT'],
      ['X-OWS-Header', '   Leading and trailing whitespace.   '],
      ['Cache-Control', 'max-age=60'],
      ['Cache-Control', '   must-revalidate'],
      ['Example-Dict', ' a=1,    b=2;x=1;y=2,   c=(a   b   c)'],
      ['X-Empty-Header', ''],
    ])
    expect(
      base(
        [
          '"host"',
          '"date"',
          '"x-ows-header"',
          '"cache-control"',
          '"example-dict"',
          '"x-empty-header"',
        ],
        m,
      ),
    ).toBe(
      [
        '"host": www.example.com',
        '"date": Tue, 20 Apr 2021 02:07:56 GMT',
        '"x-ows-header": Leading and trailing whitespace.',
        '"cache-control": max-age=60, must-revalidate',
        '"example-dict": a=1,    b=2;x=1;y=2,   c=(a   b   c)',
        '"x-empty-header": ',
        '"@signature-params": ("host" "date" "x-ows-header" "cache-control" "example-dict" "x-empty-header");created=1',
      ].join('\n'),
    )
  })

  it('a field the message lacks is absent', () => {
    expect(failure('"x-missing"', request('https://example.com/'))).toMatchObject({
      kind: 'absent',
    })
  })

  it('bs encodes each field line separately (§2.1.3 example)', () => {
    const m = request('https://example.com/', [
      ['Example-Header', 'value, with, lots'],
      ['Example-Header', 'of, commas'],
    ])
    expect(value('"example-header"', m)).toBe('value, with, lots, of, commas')
    expect(base(['"example-header";bs'], m)).toBe(
      [
        '"example-header";bs: :dmFsdWUsIHdpdGgsIGxvdHM=:, :b2YsIGNvbW1hcw==:',
        '"@signature-params": ("example-header";bs);created=1',
      ].join('\n'),
    )
    const oneLine = request('https://example.com/', [
      ['Example-Header', 'value, with, lots, of, commas'],
    ])
    expect(value('"example-header";bs', oneLine)).toBe(':dmFsdWUsIHdpdGgsIGxvdHMsIG9mLCBjb21tYXM=:')
  })

  describe('sf and key (§2.1.1, §2.1.2)', () => {
    const types = { 'example-dict': 'dictionary' } as const
    const m = request('https://example.com/', [
      ['Example-Dict', ' a=1,    b=2;x=1;y=2,   c=(a   b   c)'],
    ])

    it('sf re-serialises a dictionary field of a declared type', () => {
      expect(value('"example-dict";sf', m, undefined, types)).toBe('a=1, b=2;x=1;y=2, c=(a b c)')
      expect(base(['"example-dict";sf'], m, types)).toBe(
        [
          '"example-dict";sf: a=1, b=2;x=1;y=2, c=(a b c)',
          '"@signature-params": ("example-dict";sf);created=1',
        ].join('\n'),
      )
    })

    it('sf re-serialises repeated lines as one structure', () => {
      const split = request('https://example.com/', [
        ['Example-Dict', 'a=1,  b=2;x=1'],
        ['Example-Dict', ' c=(a   b)'],
      ])
      expect(value('"example-dict";sf', split, undefined, types)).toBe('a=1, b=2;x=1, c=(a b)')
    })

    it('sf re-serialises list and item fields', () => {
      const list = request('https://example.com/', [['Example-List', 'a,   b;q=1,(x   y)']])
      expect(value('"example-list";sf', list, undefined, { 'example-list': 'list' })).toBe(
        'a, b;q=1, (x y)',
      )
      const item = request('https://example.com/', [['Example-Item', '  "text";p  ']])
      expect(value('"example-item";sf', item, undefined, { 'example-item': 'item' })).toBe(
        '"text";p',
      )
    })

    it('sf knows the registered structured fields without being told', () => {
      const digest = request('https://example.com/', [
        ['Content-Digest', 'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:'],
      ])
      expect(value('"content-digest";sf', digest)).toBe(
        'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:',
      )
    })

    it('sf on a field of unknown type is malformed', () => {
      expect(failure('"example-dict";sf', m)).toMatchObject({ kind: 'malformed' })
    })

    it('sf on a field that does not parse as its type is malformed', () => {
      const bad = request('https://example.com/', [['Example-Dict', 'a=(']])
      expect(failure('"example-dict";sf', bad, undefined, types)).toMatchObject({
        kind: 'malformed',
      })
    })

    it('key picks one member (§2.1.2 example)', () => {
      const d = request('https://example.com/', [
        ['Example-Dict', ' a=1, b=2;x=1;y=2, c=(a   b    c), d'],
      ])
      expect(value('"example-dict";key="a"', d, undefined, types)).toBe('1')
      expect(value('"example-dict";key="d"', d, undefined, types)).toBe('?1')
      expect(value('"example-dict";key="b"', d, undefined, types)).toBe('2;x=1;y=2')
      expect(value('"example-dict";key="c"', d, undefined, types)).toBe('(a b c)')
      // A field of unknown type is read as a dictionary for key.
      expect(value('"example-dict";key="a"', d)).toBe('1')
    })

    it('key naming no member is absent; key on a non-dictionary field is malformed', () => {
      expect(failure('"example-dict";key="zz"', m, undefined, types)).toMatchObject({
        kind: 'absent',
      })
      expect(
        failure('"example-dict";key="a"', m, undefined, { 'example-dict': 'list' }),
      ).toMatchObject({ kind: 'malformed' })
      expect(failure('"example-dict";key=1', m, undefined, types)).toMatchObject({
        kind: 'malformed',
      })
    })
  })

  it('tr (trailers) is refused', () => {
    const m = request('https://example.com/', [['Expires', 'Wed, 9 Nov 2022 07:28:00 GMT']])
    expect(failure('"expires";tr', m)).toMatchObject({ kind: 'malformed' })
  })

  it('bs cannot be combined with sf or key; unknown field parameters are malformed', () => {
    const m = request('https://example.com/', [['Example-Dict', 'a=1']])
    const types = { 'example-dict': 'dictionary' } as const
    expect(failure('"example-dict";bs;sf', m, undefined, types)).toMatchObject({
      kind: 'malformed',
    })
    expect(failure('"example-dict";bs;key="a"', m, undefined, types)).toMatchObject({
      kind: 'malformed',
    })
    expect(failure('"example-dict";foo', m)).toMatchObject({ kind: 'malformed' })
  })

  it('the signature base refuses a component covered twice, and tells identifiers apart', () => {
    const m = request('https://example.com/', [['Example-Dict', 'a=1']])
    expect(() => base(['"@method"', '"@method"'], m)).toThrow(ComponentError)
    expect(base(['"example-dict"', '"example-dict";bs'], m)).toBe(
      [
        '"example-dict": a=1',
        '"example-dict";bs: :YT0x:',
        '"@signature-params": ("example-dict" "example-dict";bs);created=1',
      ].join('\n'),
    )
  })
})
