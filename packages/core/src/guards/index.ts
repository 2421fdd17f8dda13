/**
 * Guards that ship with core.
 * @module
 */
export {}
