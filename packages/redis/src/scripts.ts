/**
 * The Lua scripts, one per primitive. Each runs atomically on the server, reads the time with
 * `TIME` (never the app's clock), touches only the keys it is given in `KEYS` (so Redis Cluster
 * routes it), and gives every key it writes a TTL in the same script.
 *
 * Rate state mirrors `algorithms.ts` of `@rampart/core` line by line: same `EPSILON` slack, same
 * `ceilMs` rounding, same order of floating-point operations (`math.fmod` for JavaScript's `%`),
 * so a Redis store answers exactly what the memory store would at the same instant. (`next` is a
 * Lua built-in, so the scripts call that value `after`.)
 *
 * Key layout (every key below gets `prefix` prepended):
 * - `set` / `setIfAbsent`: a plain string, written with `SET … PX`.
 * - `increment`: a hash `{ k = 'n', v = <integer> }` with `PEXPIRE`.
 * - rate state: a hash `{ k = kind, a, b, c, e }` with `PEXPIRE`, where `k` is `f` (fixed
 *   window), `s` (sliding window), `t` (token bucket) or `g` (GCRA); `a`, `b`, `c` are the state
 *   numbers of `Outcome` and `e` the exact logical expiry (ms epoch, possibly fractional). The
 *   physical TTL is `e` rounded up to whole ms, so a key may outlive its state by under 1 ms:
 *   every script treats a rate hash whose `e` has passed as absent.
 *
 * Numbers travel as strings both ways (`%.17g` round-trips a double exactly; Redis would
 * truncate a Lua number reply to an integer); infinity is `inf`.
 * @module
 */
import { createHash } from 'node:crypto'

/** A script and its SHA-1 (what `EVALSHA` names it by). */
export interface Script {
  /** Which primitive, for messages. */
  readonly name: string
  /** The Lua source, exactly as `EVAL` sends it. */
  readonly source: string
  /** SHA-1 of `source`, lower-case hex. */
  readonly sha: string
}

/** Error a script answers when a key holds another kind of state (Redis' own code for it). */
export const WRONG_KIND_REPLY = 'WRONGTYPE rampart: the key holds another kind of state'

/**
 * How a script reads the server clock: whole ms since the epoch (as `Date.now()` counts), so
 * the numbers a script stores and answers are mostly whole and cheap to format.
 */
export const SERVER_CLOCK = `local function clock()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end`

/** How a script turns a logical lifetime into a physical TTL: whole ms, never shorter. */
export const PHYSICAL_TTL = `local function ttl(ms)
  return fmt(math.min(math.ceil(ms), MAX_TTL))
end`

const PRELUDE = `local EPSILON = 1e-9
local INF = math.huge
local MAX_TTL = 9007199254740991
local WRONG_KIND = '${WRONG_KIND_REPLY}'
${SERVER_CLOCK}
local function fmt(x)
  -- tostring is exact for whole numbers below 1e14 and costs a fraction of %.17g (about 1 us
  -- a call in Redis' Lua); fractions and large values take the exact, slower path.
  if x % 1 == 0 and x > -1e14 and x < 1e14 then return tostring(x) end
  return string.format('%.17g', x)
end
local function num(s)
  if s == 'inf' then return INF end
  return tonumber(s)
end
local function ceilMs(ms)
  return math.ceil(ms - EPSILON)
end
${PHYSICAL_TTL}
`

/**
 * A batch of rate policies (`hit`, `slidingHit` and `take` are batches of one). ARGV holds four
 * strings per key: the kind (`f`, `s`, `t`, `g`, or `b` for a block gate), two parameters and
 * the cost. Reads and checks every key before writing any, decides like the memory store (a dry
 * pass, then a commit only if all admit; a rejected batch reports each admitting policy's
 * unspent state with a cost-0 peek) and answers
 * `{ allowed, retryAfter, (allowed, count, remaining, resetAt, retryAfter) × n }`.
 */
