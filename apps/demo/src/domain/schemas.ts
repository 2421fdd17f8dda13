/**
 * The partner body as the source guides validate it, as a zod schema the sanitizer runs
 * (Standard Schema): name 1–100 characters without `< > " '`; e-mail `local@domain.tld`, at most
 * 254; phone of digits, spaces and `+ - ( )`, at most 20; website `http(s)://host.tld/…`, at
 * most 200; VAT id alphanumeric, at most 32, upper-cased; credit limit a whole, non-negative
 * amount. Unknown keys are refused, not dropped: a client that sends `ownerId` learns it may not.
 * @module
 */
import { z } from 'zod'

const name = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'at most 100 characters')
  .regex(/^[^<>"']*$/, `must not contain < > " or '`)

// One `@`, a dot in the domain, no spaces: the guides' `local@domain.tld`, with no backtracking.
const email = z
  .string()
  .trim()
  .max(254, 'at most 254 characters')
  .regex(/^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/, 'must look like local@domain.tld')

const phone = z
  .string()
  .trim()
  .max(20, 'at most 20 characters')
  .regex(/^[0-9 +\-()]+$/, 'only digits, spaces and + - ( )')

const website = z
  .string()
  .trim()
  .max(200, 'at most 200 characters')
  .regex(
    /^https?:\/\/[^\s/?#.]+(?:\.[^\s/?#.]+)+(?:[/?#]\S*)?$/,
    'must look like https://host.tld/…',
  )

const vatId = z
  .string()
  .trim()
  .max(32, 'at most 32 characters')
  .regex(/^[A-Za-z0-9]+$/, 'letters and digits only')
  .transform((v) => v.toUpperCase())

const creditLimit = z.number().int('a whole amount').min(0).max(10_000_000)

/** A new partner: every field but the credit limit and VAT id (managers' fields) required. */
export const partnerCreate = z.strictObject({
  name,
  email,
  phone,
  website,
  vatId: vatId.optional(),
  creditLimit: creditLimit.optional(),
})

/** Changes to a partner (PATCH): any subset of the fields. */
export const partnerPatch = partnerCreate.partial()
