/**
 * Small guards the conformance suite composes to observe an adapter's behaviour.
 * @module
 */
import type { SecurityContext } from '../context.js'
import type { Guard, ResponseInfo } from '../guard.js'
import { type Problem, ProblemError, problem } from '../problem.js'
import { stateKey } from '../state.js'

/** State keys the probes write and the `/echo` handler reads back. */
export const probeKeys = {
  order: stateKey<string[]>('order'),
  ip: stateKey<string | null>('ip'),
  body: stateKey<unknown>('body'),
  raw: stateKey<string | null>('raw'),
  principal: stateKey<string | null>('principal'),
  requestId: stateKey<string>('requestId'),
  value: stateKey<string>('value'),
  protocol: stateKey<string>('protocol'),
  query: stateKey<Record<string, unknown>>('query'),
  querySame: stateKey<boolean>('querySame'),
  params: stateKey<Record<string, string> | null>('params'),
} as const

/** Appends its label to the shared `order` list. */
export function orderProbe(label: string): Guard {
  return {
    name: `order-${label}`,
    request(ctx) {
      const order = ctx.state.get(probeKeys.order) ?? []
      ctx.state.set(probeKeys.order, [...order, label])
    },
  }
}

/** Denies with the given problem. */
export function denyProbe(p: Problem, name = 'deny'): Guard {
  return {
    name,
    request(ctx) {
      ctx.deny(p)
    },
  }
}

/** The 429 problem the suite denies with. */
export const teapotProblem: Problem = problem(429, 'conformance-limit', 'Too Many Requests', {
  detail: 'Slow down.',
  headers: { 'Retry-After': '7' },
  extensions: { limit: 3 },
})

/** Stages headers in each mode. */
export function stageProbe(headers: {
  default?: Record<string, string>
  override?: Record<string, string>
  remove?: string[]
}): Guard {
  return {
    name: 'stage',
    request(ctx) {
      for (const [n, v] of Object.entries(headers.default ?? {})) ctx.response.headers.set(n, v)
      for (const [n, v] of Object.entries(headers.override ?? {}))
        ctx.response.headers.set(n, v, { override: true })
      for (const n of headers.remove ?? []) ctx.response.headers.remove(n)
    },
  }
}

/** Records `ctx.ip` and the URL's scheme in state. */
export const ipProbe: Guard = {
  name: 'ip',
  request(ctx) {
    ctx.state.set(probeKeys.ip, ctx.ip ?? null)
    ctx.state.set(probeKeys.protocol, ctx.url.protocol)
  },
}

/** Reads the body and/or raw body (in the given order) and records both in state. */
export function bodyProbe(read: 'body' | 'raw' | 'both' | 'raw-then-body'): Guard {
  return {
    name: 'body',
    async request(ctx) {
      if (read === 'raw' || read === 'raw-then-body') await recordRaw(ctx)
      if (read !== 'raw') ctx.state.set(probeKeys.body, (await ctx.body()) ?? null)
      if (read === 'both') await recordRaw(ctx)
    },
  }
}

async function recordRaw(ctx: SecurityContext): Promise<void> {
  const raw = await ctx.rawBody()
  ctx.state.set(probeKeys.raw, raw === undefined ? null : new TextDecoder().decode(raw))
}

/** Replaces the body with `value`. */
export function replaceBodyProbe(value: unknown): Guard {
  return {
    name: 'replace-body',
    async request(ctx) {
      await ctx.body()
      ctx.setBody(value)
    },
  }
}

/** Throws a plain error (with a secret in the message that must never reach the client). */
export const throwingProbe: Guard = {
  name: 'throwing',
  request() {
    throw new Error('guard exploded: secret-token-123')
  },
}

/** Throws a ProblemError (a deliberate denial by exception). */
export const problemThrowingProbe: Guard = {
  name: 'problem-throwing',
  request() {
    throw new ProblemError(problem(401, 'conformance-auth', 'Unauthorized'))
  },
}

/** Records the principal id and request id in state. */
export const identityProbe: Guard = {
  name: 'identity',
  async request(ctx) {
    ctx.state.set(probeKeys.principal, (await ctx.principal())?.id ?? null)
    ctx.state.set(probeKeys.requestId, ctx.id)
  },
}

/** Sets `value` in state (for sharing across two `rampart()` instances). */
export function setValueProbe(value: string): Guard {
  return {
    name: 'set-value',
    request(ctx) {
      ctx.state.set(probeKeys.value, value)
    },
  }
}

/** Emits an `ip-filter.denied` event so the suite can check event fields. */
export const emitProbe: Guard = {
  name: 'emitter',
  request(ctx) {
    ctx.emit('ip-filter.denied', { reason: 'not-allowed' })
  },
}

/** Records every response phase it sees. */
export function responseProbe(seen: ResponseInfo[], name = 'response'): Guard {
  return {
    name,
    request() {},
    response(_ctx, res) {
      seen.push(res)
    },
  }
}

/**
 * Records the query it reads in state (and whether a second read gives the same object), then
 * replaces it with `replacement` when given.
 */
export function queryProbe(replacement?: Record<string, unknown>): Guard {
  return {
    name: 'query',
    request(ctx) {
      const query = ctx.query()
      ctx.state.set(probeKeys.query, query)
      ctx.state.set(probeKeys.querySame, ctx.query() === query)
      if (replacement !== undefined) ctx.setQuery(replacement)
    },
  }
}

/** Records the route params it reads in state (`null` when unknown), then replaces them when given. */
export function paramsProbe(replacement?: Record<string, string>): Guard {
  return {
    name: 'params',
    request(ctx) {
      ctx.state.set(probeKeys.params, ctx.params() ?? null)
      if (replacement !== undefined) ctx.setParams(replacement)
    },
  }
}
