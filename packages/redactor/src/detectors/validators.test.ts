import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeBase64 } from './base64.js'
import { isCardNumber, isKnownIin, luhn } from './cards.js'
import { isValidIban } from './iban.js'
import { DETECTOR_IDS, isDetectorId } from './ids.js'
import { isJwt } from './jwt.js'
import { isValidSsn } from './ssn.js'

/** Test cards published by the networks and processors (Stripe, Adyen, PayPal docs). */
const CARDS = {
  visa: ['4111111111111111', '4242424242424242', '4012888888881881', '4222222222222'],
  mastercard: ['5555555555554444', '5105105105105100', '2223003122003222'],
  amex: ['378282246310005', '371449635398431', '378734493671000'],
  discover: ['6011111111111117', '6011000990139424', '6445644564456445'],
  jcb: ['3530111333300000', '3566002020360505'],
  diners: ['30569309025904', '38520000023237', '36227206271667'],
}

describe('luhn', () => {
  it('accepts every published test card and rejects each with its last digit changed', () => {
    for (const card of Object.values(CARDS).flat()) {
      expect(luhn(card), card).toBe(true)
      const last = Number(card.at(-1))
      expect(luhn(card.slice(0, -1) + String((last + 1) % 10)), card).toBe(false)
    }
  })

  it('accepts classic Luhn numbers beyond cards', () => {
    expect(luhn('79927398713')).toBe(true)
    expect(luhn('79927398710')).toBe(false)
  })

  it('rejects what is not a digit string of at least two digits', () => {
    for (const bad of ['', '0', '4111 1111 1111 1111', '4111-1111', '411111111111111a', '٤١١١']) {
      expect(luhn(bad), bad).toBe(false)
    }
  })

  it('agrees with a reference implementation on random digit strings', () => {
    const reference = (digits: string) => {
      let sum = 0
      const reversed = [...digits].reverse()
      reversed.forEach((d, k) => {
        const v = Number(d) * (k % 2 === 1 ? 2 : 1)
        sum += v > 9 ? v - 9 : v
      })
      return sum % 10 === 0
    }
    const digits = fc.string({
      unit: fc.constantFrom(...'0123456789'),
      minLength: 2,
      maxLength: 30,
    })
    fc.assert(fc.property(digits, (d) => luhn(d) === reference(d)))
  })
})

describe('isCardNumber', () => {
  it('accepts the test cards of every network', () => {
    for (const [network, cards] of Object.entries(CARDS)) {
      for (const card of cards) expect(isCardNumber(card), `${network} ${card}`).toBe(true)
    }
  })

  it('rejects Luhn-valid numbers without a known prefix, or at a length the network never issues', () => {
    expect(luhn('1234567812345670')).toBe(true)
    expect(isCardNumber('1234567812345670')).toBe(false) // no network starts with 1
    expect(isCardNumber('9999999999999995')).toBe(false)
    expect(luhn('41111111111111')).toBe(false)
    expect(isKnownIin(4111, 14)).toBe(false) // Visa: 13, 16 or 19 digits
    expect(isKnownIin(3782, 16)).toBe(false) // Amex: 15
    expect(isKnownIin(5555, 19)).toBe(false) // Mastercard: 16
  })

  it('knows the prefix ranges at their edges', () => {
    expect(isKnownIin(2221, 16)).toBe(true)
    expect(isKnownIin(2720, 16)).toBe(true)
    expect(isKnownIin(2220, 16)).toBe(false)
    expect(isKnownIin(2721, 16)).toBe(false)
    expect(isKnownIin(5099, 16)).toBe(false)
    expect(isKnownIin(5600, 16)).toBe(false)
    expect(isKnownIin(6440, 16)).toBe(true)
    expect(isKnownIin(6430, 16)).toBe(false)
    expect(isKnownIin(3050, 14)).toBe(true)
    expect(isKnownIin(3060, 14)).toBe(false)
  })

  it('rejects wrong lengths and non-digits', () => {
    expect(isCardNumber('424242424242')).toBe(false)
    expect(isCardNumber('42424242424242424242')).toBe(false)
    expect(isCardNumber('4242 4242 4242 4242')).toBe(false)
  })
})

