/**
 * Rebuilding a string with its findings censored.
 * @module
 */
import type { DetectorId, Finding } from './ids.js'

/**
 * `text` with each finding's span replaced by `censor(secret, detector)`; `text` itself when
 * there are no findings. Findings must be sorted and disjoint, as compiled detectors return
 * them; one that overlaps an earlier one, is empty or lies outside `text` is skipped.
 * @example
 * redactFindings('Bearer abc.def', detect('Bearer abc.def'), () => '[REDACTED]')
 * // 'Bearer [REDACTED]'
 */
export function redactFindings(
  text: string,
  findings: readonly Finding[],
  censor: (secret: string, detector: DetectorId) => string,
): string {
  if (findings.length === 0) return text
  let out = ''
  let done = 0
  for (const f of findings) {
    if (!(f.start >= done && f.end > f.start && f.end <= text.length)) continue
    out += text.slice(done, f.start) + censor(text.slice(f.start, f.end), f.detector)
    done = f.end
  }
  return done === 0 ? text : out + text.slice(done)
}
