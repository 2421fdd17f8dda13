/**
 * Recognising a store in options: a structural check (any implementation qualifies) and the zod
 * schema factories use for their `store` option.
 * @module
 */
import { z } from '../config.js'
import type { RampartStore } from './types.js'

const METHODS = [
  'consume',
  'hit',
  'slidingHit',
  'take',
  'setIfAbsent',
  'set',
  'get',
  'increment',
  'delete',
] as const

/** True for a value with the shape of a {@link RampartStore}. */
export function isRampartStore(value: unknown): value is RampartStore {
  if (typeof value !== 'object' || value === null) return false
  const store = value as Record<string, unknown>
  if (typeof store.name !== 'string' || typeof store.shared !== 'boolean') return false
  for (const method of METHODS) if (typeof store[method] !== 'function') return false
  return true
}

/** A zod schema accepting any {@link RampartStore}, for factories' `store` options. */
export const storeSchema = z.custom<RampartStore>(
  isRampartStore,
  'expected a RampartStore, e.g. memoryStore() or a Redis store from @rampart/redis',
)
