/**
 * Reads the `contentSecurityPolicy` option itself: `true`/`undefined` (helmet's defaults),
 * or helmet's options object with Rampart's two extensions. Unknown keys are reported:
 * helmet ignores them, which turns `{ scriptSrc: [...] }` (missing `directives`) into a
 * silently different policy.
 * @module
 */

import { closestMatch } from '@rampart/core'
import type { IssueSink } from '../header-plan.js'
import { parseDirectiveName } from './directive-names.js'
import type { CspSettings } from './types.js'

/** The option with defaults applied. */
export interface ResolvedCspOptions {
  /** Start from helmet's defaults. */
  readonly useDefaults: boolean
  /** The user's `directives` object, when given. */
  readonly directives: object | undefined
  /** The options object asked for a report-only header. */
  readonly reportOnly: boolean
  /** Splice per-request nonces (the object's `nonce`, else the guard-wide setting). */
  readonly nonce: boolean
  /** When to send `upgrade-insecure-requests` (the object's choice, else the setting). */
  readonly upgradeInsecureRequests: 'always' | 'https-only'
}

const KNOWN_KEYS = ['useDefaults', 'directives', 'reportOnly', 'nonce', 'upgradeInsecureRequests']

const SHAPE =
  'true, false, or an options object ({ useDefaults, directives, reportOnly, nonce, upgradeInsecureRequests })'

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Reports an unknown key with the most likely intent. */
function unknownKey(key: string, path: string, issues: IssueSink): void {
  const near = closestMatch(key, KNOWN_KEYS)
  let message: string
  if (near !== undefined) message = `unknown option. Did you mean '${near}'?`
  else if (parseDirectiveName(key).ok) {
    message = `${key} is a directive: directives go inside \`directives\`, e.g. { directives: { ${key}: [...] } }.`
  } else message = `unknown option. Known options: ${KNOWN_KEYS.join(', ')}.`
  issues.push({ path: `${path}.${key}`, message })
}

/** Reads an optional boolean; reports anything else. */
function readBoolean(value: unknown, fallback: boolean, path: string, issues: IssueSink): boolean {
  if (value === undefined) return fallback
  if (typeof value === 'boolean') return value
  issues.push({
    path,
    message: `must be true or false; got ${JSON.stringify(value) ?? String(value)}.`,
  })
  return fallback
}

/**
 * Resolves the option, reporting every problem. Returns `undefined` only when the option is
 * not usable at all (not a boolean or an object); field problems still return a result so
 * the directives get checked too.
 */
export function readCspOptions(
  option: unknown,
  path: string,
  settings: CspSettings,
  issues: IssueSink,
): ResolvedCspOptions | undefined {
  if (option === undefined || option === true) {
    return {
      useDefaults: true,
      directives: undefined,
      reportOnly: false,
      nonce: settings.nonce,
      upgradeInsecureRequests: settings.upgradeInsecureRequests,
    }
  }
  if (!isObject(option)) {
    issues.push({ path, message: `must be ${SHAPE}.` })
    return undefined
  }
  const record = option as Record<string, unknown>
  for (const key of Object.keys(record))
    if (!KNOWN_KEYS.includes(key)) unknownKey(key, path, issues)
  let directives: object | undefined
  if (record.directives !== undefined) {
    if (isObject(record.directives)) directives = record.directives
    else {
      issues.push({
        path: `${path}.directives`,
        message: `must be an object of directives, e.g. { defaultSrc: ["'self'"] }.`,
      })
    }
  }
  let upgradeInsecureRequests = settings.upgradeInsecureRequests
  const upgrade = record.upgradeInsecureRequests
  if (upgrade === 'always' || upgrade === 'https-only') upgradeInsecureRequests = upgrade
  else if (upgrade !== undefined) {
    issues.push({
      path: `${path}.upgradeInsecureRequests`,
      message: `must be 'always' or 'https-only' (when to send the directive). To set or remove the directive itself, use directives.upgradeInsecureRequests: [] or null.`,
    })
  }
  return {
    useDefaults: readBoolean(record.useDefaults, true, `${path}.useDefaults`, issues),
    directives,
    reportOnly: readBoolean(record.reportOnly, false, `${path}.reportOnly`, issues),
    nonce: readBoolean(record.nonce, settings.nonce, `${path}.nonce`, issues),
    upgradeInsecureRequests,
  }
}
