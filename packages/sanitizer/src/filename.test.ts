import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { safeFilename } from './filename.js'

describe('safeFilename', () => {
  it('keeps only the last segment, whatever the separator', () => {
    const traversal: [string, string][] = [
      ['../../etc/passwd', 'passwd'],
      ['..\\..\\windows\\system32\\cmd.exe', 'cmd.exe'],
      ['..／..／etc／passwd', 'passwd'],
      ['..＼..＼boot.ini', 'boot.ini'],
      ['..∕..∕x.txt', 'x.txt'],
      ['..⁄secret', 'secret'],
      ['／etc／shadow', 'shadow'],
      ['C:\\Users\\me\\photo.jpg', 'photo.jpg'],
      ['\\\\server\\share\\a.doc', 'a.doc'],
      ['．．／．．／x', 'x'],
      ['..', 'file'],
      ['.', 'file'],
      ['...', 'file'],
      ['/', 'file'],
      ['', 'file'],
    ]
    for (const [input, expected] of traversal) expect(safeFilename(input), input).toBe(expected)
  })

  it('drops controls, bidi overrides and invisible characters; replaces forbidden ones', () => {
    expect(safeFilename('invoice\u202efdp.exe')).toBe('invoicefdp.exe')
    expect(safeFilename('a\u0000b\u0007c.txt')).toBe('abc.txt')
    expect(safeFilename('re\u200bport.pdf')).toBe('report.pdf')
    expect(safeFilename('what?<now>:"|*.txt')).toBe('what__now_____.txt')
    expect(safeFilename('x:y.txt', { replacement: '-' })).toBe('x-y.txt')
  })

  it('never answers a hidden file, a trailing dot or space, or a reserved device name', () => {
    expect(safeFilename('.htaccess')).toBe('htaccess')
    expect(safeFilename('report.pdf. . ')).toBe('report.pdf')
    expect(safeFilename('CON')).toBe('_CON')
    expect(safeFilename('nul.txt')).toBe('_nul.txt')
    expect(safeFilename('com1.log')).toBe('_com1.log')
    expect(safeFilename('lpt¹')).toBe('_lpt1')
    expect(safeFilename('console.txt')).toBe('console.txt')
  })

  it('cuts to maxBytes in UTF-8, keeping the extension and whole characters', () => {
    const long = `${'é'.repeat(300)}.jpeg`
    const safe = safeFilename(long)
    expect(new TextEncoder().encode(safe).length).toBeLessThanOrEqual(255)
    expect(safe.endsWith('.jpeg')).toBe(true)
    expect(safe).not.toContain('\ufffd')
    expect(safeFilename('abcdef.txt', { maxBytes: 8 })).toBe('abcd.txt')
  })

  it('takes anything that is not a string as the fallback', () => {
    expect(safeFilename(undefined)).toBe('file')
    expect(safeFilename(['a'], { fallback: 'upload' })).toBe('upload')
  })

  it('property: the result is one safe segment for any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (input) => {
        const safe = safeFilename(input)
        expect(safe.length).toBeGreaterThan(0)
        expect(new TextEncoder().encode(safe).length).toBeLessThanOrEqual(255)
        expect(safe).not.toMatch(/[/\\<>:"|?*\u202a-\u202e\u2066-\u2069]/)
        expect([...safe].every((ch) => (ch.codePointAt(0) as number) >= 0x20)).toBe(true)
        expect(safe).not.toMatch(/^\.|[. ]$/)
        expect(safe.normalize('NFKC')).not.toMatch(/[/\\]/)
        expect(safe).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i)
      }),
      { numRuns: 2_000 },
    )
  })
})