describe('isValidSsn', () => {
  it('accepts numbers the SSA could have issued', () => {
    expect(isValidSsn(536, 22, 8177)).toBe(true)
    expect(isValidSsn(1, 1, 1)).toBe(true)
    expect(isValidSsn(899, 99, 9999)).toBe(true)
    expect(isValidSsn(665, 10, 1000)).toBe(true)
  })

  it('rejects area 000, 666 and 900-999, group 00 and serial 0000', () => {
    expect(isValidSsn(0, 12, 3456)).toBe(false)
    expect(isValidSsn(666, 12, 3456)).toBe(false)
    expect(isValidSsn(900, 12, 3456)).toBe(false)
    expect(isValidSsn(987, 65, 4320)).toBe(false)
    expect(isValidSsn(999, 12, 3456)).toBe(false)
    expect(isValidSsn(536, 0, 3456)).toBe(false)
    expect(isValidSsn(536, 22, 0)).toBe(false)
  })

  it('rejects the well-known advertising and example numbers', () => {
    expect(isValidSsn(78, 5, 1120)).toBe(false) // the Woolworth wallet card
    expect(isValidSsn(219, 9, 9999)).toBe(false) // the SSA pamphlet
    expect(isValidSsn(123, 45, 6789)).toBe(false)
  })

  it('rejects out-of-range and non-integer parts', () => {
    expect(isValidSsn(1000, 12, 3456)).toBe(false)
    expect(isValidSsn(536, 100, 3456)).toBe(false)
    expect(isValidSsn(536, 22, 10000)).toBe(false)
    expect(isValidSsn(536.5, 22, 8177)).toBe(false)
    expect(isValidSsn(Number.NaN, 22, 8177)).toBe(false)
    expect(isValidSsn(-5, 22, 8177)).toBe(false)
  })
})

/** Examples from the SWIFT IBAN registry and national banking associations. */
const IBANS = [
  'DE89370400440532013000',
  'FR1420041010050500013M02606',
  'GB82WEST12345698765432',
  'ES9121000418450200051332',
  'IT60X0542811101000000123456',
  'NL91ABNA0417164300',
  'BE68539007547034',
  'CH9300762011623852957',
  'AT611904300234573201',
  'PL61109010140000071219812874',
  'SE4550000000058398257466',
  'NO9386011117947',
  'DK5000400440116243',
  'FI2112345600000785',
  'IE29AIBK93115212345678',
  'PT50000201231234567890154',
  'LU280019400644750000',
]

/** The check the implementation avoids, with BigInt: the reference for the property below. */
function referenceMod97(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4)
  const digits = [...rearranged]
    .map((c) => (/\d/.test(c) ? c : String(c.charCodeAt(0) - 55)))
    .join('')
  return BigInt(digits) % 97n === 1n
}

describe('isValidIban', () => {
  it('accepts the registry examples, compact and in groups of four, in any case', () => {
    for (const iban of IBANS) {
      expect(isValidIban(iban), iban).toBe(true)
      expect(referenceMod97(iban), iban).toBe(true)
      const grouped = iban.replace(/(.{4})/g, '$1 ').trim()
      expect(isValidIban(grouped), grouped).toBe(true)
      expect(isValidIban(iban.toLowerCase()), iban).toBe(true)
    }
  })

  it('rejects wrong check digits, a changed character and swapped neighbours', () => {
    expect(isValidIban('DE88370400440532013000')).toBe(false)
    expect(isValidIban('DE89370400440532013001')).toBe(false)
    expect(isValidIban('DE89370400440532031000')).toBe(false)
    expect(isValidIban('GB82WEST12345698765433')).toBe(false)
  })

  it('rejects the wrong length for the country, unknown countries and malformed text', () => {
    expect(isValidIban('DE8937040044053201300')).toBe(false)
    expect(isValidIban('DE893704004405320130000')).toBe(false)
    expect(isValidIban('XX89370400440532013000')).toBe(false)
    expect(isValidIban('D989370400440532013000')).toBe(false)
    expect(isValidIban('DEAB370400440532013000')).toBe(false)
    expect(isValidIban('DE89-3704-0044-0532-0130-00')).toBe(false)
    expect(isValidIban('')).toBe(false)
    expect(isValidIban('DE')).toBe(false)
  })

  it('rejects the check digits 00, 01 and 99, which mod-97 alone would let through', () => {
    // 00 and 97 (also 01/98, 99/02) are the same remainder: a computed IBAN never has 00, 01 or 99.
    const body = '370400440532013000'
    for (let check = 0; check <= 99; check++) {
      const cd = String(check).padStart(2, '0')
      const iban = `DE${cd}${body}`
      const expected = referenceMod97(iban) && check >= 2 && check <= 98
      expect(isValidIban(iban), iban).toBe(expected)
    }
    expect(isValidIban('DE00370400440532013000')).toBe(false)
  })

  it('agrees with a BigInt mod-97 on random account numbers of the right length', () => {
    const countries: [string, number][] = [
      ['DE', 22],
      ['GB', 22],
      ['FR', 27],
      ['NO', 15],
      ['MT', 31],
    ]
    const alnum = fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ')
    const arbitrary = fc
      .constantFrom(...countries)
      .chain(([country, length]) =>
        fc
          .tuple(
            fc.integer({ min: 2, max: 98 }),
            fc.string({ unit: alnum, minLength: length - 4, maxLength: length - 4 }),
          )
          .map(([check, bban]) => `${country}${String(check).padStart(2, '0')}${bban}`),
      )
    fc.assert(fc.property(arbitrary, (iban) => isValidIban(iban) === referenceMod97(iban)))
  })
})