const CONSUME = `${PRELUDE}
local now = clock()
local n = #KEYS
local kinds, p1, p2, costs = {}, {}, {}, {}
local present, A, B, C, E = {}, {}, {}, {}, {}

-- Read phase: every key's state, and every kind check, before anything is written.
for i = 1, n do
  local key = KEYS[i]
  local base = i * 4 - 4
  local kind = ARGV[base + 1]
  kinds[i] = kind
  present[i] = false
  if kind == 'b' then
    local ty = redis.call('TYPE', key).ok
    if ty == 'string' then
      local left = redis.call('PTTL', key)
      present[i] = true
      if left >= 0 then E[i] = now + left else E[i] = INF end
    elseif ty == 'hash' then
      local v = redis.call('HMGET', key, 'k', 'e')
      local e = tonumber(v[2])
      if not (e and e <= now) then return redis.error_reply(WRONG_KIND) end
    elseif ty ~= 'none' then
      return redis.error_reply(WRONG_KIND)
    end
  else
    p1[i] = num(ARGV[base + 2])
    p2[i] = num(ARGV[base + 3])
    costs[i] = num(ARGV[base + 4])
    local v = redis.pcall('HMGET', key, 'k', 'a', 'b', 'c', 'e')
    if v.err then return redis.error_reply(WRONG_KIND) end
    local e = tonumber(v[5])
    if v[1] and not (e and e <= now) then
      if v[1] ~= kind then return redis.error_reply(WRONG_KIND) end
      present[i] = true
      A[i] = tonumber(v[2])
      B[i] = tonumber(v[3])
      C[i] = tonumber(v[4])
      E[i] = e
    end
  end
end

-- The reference arithmetic (algorithms.ts), writing into o.
local o = { allowed = false, count = 0, remaining = 0, resetAt = 0, retryAfter = 0,
  write = false, a = 0, b = 0, c = 0, expiresAt = 0 }

local function fixedWindow(present, count, resetAt, window, limit, cost)
  if not present then
    count = 0
    resetAt = now + window
  end
  o.resetAt = resetAt
  o.expiresAt = resetAt
  if cost > 0 and count + cost - limit > EPSILON then
    o.allowed = false
    o.count = count
    if limit > count then o.remaining = limit - count else o.remaining = 0 end
    if cost > limit then o.retryAfter = INF else o.retryAfter = resetAt - now end
    o.write = false
    return
  end
  local after
  if cost >= 0 then after = count + cost else after = math.max(0, count + cost) end
  o.allowed = true
  o.count = after
  if limit > after then o.remaining = limit - after else o.remaining = 0 end
  o.retryAfter = 0
  o.write = cost > 0 or (cost < 0 and present)
  o.a = after
end

local function slidingResetAt(windowStart, current, previous, window)
  if current > 0 then return windowStart + 2 * window end
  if previous > 0 then return windowStart + window end
  return now
end

local function slidingRetryAfter(windowStart, current, previous, window, limit, cost)
  if cost > limit then return INF end
  if current + cost <= limit then
    local elapsed = window * (1 - (limit - current - cost) / previous)
    return math.max(1, ceilMs(windowStart + elapsed - now))
  end
  local elapsed = window * (1 - (limit - cost) / current)
  return math.max(1, ceilMs(windowStart + window + elapsed - now))
end

local function slidingWindow(present, start, current, previous, window, limit, cost)
  local windowStart = now - math.fmod(now, window)
  if not present or windowStart >= start + 2 * window then
    current = 0
    previous = 0
  elseif windowStart > start then
    previous = current
    current = 0
  end
  local weight = (window - (now - windowStart)) / window
  local estimate = previous * weight + current
  if cost > 0 and estimate + cost - limit > EPSILON then
    o.allowed = false
    o.count = estimate
    if limit > estimate then o.remaining = limit - estimate else o.remaining = 0 end
    o.retryAfter = slidingRetryAfter(windowStart, current, previous, window, limit, cost)
    o.resetAt = slidingResetAt(windowStart, current, previous, window)
    o.write = false
    return
  end
  local after
  if cost >= 0 then after = current + cost else after = math.max(0, current + cost) end
  local count = previous * weight + after
  o.allowed = true
  o.count = count
  if limit > count then o.remaining = limit - count else o.remaining = 0 end
  o.retryAfter = 0
  o.resetAt = slidingResetAt(windowStart, after, previous, window)
  o.write = cost > 0 or (cost < 0 and present)
  o.a = windowStart
  o.b = after
  o.c = previous
  o.expiresAt = o.resetAt
end

local function tokenBucket(present, tokens, updatedAt, capacity, refillPerMs, cost)
  if present then
    tokens = math.min(capacity, tokens + math.max(0, now - updatedAt) * refillPerMs)
  else
    tokens = capacity
  end
  if cost > 0 and cost - tokens > EPSILON then
    o.allowed = false
    o.count = capacity - tokens
    o.remaining = tokens
    if cost > capacity then
      o.retryAfter = INF
    else
      o.retryAfter = math.max(1, ceilMs((cost - tokens) / refillPerMs))
    end
    o.resetAt = now + ceilMs((capacity - tokens) / refillPerMs)
    o.write = false
    return
  end
  local after
  if cost >= 0 then
    after = math.max(0, tokens - cost)
  else
    after = math.min(capacity, tokens - cost)
  end
  o.allowed = true
  o.count = capacity - after
  o.remaining = after
  o.retryAfter = 0
  o.resetAt = now + ceilMs((capacity - after) / refillPerMs)
  o.write = cost > 0 or (cost < 0 and present)
  o.a = after
  o.b = now
  o.expiresAt = o.resetAt
end

local function gcra(present, tat, burst, interval, cost)
  if not (present and tat > now) then tat = now end
  local tolerance = burst * interval
  if cost > 0 and tat + cost * interval - tolerance - now > EPSILON then
    local remaining = (tolerance - (tat - now)) / interval
    o.allowed = false
    o.count = burst - remaining
    o.remaining = remaining
    if cost > burst then
      o.retryAfter = INF
    else
      o.retryAfter = math.max(1, ceilMs(tat + cost * interval - tolerance - now))
    end
    o.resetAt = ceilMs(tat)
    o.write = false
    return
  end
  local after = math.max(now, tat + cost * interval)
  local remaining = math.max(0, (tolerance - (after - now)) / interval)
  o.allowed = true
  o.count = burst - remaining
  o.remaining = remaining
  o.retryAfter = 0
  o.resetAt = ceilMs(after)
  o.write = cost > 0 or (cost < 0 and present)
  o.a = after
  o.expiresAt = after
end

local function blockGate(expiresAt)
  o.count = 0
  o.write = false
  if expiresAt == nil or expiresAt <= now then
    o.allowed = true
    o.remaining = INF
    o.resetAt = now
    o.retryAfter = 0
    return
  end
  o.allowed = false
  o.remaining = 0
  o.resetAt = expiresAt
  o.retryAfter = math.max(1, ceilMs(expiresAt - now))
end

-- How evaluate() treats a policy, as in the memory store.
local COMMIT, DRY, PEEK = 0, 1, 2

local function evaluate(i, mode)
  local kind = kinds[i]
  if kind == 'b' then
    if present[i] then blockGate(E[i]) else blockGate(nil) end
    return
  end
  local cost = costs[i]
  if mode == PEEK then cost = 0 end
  if kind == 'f' then
    fixedWindow(present[i], A[i] or 0, E[i] or 0, p1[i], p2[i], cost)
  elseif kind == 's' then
    slidingWindow(present[i], A[i] or 0, B[i] or 0, C[i] or 0, p1[i], p2[i], cost)
  elseif kind == 't' then
    tokenBucket(present[i], A[i] or 0, B[i] or 0, p1[i], p2[i], cost)
  else
    gcra(present[i], A[i] or 0, p1[i], p2[i], cost)
  end
  if mode == COMMIT and o.write then
    local key = KEYS[i]
    if o.expiresAt <= now then
      redis.call('DEL', key)
    else
      redis.call('HSET', key, 'k', kind, 'a', fmt(o.a), 'b', fmt(o.b), 'c', fmt(o.c),
        'e', fmt(o.expiresAt))
      redis.call('PEXPIRE', key, ttl(o.expiresAt - now))
    end
  end
end

local reply = { '1', '0' }
local function push()
  local at = #reply
  if o.allowed then reply[at + 1] = '1' else reply[at + 1] = '0' end
  reply[at + 2] = fmt(o.count)
  reply[at + 3] = fmt(o.remaining)
  reply[at + 4] = fmt(o.resetAt)
  reply[at + 5] = fmt(o.retryAfter)
end

local allowed = true
local retryAfter = 0
if n > 1 then
  -- A dry pass decides without spending; the commit pass spends only if everyone admitted.
  for i = 1, n do
    evaluate(i, DRY)
    if not o.allowed then
      allowed = false
      if o.retryAfter > retryAfter then retryAfter = o.retryAfter end
    end
  end
end
for i = 1, n do
  if allowed then
    evaluate(i, COMMIT)
    if not o.allowed then
      allowed = false
      retryAfter = o.retryAfter
    end
  else
    evaluate(i, DRY)
    -- Report the unspent state of the policies that would have admitted.
    if o.allowed then evaluate(i, PEEK) end
  end
  push()
end
if allowed then reply[1] = '1' else reply[1] = '0' end
reply[2] = fmt(retryAfter)
-- One bulk string, not an array of them: the client decodes one value instead of 2 + 5n
-- (decoding the array was a fifth of the client's CPU per check, measured with ioredis).
return table.concat(reply, ' ')
`

