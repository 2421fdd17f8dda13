/**
 * Key layout. Every key of one account (its own counters and its pairs with each IP) carries the
 * hash tag `{a:<id>}` and every key of one IP `{i:<ip>}`, so each group lives in one Redis
 * Cluster slot and is checked in one atomic batch.
 *
 * | key | kind | holds |
 * |---|---|---|
 * | `<tag>:r` | fixed-window hit | reservations: attempts in flight plus failures in the window |
 * | `<tag>:f` | counter | settled failures in the window |
 * | `<tag>:l` | value | the lock, while it lasts |
 * | `<tag>:n` | counter | locks so far (escalation) |
 * | `{a:<id>}:t` | value | the account's turn while delays apply |
 * | `{a:<id>}:e` | counter | the account's unlock epoch, part of every pair key |
 *
 * Pair keys are `{a:<id>}:p<epoch>:<ip>:…`: `unlock(identity)` bumps the epoch, which releases
 * the account's pairs with every IP without having to find them.
 * @module
 */

/** The keys of one lock counter. */
export interface CounterKeys {
  readonly reserved: string
  readonly failed: string
  readonly lock: string
  readonly locks: string
}

function counterKeys(base: string): CounterKeys {
  return { reserved: `${base}:r`, failed: `${base}:f`, lock: `${base}:l`, locks: `${base}:n` }
}

/** The keys of one account: its counter, turn and epoch. */
export interface AccountKeys extends CounterKeys {
  readonly tag: string
  readonly turn: string
  readonly epoch: string
}

/** Keys of the account whose identity hashes to `id`. */
export function accountKeys(prefix: string, id: string): AccountKeys {
  const tag = `${prefix}{a:${id}}`
  return { ...counterKeys(tag), tag, turn: `${tag}:t`, epoch: `${tag}:e` }
}

/** Keys of the pair (account, IP) in the account's current epoch. */
export function pairKeys(account: AccountKeys, epoch: string, ip: string): CounterKeys {
  return counterKeys(`${account.tag}:p${epoch}:${ip}`)
}

/** Keys of one IP (an IPv6 address reduced to its subnet). */
export function ipKeys(prefix: string, ip: string): CounterKeys {
  return counterKeys(`${prefix}{i:${ip}}`)
}

/** Stands for the IP in pair keys when a request's address is unknown. */
export const UNKNOWN_IP = '-'
