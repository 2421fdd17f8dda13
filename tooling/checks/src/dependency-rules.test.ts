import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ADAPTERS, importsOf, type PackageRule, SPECIAL, webStandard } from './rules.js'

const root = join(import.meta.dirname, '..', '..', '..')
const packagesDir = join(root, 'packages')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    // Tests may use Node and frameworks; `*.node.ts` is the opt-in Node fast path.
    if (!/\.tsx?$/.test(name) || /\.test(-d)?\.ts$/.test(name) || name.endsWith('.node.ts'))
      return []
    return [path]
  })
}

function violations(pkg: string, rule: PackageRule): string[] {
  return sourceFiles(join(packagesDir, pkg, 'src')).flatMap((file) =>
    importsOf(readFileSync(file, 'utf8'))
      .filter((s) => !s.startsWith('.') && !rule.allow(s))
      .map((s) => `${relative(root, file)} imports '${s}': ${rule.why}`),
  )
}

const packages = readdirSync(packagesDir).filter((p) =>
  statSync(join(packagesDir, p, 'src'), { throwIfNoEntry: false })?.isDirectory(),
)

describe('dependency rules (DESIGN.md)', () => {
  it('finds the packages', () => {
    expect(packages).toEqual(expect.arrayContaining(['core', 'express', 'koa', 'hono']))
  })

  for (const pkg of packages) {
    const rule = ADAPTERS[pkg] ?? SPECIAL[pkg] ?? webStandard
    it(`@rampart/${pkg} imports only what its role allows`, () => {
      expect(violations(pkg, rule)).toEqual([])
    })
  }

  it('feature packages depend on @rampart/core, never on a framework or Redis client', () => {
    const problems: string[] = []
    for (const pkg of packages) {
      if (pkg in ADAPTERS) continue
      const manifest = JSON.parse(readFileSync(join(packagesDir, pkg, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>
        peerDependencies?: Record<string, string>
      }
      for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })) {
        if (/^(express|koa|hono|ioredis|redis|@redis\/|@hono\/|@koa\/)$/.test(dep))
          problems.push(`${pkg} → ${dep}`)
      }
    }
    expect(problems).toEqual([])
  })

  it('the checker itself catches every import form', () => {
    const text = [
      "import x from 'node:fs'",
      "export { y } from 'express'",
      "const z = await import('ioredis')",
      "const w = require('http')",
      "import type { Context } from 'hono'",
    ].join('\n')
    const found = importsOf(text)
    expect(found).toEqual(['node:fs', 'express', 'ioredis', 'http', 'hono'])
    expect(found.filter((s) => !webStandard.allow(s))).toEqual(found)
  })
})
