/**
 * Detectors of secrets and personal data in free text, and the validators behind them.
 * @module
 */
export { isCardNumber, luhn } from './cards.js'
export { compileDetectors, DEFAULT_MAX_SCAN, type Detect, type DetectorOptions } from './compile.js'
export { isValidIban } from './iban.js'
export { DETECTOR_IDS, type DetectorId, type Finding, isDetectorId } from './ids.js'
export { isJwt } from './jwt.js'
export { redactFindings } from './redact.js'
export { isValidSsn } from './ssn.js'
export { SECRET_PARAMS } from './url.js'
