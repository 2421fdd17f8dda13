/**
 * Password hashing for the demo's users: Node's scrypt (memory-hard, built in), a random salt
 * per password, the parameters stored with the hash so they can be raised later, and a
 * constant-time comparison.
 * @module
 */
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto'

/** OWASP's scrypt minimum: N = 2^17, r = 8, p = 1 (about 128 MiB, well under a second). */
const COST = { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 } as const
const KEY_LENGTH = 32

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    )
  })
}

/** `scrypt$N$r$p$salt$hash` (base64url): everything needed to check the password later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, COST)
  return [
    'scrypt',
    COST.N,
    COST.r,
    COST.p,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$')
}

/** Whether `password` matches `stored`; `false` for a malformed hash (never throws). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return false
  const expected = Buffer.from(hash, 'base64url')
  const options = { N: Number(n), r: Number(r), p: Number(p), maxmem: COST.maxmem }
  if (
    ![options.N, options.r, options.p].every(Number.isSafeInteger) ||
    expected.length !== KEY_LENGTH
  ) {
    return false
  }
  try {
    const actual = await derive(password, Buffer.from(salt, 'base64url'), options)
    return timingSafeEqual(actual, expected)
  } catch {
    return false
  }
}
