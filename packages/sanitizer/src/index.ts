/**
 * `@rampart/sanitizer`: hostile input stopped at the door in Express, Koa and Hono — structural
 * limits by an iterative walk, prototype-pollution and NoSQL-operator defences, parameter
 * pollution policies, Unicode normalisation, safe upload names, Standard Schema validation.
 * @packageDocumentation
 */
export { type SafeFilenameOptions, safeFilename } from './filename.js'
export {
  type LimitOptions,
  SANITIZER_CONFIG_CODE,
  type SanitizeOptions,
  type SchemaOptions,
} from './options.js'
export type { PollutedParameters, PollutionPolicy } from './parameters.js'
export type { ValidationError } from './problems.js'
export {
  pollutedParameters,
  type Sanitizer,
  sanitize,
  type ValidatedInput,
} from './sanitize.js'
export type { StandardSchemaV1 } from './standard-schema.js'
export type { NormalizationForm } from './strings.js'
export type { InputLocation, RuleCode, Violation } from './violations.js'