/** `set`: ARGV = value, ttl (whole ms). */
const SET = `redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`

/**
 * `setIfAbsent`: ARGV = value, ttl. A rate hash past its logical expiry (under 1 ms, before
 * Redis drops it) counts as absent, as in the memory store.
 */
const SET_IF_ABSENT = `${PRELUDE}
local key = KEYS[1]
if redis.call('SET', key, ARGV[1], 'PX', ARGV[2], 'NX') then return 1 end
if redis.call('TYPE', key).ok == 'hash' then
  local e = tonumber(redis.call('HGET', key, 'e'))
  if e and e <= clock() then
    redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
    return 1
  end
end
return 0
`

/** `get`: a string's value, a counter as a decimal string, nil when absent. */
const GET = `${PRELUDE}
local key = KEYS[1]
local ty = redis.call('TYPE', key).ok
if ty == 'string' then return redis.call('GET', key) end
if ty == 'none' then return false end
if ty == 'hash' then
  local v = redis.call('HMGET', key, 'k', 'v', 'e')
  if v[1] == 'n' then return v[2] end
  local e = tonumber(v[3])
  if e and e <= clock() then return false end
end
return redis.error_reply(WRONG_KIND)
`

/** `increment`: ARGV = by (safe integer), ttl (whole ms, used only when the key is created). */
const INCREMENT = `${PRELUDE}
local key = KEYS[1]
local v = redis.pcall('HMGET', key, 'k', 'e')
if v.err then return redis.error_reply(WRONG_KIND) end
if v[1] == 'n' then return redis.call('HINCRBY', key, 'v', ARGV[1]) end
if v[1] then
  local e = tonumber(v[2])
  if not (e and e <= clock()) then return redis.error_reply(WRONG_KIND) end
  redis.call('DEL', key)
end
redis.call('HSET', key, 'k', 'n', 'v', ARGV[1])
redis.call('PEXPIRE', key, ARGV[2])
return tonumber(ARGV[1])
`

/** `delete`: 1 when a live key was removed. */
const DELETE = `${PRELUDE}
local key = KEYS[1]
local ty = redis.call('TYPE', key).ok
if ty == 'none' then return 0 end
local live = 1
if ty == 'hash' then
  local e = tonumber(redis.call('HGET', key, 'e'))
  if e and e <= clock() then live = 0 end
end
redis.call('DEL', key)
return live
`

/** Builds a {@link Script} with its SHA-1. */
export function script(name: string, source: string): Script {
  return { name, source, sha: createHash('sha1').update(source).digest('hex') }
}

/** Every script the store runs, hashed once at load. */
export const SCRIPTS = {
  consume: script('consume', CONSUME),
  set: script('set', SET),
  setIfAbsent: script('setIfAbsent', SET_IF_ABSENT),
  get: script('get', GET),
  increment: script('increment', INCREMENT),
  delete: script('delete', DELETE),
} as const
