import type { ConfigIssue } from '@rampart/core'
import { describe, expect, it } from 'vitest'
import { type CspSettings, compileCsp, dangerouslyDisableDefaultSrc } from './index.js'

const settings: CspSettings = { nonce: false, upgradeInsecureRequests: 'always' }
const P = 'contentSecurityPolicy'
const D = `${P}.directives`

function issuesOf(option: unknown, s: CspSettings = settings): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  const plan = compileCsp(option, P, s, issues)
  if (issues.length > 0) expect(plan).toBeUndefined()
  return issues
}

/** `directives` on top of helmet's defaults. */
const dir = (directives: Record<string, unknown>) => ({ directives })

describe('every validation error names its path and says what to do', () => {
  it.each<[string, unknown, string, string]>([
    // The option itself
    ['option null', null, P, 'must be true, false, or an options object'],
    ['option a string', "default-src 'self'", P, 'must be true, false, or an options object'],
    ['option an array', [], P, 'must be true, false, or an options object'],
    [
      'unknown option, misspelt',
      { reportonly: true },
      `${P}.reportonly`,
      "Did you mean 'reportOnly'?",
    ],
    [
      'directive outside directives',
      { scriptSrc: ["'self'"] },
      `${P}.scriptSrc`,
      'directives go inside `directives`',
    ],
    ['unknown option', { colour: 'red' }, `${P}.colour`, 'Known options: useDefaults, directives'],
    [
      'useDefaults not a boolean',
      { useDefaults: 'false' },
      `${P}.useDefaults`,
      'must be true or false; got "false"',
    ],
    ['reportOnly not a boolean', { reportOnly: 1 }, `${P}.reportOnly`, 'must be true or false'],
    ['nonce not a boolean', { nonce: 'yes' }, `${P}.nonce`, 'must be true or false'],
    [
      'upgradeInsecureRequests extension',
      { upgradeInsecureRequests: [] },
      `${P}.upgradeInsecureRequests`,
      "must be 'always' or 'https-only'",
    ],
    [
      'directives not an object',
      { directives: "default-src 'self'" },
      D,
      'must be an object of directives',
    ],
    ['directives an array', { directives: [] }, D, 'must be an object of directives'],
    // Policy structure (helmet's errors)
    ['no directives', { useDefaults: false }, D, 'the policy has no directives'],
    [
      'only the disabled default-src',
      { useDefaults: false, directives: { defaultSrc: dangerouslyDisableDefaultSrc } },
      D,
      'no directives',
    ],
    [
      'no default-src',
      { useDefaults: false, directives: { imgSrc: ["'self'"] } },
      D,
      'dangerouslyDisableDefaultSrc',
    ],
    [
      'default-src null',
      dir({ defaultSrc: null }),
      `${D}.defaultSrc`,
      'default-src cannot be null',
    ],
    [
      'disable symbol elsewhere',
      dir({ imgSrc: dangerouslyDisableDefaultSrc }),
      `${D}.imgSrc`,
      'only applies to default-src',
    ],
    [
      'duplicate directive',
      dir({ scriptSrc: ["'self'"], 'script-src': ["'self'"] }),
      `${D}.script-src`,
      'duplicate directive script-src: "scriptSrc" and "script-src" both set it',
    ],
    // Names
    ['empty name', dir({ '': [] }), `${D}.`, 'cannot be empty'],
    [
      'name with an underscore',
      dir({ script_src: [] }),
      `${D}.script_src`,
      'Did you mean "script-src"?',
    ],
    [
      'name with a capital first',
      dir({ ScriptSrc: [] }),
      `${D}.ScriptSrc`,
      'camelCase (scriptSrc) or kebab-case',
    ],
    [
      'name ending in a hyphen',
      dir({ 'img-src-': [] }),
      `${D}.img-src-`,
      'not a valid directive name',
    ],
    [
      'misspelt camelCase name',
      dir({ scriptSource: [] }),
      `${D}.scriptSource`,
      'Did you mean "scriptSrc"?',
    ],
    ['misspelt kebab-case name', dir({ 'img-scr': [] }), `${D}.img-scr`, 'Did you mean "img-src"?'],
    [
      'capital after a hyphen',
      dir({ 'script-Src': [] }),
      `${D}.script-Src`,
      '(script--src) is not a Content-Security-Policy directive',
    ],
    ['unknown directive', dir({ fooBar: [] }), `${D}.fooBar`, 'browsers ignore unknown directives'],
    // Values
    [
      'value undefined',
      dir({ scriptSrc: undefined }),
      `${D}.scriptSrc`,
      'got undefined. Omit the key to keep the default',
    ],
    ['value a number', dir({ scriptSrc: 5 }), `${D}.scriptSrc`, 'got the number 5'],
    [
      'value true',
      dir({ upgradeInsecureRequests: true }),
      `${D}.upgradeInsecureRequests`,
      'got the boolean true',
    ],
    ['value an object', dir({ scriptSrc: { a: 1 } }), `${D}.scriptSrc`, 'got an object'],
    [
      'value a bare function',
      dir({ scriptSrc: () => "'self'" }),
      `${D}.scriptSrc`,
      'must be inside a list: write [fn]',
    ],
    ['value another symbol', dir({ scriptSrc: Symbol('x') }), `${D}.scriptSrc`, 'got a symbol (x)'],
    [
      'entry a number',
      dir({ scriptSrc: ["'self'", 7] }),
      `${D}.scriptSrc[1]`,
      'must be a string or a function (ctx) => string; got the number 7',
    ],
    ['entry null', dir({ scriptSrc: [null] }), `${D}.scriptSrc[0]`, 'got null'],
    [
      'helmet-style (req, res) function',
      dir({
        scriptSrc: ["'self'", (_req: unknown, res: { locals: { n: string } }) => res.locals.n],
      }),
      `${D}.scriptSrc[1]`,
      'set `nonce: true` instead',
    ],
    [
      'an endless iterable',
      dir({
        scriptSrc: {
          *[Symbol.iterator]() {
            for (;;) yield "'self'"
          },
        },
      }),
      `${D}.scriptSrc`,
      'more than 1024 entries',
    ],
    [
      'an iterable that throws',
      dir({
        scriptSrc: {
          *[Symbol.iterator]() {
            yield "'self'"
            throw new Error('nope')
          },
        },
      }),
      `${D}.scriptSrc`,
      'could not be iterated: Error: nope',
    ],
    // Characters
    [
      'semicolon',
      dir({ scriptSrc: ["'self'; object-src *"] }),
      `${D}.scriptSrc[0]`,
      'contains ";", which ends the script-src directive',
    ],
    [
      'comma',
      dir({ imgSrc: ['a.example.com,b.example.com'] }),
      `${D}.imgSrc[0]`,
      'contains ",", which starts a second policy',
    ],
    [
      'CR LF in a string value',
      dir({ scriptSrc: "'self'\r\nSet-Cookie: x=1" }),
      `${D}.scriptSrc`,
      'a carriage return (CR, U+000D) at index 6',
    ],
    [
      'LF',
      dir({ scriptSrc: ["'self'", 'x\ny'] }),
      `${D}.scriptSrc[1]`,
      'a line feed (LF, U+000A) at index 1',
    ],
    ['tab', dir({ scriptSrc: ["'self'\thttps:"] }), `${D}.scriptSrc[0]`, 'a tab (U+0009)'],
    ['NUL', dir({ scriptSrc: ['\u0000'] }), `${D}.scriptSrc[0]`, 'a control character (U+0000)'],
    [
      'non-ASCII host',
      dir({ imgSrc: ['https://bücher.example'] }),
      `${D}.imgSrc[0]`,
      'a non-ASCII character (U+00FC) at index 9; header values must be visible ASCII (write host names in punycode',
    ],
    // Quoting
    ...[
      'self',
      'none',
      'unsafe-inline',
      'unsafe-eval',
      'strict-dynamic',
      'unsafe-hashes',
      'report-sample',
      'wasm-unsafe-eval',
      'inline-speculation-rules',
      'unsafe-allow-redirects',
      'SELF',
    ].map((k): [string, unknown, string, string] => [
      `unquoted ${k}`,
      dir({ scriptSrc: [k] }),
      `${D}.scriptSrc[0]`,
      `"${k}" should be quoted: write "'${k}'"`,
    ]),
    ['unquoted nonce', dir({ scriptSrc: ['nonce-abc'] }), `${D}.scriptSrc[0]`, 'should be quoted'],
    ['unquoted hash', dir({ scriptSrc: ['sha256-abc'] }), `${D}.scriptSrc[0]`, 'should be quoted'],
    [
      'unquoted keyword inside a string of several',
      dir({ scriptSrc: 'https: self' }),
      `${D}.scriptSrc`,
      '"self" should be quoted',
    ],
    [
      'unquoted keyword in report-to',
      dir({ reportTo: 'self' }),
      `${D}.reportTo`,
      'should be quoted',
    ],
    ['double quotes', dir({ scriptSrc: ['"self"'] }), `${D}.scriptSrc[0]`, 'uses double quotes'],
    [
      'unterminated quote',
      dir({ scriptSrc: ["'self"] }),
      `${D}.scriptSrc[0]`,
      'has no closing single quote',
    ],
    [
      'quoted scheme',
      dir({ imgSrc: ["'data:'"] }),
      `${D}.imgSrc[0]`,
      'written without quotes (data:)',
    ],
    ['quoted host', dir({ imgSrc: ["'example.com'"] }), `${D}.imgSrc[0]`, 'written without quotes'],
    [
      'misspelt keyword',
      dir({ scriptSrc: ["'slef'"] }),
      `${D}.scriptSrc[0]`,
      `Did you mean "'self'"?`,
    ],
    [
      'misspelt keyword with underscore',
      dir({ scriptSrc: ["'unsafe_inline'"] }),
      `${D}.scriptSrc[0]`,
      `Did you mean "'unsafe-inline'"?`,
    ],
    [
      'unknown keyword',
      dir({ scriptSrc: ["'everything'"] }),
      `${D}.scriptSrc[0]`,
      'is not a CSP keyword',
    ],
    [
      'unsupported hash algorithm',
      dir({ scriptSrc: ["'sha1-abc'"] }),
      `${D}.scriptSrc[0]`,
      'CSP hashes are sha256, sha384 or sha512',
    ],
    [
      'fixed nonce',
      dir({ scriptSrc: ["'nonce-abc123'"] }),
      `${D}.scriptSrc[0]`,
      'is a fixed nonce',
    ],
    // Hashes
    [
      'hash too short',
      dir({ scriptSrc: ["'sha256-abc'"] }),
      `${D}.scriptSrc[0]`,
      'a 32-byte digest is 44 base64 characters including = padding, this one has 3',
    ],
    [
      'sha384 wrong length',
      dir({ scriptSrc: ["'sha384-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"] }),
      `${D}.scriptSrc[0]`,
      'a 48-byte digest is 64 base64 characters',
    ],
    [
      'sha512 wrong length',
      dir({ scriptSrc: ["'sha512-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"] }),
      `${D}.scriptSrc[0]`,
      'a 64-byte digest is 88 base64 characters including == padding',
    ],
    [
      'hash with a non-base64 character',
      dir({ scriptSrc: ["'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSu.U='"] }),
      `${D}.scriptSrc[0]`,
      '"." is not a base64 character',
    ],
    [
      'hex digest',
      dir({
        scriptSrc: ["'sha256-e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'"],
      }),
      `${D}.scriptSrc[0]`,
      'looks like a hexadecimal digest; CSP hashes are base64',
    ],
    [
      'wrong padding',
      dir({ scriptSrc: ["'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=='"] }),
      `${D}.scriptSrc[0]`,
      'is not a valid sha256 hash',
    ],
    // Hosts and schemes
    [
      'bare scheme name',
      dir({ imgSrc: ["'self'", 'data'] }),
      `${D}.imgSrc[1]`,
      'for the scheme write "data:"',
    ],
    [
      'invalid scheme',
      dir({ imgSrc: ['1http:'] }),
      `${D}.imgSrc[0]`,
      'is not a valid scheme source',
    ],
    [
      'invalid scheme before ://',
      dir({ imgSrc: ['h_t://x'] }),
      `${D}.imgSrc[0]`,
      '"h_t" is not a URL scheme',
    ],
    [
      'underscore in host',
      dir({ imgSrc: ['my_host.example.com'] }),
      `${D}.imgSrc[0]`,
      '"_" cannot appear in a host name',
    ],
    [
      'wildcard not leftmost',
      dir({ imgSrc: ['https://example.*'] }),
      `${D}.imgSrc[0]`,
      'only allowed as the leftmost label',
    ],
    [
      'port out of range',
      dir({ connectSrc: ['localhost:70000'] }),
      `${D}.connectSrc[0]`,
      'the port must be a number from 0 to 65535',
    ],
    [
      'port not a number',
      dir({ connectSrc: ['localhost:http'] }),
      `${D}.connectSrc[0]`,
      'the port must be a number',
    ],
    [
      'query in a path',
      dir({ scriptSrc: ['https://cdn.example.com/app.js?v=2'] }),
      `${D}.scriptSrc[0]`,
      'browsers ignore a ?query or #fragment',
    ],
    [
      'IPv6 literal',
      dir({ connectSrc: ['http://[::1]:3000'] }),
      `${D}.connectSrc[0]`,
      'no syntax for IPv6 literals',
    ],
    [
      'missing host',
      dir({ connectSrc: ['https://'] }),
      `${D}.connectSrc[0]`,
      'the host is missing',
    ],
    [
      'trailing dot',
      dir({ connectSrc: ['example.com.'] }),
      `${D}.connectSrc[0]`,
      'ends with a dot',
    ],
    [
      'space in a path',
      dir({ scriptSrc: ['https://a.example.com/<x>'] }),
      `${D}.scriptSrc[0]`,
      '"<" must be percent-encoded',
    ],
    // Whole-value rules
    [
      "'none' with other sources",
      dir({ scriptSrc: ["'none'", "'self'"] }),
      `${D}.scriptSrc`,
      "'none' must be the only source",
    ],
    [
      'strict-dynamic with nothing to trust',
      dir({ scriptSrc: ["'strict-dynamic'", 'https:'] }),
      `${D}.scriptSrc`,
      "'strict-dynamic' trusts only scripts approved by a nonce or a hash",
    ],
    [
      'strict-dynamic in script-src-elem',
      dir({ scriptSrcElem: ["'strict-dynamic'"] }),
      `${D}.scriptSrcElem`,
      'Set `nonce: true`',
    ],
    // Directive-specific grammars
    [
      'frame-ancestors keyword',
      dir({ frameAncestors: ["'unsafe-inline'"] }),
      `${D}.frameAncestors[0]`,
      'has no effect in frame-ancestors',
    ],
    [
      'frame-ancestors hash',
      dir({ frameAncestors: ["'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"] }),
      `${D}.frameAncestors[0]`,
      'has no effect in frame-ancestors',
    ],
    [
      'sandbox misspelt flag',
      dir({ sandbox: ['allow-script'] }),
      `${D}.sandbox[0]`,
      'Did you mean "allow-scripts"?',
    ],
    [
      'sandbox unknown flag',
      dir({ sandbox: ['everything'] }),
      `${D}.sandbox[0]`,
      'Known flags: allow-downloads',
    ],
    [
      'sandbox quoted flag',
      dir({ sandbox: ["'allow-forms'"] }),
      `${D}.sandbox[0]`,
      'sandbox flags are not quoted: write allow-forms',
    ],
    [
      'report-uri quoted',
      dir({ reportUri: ["'self'"] }),
      `${D}.reportUri[0]`,
      'report-uri takes absolute or relative URLs',
    ],
    [
      'report-uri empty',
      dir({ reportUri: [] }),
      `${D}.reportUri`,
      'report-uri needs at least one URL',
    ],
    [
      'report-uri invalid URL',
      dir({ reportUri: ['https://[::1'] }),
      `${D}.reportUri[0]`,
      'is not a URL',
    ],
    [
      'report-to a URL',
      dir({ reportTo: 'https://report.example.com/csp' }),
      `${D}.reportTo`,
      'For a URL use report-uri',
    ],
    [
      'report-to two groups',
      dir({ reportTo: ['a', 'b'] }),
      `${D}.reportTo`,
      'takes a single Reporting-Endpoints group name',
    ],
    [
      'report-to empty',
      dir({ reportTo: [] }),
      `${D}.reportTo`,
      'needs the name of a Reporting-Endpoints group',
    ],
    [
      'report-to invalid name',
      dir({ reportTo: ['a"b'] }),
      `${D}.reportTo[0]`,
      'is not a valid endpoint name',
    ],
    [
      'upgrade-insecure-requests with a value',
      dir({ upgradeInsecureRequests: ['1'] }),
      `${D}.upgradeInsecureRequests[0]`,
      'takes no value: set it to []',
    ],
    [
      'block-all-mixed-content with a function',
      dir({ blockAllMixedContent: [() => 'x'] }),
      `${D}.blockAllMixedContent`,
      'takes no value',
    ],
    [
      'require-trusted-types-for unquoted',
      dir({ requireTrustedTypesFor: ['script'] }),
      `${D}.requireTrustedTypesFor[0]`,
      `should be quoted: write "'script'"`,
    ],
    [
      'require-trusted-types-for other',
      dir({ requireTrustedTypesFor: ["'style'"] }),
      `${D}.requireTrustedTypesFor[0]`,
      "takes only 'script'",
    ],
    [
      'require-trusted-types-for empty',
      dir({ requireTrustedTypesFor: [] }),
      `${D}.requireTrustedTypesFor`,
      "needs 'script'",
    ],
    [
      'trusted-types unquoted allow-duplicates',
      dir({ trustedTypes: ['allow-duplicates'] }),
      `${D}.trustedTypes[0]`,
      'should be quoted: write "\'allow-duplicates\'"',
    ],
    [
      'trusted-types bad policy name',
      dir({ trustedTypes: ['my policy!'] }),
      `${D}.trustedTypes[0]`,
      '"!" is not allowed',
    ],
    [
      'trusted-types quoted other',
      dir({ trustedTypes: ["'self'"] }),
      `${D}.trustedTypes[0]`,
      'trusted-types takes policy names',
    ],
    [
      'webrtc unquoted',
      dir({ webrtc: ['block'] }),
      `${D}.webrtc[0]`,
      `should be quoted: write "'block'"`,
    ],
    [
      'webrtc two values',
      dir({ webrtc: ["'allow'", "'block'"] }),
      `${D}.webrtc`,
      "exactly one of 'allow' or 'block'",
    ],
    [
      'webrtc other',
      dir({ webrtc: ["'maybe'"] }),
      `${D}.webrtc[0]`,
      "webrtc takes 'allow' or 'block'",
    ],
    [
      'plugin-types not a MIME type',
      dir({ pluginTypes: ['pdf'] }),
      `${D}.pluginTypes[0]`,
      'is not a MIME type',
    ],
  ])('%s', (_label, option, path, fragment) => {
    const issues = issuesOf(option)
    const match = issues.find((issue) => issue.path === path && issue.message.includes(fragment))
    expect(
      match,
      `expected ${path}: …${fragment}… in\n${JSON.stringify(issues, null, 2)}`,
    ).toBeDefined()
  })
})

