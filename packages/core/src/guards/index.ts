/**
 * Guards that ship with core.
 * @module
 */
export { type IpFilterOptions, ipFilter } from './ip-filter.js'
