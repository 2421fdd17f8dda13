/**
 * The dependency rules of DESIGN.md as data, so the test and its README say the same thing.
 * @module
 */
import ts from 'typescript'

/** Every module specifier a file imports, re-exports, requires or dynamically imports. */
export function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName)
}

/** How a package may import. */
export interface PackageRule {
  /** Modules this package's source may import besides relative paths. */
  readonly allow: (specifier: string) => boolean
  /** Why, printed when the rule is broken. */
  readonly why: string
}

const FRAMEWORKS = /^(express|koa|hono|@hono\/|@koa\/|fastify)/
const REDIS_CLIENTS = /^(ioredis|redis|@redis\/)/

const isRampart = (s: string) => s === '@rampart/core' || s.startsWith('@rampart/core/')
const isNodeBuiltin = (s: string) => s.startsWith('node:')
/** Bare Node built-in names a package might import without the `node:` prefix. */
const BARE_BUILTINS = new Set([
  'fs',
  'http',
  'https',
  'http2',
  'net',
  'tls',
  'dns',
  'crypto',
  'stream',
  'os',
  'path',
  'url',
  'util',
  'zlib',
  'child_process',
  'worker_threads',
  'events',
  'buffer',
  'process',
  'async_hooks',
])

/** Core and feature packages: Web-standard only, no framework, no Redis client. */
export const webStandard: PackageRule = {
  allow: (s) =>
    !isNodeBuiltin(s) && !BARE_BUILTINS.has(s) && !FRAMEWORKS.test(s) && !REDIS_CLIENTS.test(s),
  why: 'core and feature packages use Web-standard APIs only: no web framework, no node: built-in, no Redis client',
}

/** An adapter: core plus its own framework (and, on Node, Node built-ins). */
export function adapterRule(framework: RegExp, node: boolean): PackageRule {
  return {
    allow: (s) =>
      isRampart(s) || framework.test(s) || (node && (isNodeBuiltin(s) || BARE_BUILTINS.has(s))),
    why: `adapters import @rampart/core and their own framework only${node ? '' : ' (and nothing Node-only: the Hono adapter runs on edge runtimes)'}`,
  }
}

/** Adapters by package folder. */
export const ADAPTERS: Readonly<Record<string, PackageRule>> = {
  express: adapterRule(/^express$/, true),
  koa: adapterRule(/^koa$/, true),
  hono: adapterRule(/^hono(\/|$)/, false),
}

/** Packages with their own rules (Redis store: client-agnostic, Node allowed). */
export const SPECIAL: Readonly<Record<string, PackageRule>> = {
  redis: {
    allow: (s) => !FRAMEWORKS.test(s) && !REDIS_CLIENTS.test(s),
    why: '@rampart/redis reaches Redis through a sendCommand seam: no client import, no framework',
  },
}
