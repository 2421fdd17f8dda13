/**
 * The part of koa-ratelimit 6 the HTTP harness uses. The package ships no types, and
 * `@types/koa-ratelimit` (5.0.5) describes version 5 and pulls in ioredis 4's types.
 */
declare module 'koa-ratelimit' {
  import type { Context, Middleware } from 'koa'

  interface MemoryOptions {
    /** `'memory'`: counts in `db`, no Redis. */
    driver: 'memory'
    db: Map<unknown, unknown>
    /** Window in ms. */
    duration?: number
    /** Requests per window per id. */
    max?: number
    /** The client key. */
    id?: (ctx: Context) => string | false
  }

  export default function ratelimit(options: MemoryOptions): Middleware
}
