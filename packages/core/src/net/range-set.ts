/**
 * The compiled form of a CIDR list: per-version sorted, merged, disjoint ranges in typed
 * arrays, searched by bisection. A lookup costs O(log n) integer comparisons however long the
 * list, and allocates nothing.
 * @module
 */
import type { Cidr } from './cidr.js'
import { type IpVersion, type ParsedIp, parseIpInto } from './ip.js'

/** An IPv6 address as four unsigned 32-bit words, most significant first. */
type Words = [number, number, number, number]

/** Bounds of `::ffff:0:0/96`: IPv6 rules that reach into it also cover IPv4 clients. */
const MAPPED_FIRST: Words = [0, 0, 0xffff, 0]
const MAPPED_LAST: Words = [0, 0, 0xffff, 0xffffffff]

function readU32(bytes: Uint8Array, offset: number): number {
  return (
    (((bytes[offset] as number) << 24) |
      ((bytes[offset + 1] as number) << 16) |
      ((bytes[offset + 2] as number) << 8) |
      (bytes[offset + 3] as number)) >>>
    0
  )
}

/** Host-bit mask of one 32-bit word when `bits` of it belong to the prefix. */
function hostMask(bits: number): number {
  if (bits >= 32) return 0
  if (bits <= 0) return 0xffffffff
  return 0xffffffff >>> bits
}

function compareWords(a: Words, b: Words): number {
  for (let w = 0; w < 4; w++) {
    const d = (a[w] as number) - (b[w] as number)
    if (d !== 0) return d
  }
  return 0
}

/** Compares the 4 words at `arr[offset]` with `w0..w3`. */
function compareAt(
  arr: Uint32Array,
  offset: number,
  w0: number,
  w1: number,
  w2: number,
  w3: number,
): number {
  return (
    (arr[offset] as number) - w0 ||
    (arr[offset + 1] as number) - w1 ||
    (arr[offset + 2] as number) - w2 ||
    (arr[offset + 3] as number) - w3
  )
}

function mergeV4(ranges: Array<[number, number]>): Array<[number, number]> {
  ranges.sort((a, b) => a[0] - b[0])
  const merged: Array<[number, number]> = []
  for (const [start, end] of ranges) {
    const last = merged[merged.length - 1]
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end)
    else merged.push([start, end])
  }
  return merged
}

function mergeV6(ranges: Array<[Words, Words]>): Array<[Words, Words]> {
  ranges.sort((a, b) => compareWords(a[0], b[0]))
  const merged: Array<[Words, Words]> = []
  for (const [start, end] of ranges) {
    const last = merged[merged.length - 1]
    if (last && compareWords(start, last[1]) <= 0) {
      if (compareWords(end, last[1]) > 0) last[1] = end
    } else {
      merged.push([start, end])
    }
  }
  return merged
}

/** Shared scratch: lookups are synchronous. */
const scratch = new Uint8Array(16)

/** A compiled set of address ranges. Build one with {@link createRangeSet}. */
export class RangeSet {
  readonly #v4Start: Uint32Array
  readonly #v4End: Uint32Array
  readonly #v6Start: Uint32Array
  readonly #v6End: Uint32Array

  /** @param v4 disjoint, sorted IPv4 ranges; @param v6 disjoint, sorted IPv6 ranges. */
  constructor(v4: ReadonlyArray<[number, number]>, v6: ReadonlyArray<[Words, Words]>) {
    this.#v4Start = Uint32Array.from(v4, (r) => r[0])
    this.#v4End = Uint32Array.from(v4, (r) => r[1])
    this.#v6Start = Uint32Array.from(v6.flatMap((r) => r[0]))
    this.#v6End = Uint32Array.from(v6.flatMap((r) => r[1]))
  }

  /** True when `ip` (any spelling `parseIp` accepts) is in the set; false for non-addresses. */
  has(ip: string): boolean {
    const version = parseIpInto(ip, scratch)
    return version !== 0 && this.hasBytes(version, scratch)
  }

  /** True when the parsed address is in the set. */
  hasParsed(ip: ParsedIp): boolean {
    return this.hasBytes(ip.version, ip.bytes)
  }

  /** True when the address bytes (4 or 16, IPv4-mapped already unwrapped) are in the set. */
  hasBytes(version: IpVersion, bytes: Uint8Array): boolean {
    if (version === 4) return this.#hasV4(readU32(bytes, 0))
    return this.#hasV6(readU32(bytes, 0), readU32(bytes, 4), readU32(bytes, 8), readU32(bytes, 12))
  }

  #hasV4(x: number): boolean {
    const starts = this.#v4Start
    let lo = 0
    let hi = starts.length - 1
    let found = -1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      if ((starts[mid] as number) <= x) {
        found = mid
        lo = mid + 1
      } else {
        hi = mid - 1
      }
    }
    return found !== -1 && x <= (this.#v4End[found] as number)
  }

  #hasV6(w0: number, w1: number, w2: number, w3: number): boolean {
    const starts = this.#v6Start
    let lo = 0
    let hi = starts.length / 4 - 1
    let found = -1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      if (compareAt(starts, mid * 4, w0, w1, w2, w3) <= 0) {
        found = mid
        lo = mid + 1
      } else {
        hi = mid - 1
      }
    }
    return found !== -1 && compareAt(this.#v6End, found * 4, w0, w1, w2, w3) >= 0
  }
}

/**
 * Compiles parsed CIDRs into a {@link RangeSet}. IPv6 rules that overlap `::ffff:0:0/96`
 * (such as `::/0`) also produce the IPv4 range they cover, because clients are normalised
 * to IPv4 before lookup.
 */
export function createRangeSet(cidrs: Iterable<Cidr>): RangeSet {
  const v4: Array<[number, number]> = []
  const v6: Array<[Words, Words]> = []
  for (const { version, bytes, prefix } of cidrs) {
    if (version === 4) {
      const mask = hostMask(prefix)
      const start = (readU32(bytes, 0) & ~mask) >>> 0
      v4.push([start, (start | mask) >>> 0])
      continue
    }
    const start: Words = [0, 0, 0, 0]
    const end: Words = [0, 0, 0, 0]
    for (let w = 0; w < 4; w++) {
      const mask = hostMask(prefix - w * 32)
      const word = (readU32(bytes, w * 4) & ~mask) >>> 0
      start[w] = word
      end[w] = (word | mask) >>> 0
    }
    v6.push([start, end])
    const lo = compareWords(start, MAPPED_FIRST) > 0 ? start : MAPPED_FIRST
    const hi = compareWords(end, MAPPED_LAST) < 0 ? end : MAPPED_LAST
    if (compareWords(lo, hi) <= 0) v4.push([lo[3], hi[3]])
  }
  return new RangeSet(mergeV4(v4), mergeV6(v6))
}
