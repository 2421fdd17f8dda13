/**
 * fast-redact's own benchmark cases (its `benchmark/index.js`: one small object, static paths,
 * wildcards, intermediate wildcards, with and without serialisation), run through ours and any
 * anchor with fast-redact's API. Ours runs with `defaultKeys: false`: the anchors redact paths
 * only, so ours does too (its default key list would be extra work they do not do).
 * @module
 */
import { createRedactor } from '@rampart/redactor'
import { type MicroCase, microCase } from '../micro.js'

/** A redactor with fast-redact's API (fast-redact itself, @pinojs/redact). */
export type FastRedactLike = (options: {
  paths: string[]
  serialize?: boolean
}) => (value: unknown) => unknown

/** fast-redact's benchmark object. */
function objectOf(i: number) {
  return { outer: { b: { c: `s${i}` }, d: { a: `s${i}`, b: 's', c: 's' } } }
}

/** Distinct inputs, so no side can cache one result. */
const inputs = Array.from({ length: 16 }, (_, i) => objectOf(i))

interface Shape {
  readonly name: string
  readonly paths: string[]
  readonly serialize: boolean
  /** Ours with `serializer: 'native'`: JSON.stringify writes what no path touches, as the anchors' serialisers do. */
  readonly native?: boolean
}

const STATIC_4 = ['outer.b.c', 'outer.d.a', 'outer.d.b', 'outer.d.c']

const SHAPES: readonly Shape[] = [
  { name: 'static path, serialised', paths: ['outer.b.c'], serialize: true },
  { name: 'static paths (4), serialised', paths: STATIC_4, serialize: true },
  { name: 'wildcard `outer.b.*`, serialised', paths: ['outer.b.*'], serialize: true },
  { name: 'intermediate wildcard `outer.*.c`, serialised', paths: ['outer.*.c'], serialize: true },
  {
    name: "static path, serialised, ours `'native'`",
    paths: ['outer.b.c'],
    serialize: true,
    native: true,
  },
  {
    name: "static paths (4), serialised, ours `'native'`",
    paths: STATIC_4,
    serialize: true,
    native: true,
  },
  {
    name: "wildcard `outer.b.*`, serialised, ours `'native'`",
    paths: ['outer.b.*'],
    serialize: true,
    native: true,
  },
  {
    name: "intermediate wildcard `outer.*.c`, serialised, ours `'native'`",
    paths: ['outer.*.c'],
    serialize: true,
    native: true,
  },
  { name: 'static path, object out', paths: ['outer.b.c'], serialize: false },
  { name: 'wildcard `outer.b.*`, object out', paths: ['outer.b.*'], serialize: false },
  { name: 'intermediate wildcard `outer.*.c`, object out', paths: ['outer.*.c'], serialize: false },
]

/** Both sides' results as JSON text, so a copy and a censored original compare equal. */
const asJson = (result: unknown) => (typeof result === 'string' ? result : JSON.stringify(result))

/** The cases against one fast-redact-like anchor. */
export function redactCases(anchor: FastRedactLike): MicroCase<never>[] {
  return SHAPES.map(({ name, paths, serialize, native }) => {
    const ours = createRedactor({
      paths,
      defaultKeys: false,
      ...(native === true ? { serializer: 'native' as const } : {}),
    })
    const theirs = anchor({ paths, serialize })
    // Fresh copies per side: fast-redact without serialisation censors its input in place.
    const oursInputs = inputs.map((o) => structuredClone(o))
    const theirInputs = inputs.map((o) => structuredClone(o))
    return microCase({
      name,
      inputs: oursInputs.map((_, k) => k),
      ours: (k: number) => (serialize ? ours.json(oursInputs[k]) : ours(oursInputs[k])),
      anchor: (k: number) => theirs(theirInputs[k]),
      compare: asJson,
    })
  })
}
