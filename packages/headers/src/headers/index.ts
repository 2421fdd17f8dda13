/**
 * Every header module except Content-Security-Policy: one compiler per header, the helmet
 * table the factory iterates, and the removal lists.
 * @module
 */
export * from './cache-control.js'
export * from './clear-site-data.js'
export * from './cross-origin-embedder-policy.js'
export * from './cross-origin-opener-policy.js'
export * from './cross-origin-resource-policy.js'
export * from './helmet-headers.js'
export * from './origin-agent-cluster.js'
export * from './permissions-policy.js'
export * from './referrer-policy.js'
export * from './remove-headers.js'
export * from './reporting-endpoints.js'
export * from './strict-transport-security.js'
export * from './x-content-type-options.js'
export * from './x-dns-prefetch-control.js'
export * from './x-download-options.js'
export * from './x-frame-options.js'
export * from './x-permitted-cross-domain-policies.js'
export * from './x-powered-by.js'
export * from './x-xss-protection.js'