describe('collecting problems', () => {
  it('reports every problem in one pass, never throwing', () => {
    const issues = issuesOf({
      reportonly: true,
      nonce: 'yes',
      directives: {
        scriptSrc: ['self', "'self'", 'nonce-x'],
        'script-src': ["'self'"],
        imgSrcc: ['data:'],
        styleSrc: ["'unsafe-inline'", 'a;b'],
        upgradeInsecureRequests: true,
      },
    })
    expect(issues.map((i) => i.path)).toEqual([
      `${P}.reportonly`,
      `${P}.nonce`,
      `${D}.scriptSrc[0]`,
      `${D}.scriptSrc[2]`,
      `${D}.script-src`,
      `${D}.imgSrcc`,
      `${D}.styleSrc[1]`,
      `${D}.upgradeInsecureRequests`,
    ])
  })

  it('joins several problems within one string entry', () => {
    const [issue] = issuesOf(dir({ scriptSrc: "self 'slef'" }))
    expect(issue?.message).toContain('"self" should be quoted')
    expect(issue?.message).toContain(`Did you mean "'self'"?`)
  })

  it('still checks the value of a key that is not a directive', () => {
    const issues = issuesOf(dir({ scriptSource: ['self'] }))
    expect(issues.map((i) => i.path)).toEqual([`${D}.scriptSource`, `${D}.scriptSource[0]`])
  })

  it('does not pile a missing default-src on top of an invalid one', () => {
    const issues = issuesOf({ useDefaults: false, directives: { defaultSrc: ['self'] } })
    expect(issues).toHaveLength(1)
    expect(issues[0]?.path).toBe(`${D}.defaultSrc[0]`)
  })

  it('appends to issues already in the sink and leaves them alone', () => {
    const issues: ConfigIssue[] = [{ path: 'other', message: 'earlier' }]
    expect(compileCsp(undefined, P, settings, issues)).toBeDefined()
    expect(compileCsp(dir({ scriptSrc: ['self'] }), P, settings, issues)).toBeUndefined()
    expect(issues).toHaveLength(2)
    expect(issues[0]).toEqual({ path: 'other', message: 'earlier' })
  })

  it('uses the given path prefix (the report-only policy)', () => {
    const issues: ConfigIssue[] = []
    compileCsp(dir({ imgSrc: ['self'] }), 'contentSecurityPolicyReportOnly', settings, issues, true)
    expect(issues[0]?.path).toBe('contentSecurityPolicyReportOnly.directives.imgSrc[0]')
  })

  it('does not report nonce-related problems when the nonce fixes them', () => {
    expect(
      issuesOf(dir({ scriptSrc: ["'strict-dynamic'", 'https:'] }), { ...settings, nonce: true }),
    ).toEqual([])
    expect(issuesOf({ nonce: true, ...dir({ scriptSrc: ["'strict-dynamic'"] }) })).toEqual([])
    expect(issuesOf(dir({ scriptSrc: ["'strict-dynamic'", () => "'nonce-x'"] }))).toEqual([])
  })
})