describe('isJwt', () => {
  const jwt =
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'

  it('accepts signed, unsecured and encrypted compact tokens', () => {
    expect(isJwt(jwt)).toBe(true)
    // {"alg":"none"} with an empty signature
    expect(isJwt('eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.')).toBe(true)
    // A JWE with an empty encrypted key (`dir`): five segments
    expect(isJwt('eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aXY.Y2lwaGVy.dGFn')).toBe(true)
    // {"typ":"JWT"} without alg still names a JOSE header
    expect(isJwt('eyJ0eXAiOiJKV1QifQ.eyJhIjoxfQ.c2ln')).toBe(true)
  })

  it('rejects a header that is not a JSON object with alg or typ', () => {
    expect(isJwt('eyJzdWIiOiIxIn0.eyJzdWIiOiIxIn0.c2ln')).toBe(false) // {"sub":"1"}
    expect(isJwt('eyJ9.eyJ9.c2ln')).toBe(false) // {"} is not JSON
    expect(isJwt('eyJust.kidding.here')).toBe(false)
    expect(isJwt('eyJhbGciOiJIUzI1NiJ9')).toBe(false) // a header alone
    expect(isJwt('eyJhbGciOiJIUzI1NiJ9..c2ln')).toBe(false) // empty payload
    expect(isJwt(`${jwt}x y`)).toBe(false)
    expect(isJwt(`x${jwt}`)).toBe(false)
  })
})

describe('decodeBase64', () => {
  it('decodes standard and URL-safe base64, with or without padding', () => {
    const decode = (s: string) => decodeBase64(s, 0, s.length)
    expect(decode('QWxhZGRpbjpvcGVuIHNlc2FtZQ==')).toBe('Aladdin:open sesame')
    expect(decode('QWxhZGRpbjpvcGVuIHNlc2FtZQ')).toBe('Aladdin:open sesame')
    expect(decode('-_-_')).toBe(decode('+/+/'))
    expect(decode('')).toBe('')
    expect(decode('QQ')).toBe('A')
  })

  it('answers undefined for what no encoder produces', () => {
    const decode = (s: string) => decodeBase64(s, 0, s.length)
    expect(decode('QWxhZ')).toBeUndefined() // one sextet left over
    expect(decode('QW=x')).toBeUndefined()
    expect(decode('QW!x')).toBeUndefined()
    expect(decode('QWé=')).toBeUndefined()
  })

  it('round-trips random bytes through btoa', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const binary = String.fromCharCode(...bytes)
        const encoded = btoa(binary)
        expect(decodeBase64(encoded, 0, encoded.length)).toBe(binary)
      }),
    )
  })
})

describe('detector ids', () => {
  it('lists each detector once and recognises only those names', () => {
    expect(new Set(DETECTOR_IDS).size).toBe(DETECTOR_IDS.length)
    expect(Object.isFrozen(DETECTOR_IDS)).toBe(true)
    for (const id of DETECTOR_IDS) expect(isDetectorId(id)).toBe(true)
    expect(isDetectorId('Bearer')).toBe(false)
    expect(isDetectorId(undefined)).toBe(false)
    expect(isDetectorId('toString')).toBe(false)
  })
})
