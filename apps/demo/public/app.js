// The Rampart demo page: a small security playground.
//
// Plain ES module, no build step, no framework. It runs under a strict Content Security Policy
// (loaded by a nonce'd <script>, 'strict-dynamic', no inline handlers or style attributes), so it
// builds every node with createElement/textContent and never parses HTML: event data and API
// answers are attacker-influenced. The session token lives in a variable only, never in storage.

/** The element with this `data-testid`. */
const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`)

/**
 * Creates an element. `props`: `class`, `text`, `testid`, `dataset`, `on<event>` listeners, or
 * attributes. Children are nodes or strings (strings become text nodes, never markup).
 */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag)
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue
    if (key === 'class') node.className = value
    else if (key === 'text') node.textContent = String(value)
    else if (key === 'testid') node.dataset.testid = value
    else if (key === 'dataset') Object.assign(node.dataset, value)
    else if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2), value)
    } else node.setAttribute(key, value === true ? '' : String(value))
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue
    node.append(child instanceof Node ? child : String(child))
  }
  return node
}

const REASONS = {
  0: 'network error',
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
}

/** Headers worth showing with every answer. */
const SHOWN_HEADERS = [
  'ratelimit',
  'ratelimit-policy',
  'retry-after',
  'content-type',
  'www-authenticate',
]

const state = {
  /** `GET /api/info` */
  info: null,
  /** `{ token, user, expiresAt }` while signed in; memory only. */
  session: null,
  partners: [],
  busy: false,
  countdownTimer: undefined,
  lockoutAttempts: 0,
}

// ---------------------------------------------------------------------------------------------
// HTTP

/**
 * Sends one request and records the answer. `body` is sent as JSON; `raw` as given (for bodies
 * `JSON.stringify` cannot produce, such as an own `__proto__` key). Never throws.
 */
async function api(method, path, { body, raw, auth = true, show = true } = {}) {
  const headers = { accept: 'application/json, application/problem+json' }
  let payload
  if (raw !== undefined) payload = raw
  else if (body !== undefined) payload = JSON.stringify(body)
  if (payload !== undefined) headers['content-type'] = 'application/json'
  if (auth && state.session) headers.authorization = `Bearer ${state.session.token}`
  const started = performance.now()
  let answer
  try {
    const res = await fetch(path, { method, headers, body: payload, cache: 'no-store' })
    const text = await res.text()
    const type = res.headers.get('content-type') ?? ''
    let data = text === '' ? null : text
    if (text !== '' && type.includes('json')) {
      try {
        data = JSON.parse(text)
      } catch {
        // Not JSON after all: show the text.
      }
    }
    answer = { method, path, status: res.status, headers: res.headers, data }
  } catch (error) {
    answer = { method, path, status: 0, headers: new Headers(), data: String(error) }
  }
  answer.ms = Math.round(performance.now() - started)
  // The rate-limit card follows the API's global limit; /login has its own, stricter one.
  if (path.startsWith('/api/')) noteRateLimit(answer.headers)
  if (show) showAnswer(answer)
  return answer
}

const reason = (status) => REASONS[status] ?? ''
const statusClass = (status) =>
  status >= 200 && status < 300 ? 'ok' : status === 429 || status >= 500 ? 'bad' : 'warn'

/** The JSON of a body, for a <pre> (long bodies cut). */
function pretty(data, max = 6000) {
  if (data === null || data === undefined) return '(no body)'
  const text = typeof data === 'string' ? data : JSON.stringify(data, null, 2)
  return text.length > max
    ? `${text.slice(0, max)}\n… (${text.length - max} more characters)`
    : text
}

/** Seconds in a `Retry-After` value (delta seconds or an HTTP date); `undefined` without one. */
function retryAfterSeconds(headers) {
  const value = headers.get('retry-after')
  if (value === null) return undefined
  if (/^\s*\d+\s*$/.test(value)) return Number(value)
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000))
}

/** One line naming a problem: `title — detail`. */
function problemLine(data) {
  if (data && typeof data === 'object') {
    return [data.title, data.detail].filter(Boolean).join(' — ')
  }
  return typeof data === 'string' ? data.slice(0, 200) : ''
}

function statusBadge(status) {
  return el('span', { class: `badge ${statusClass(status)}`, text: `${status} ${reason(status)}` })
}

/** Renders an answer into a container: status line, key headers, body. */
function renderAnswer(container, answer, { headers = true } = {}) {
  const headerRows = []
  if (headers) {
    for (const name of SHOWN_HEADERS) {
      const value = answer.headers.get(name)
      if (value !== null) headerRows.push(el('dt', { text: name }), el('dd', { text: value }))
    }
  }
  const parts = [
    el(
      'p',
      { class: 'status-line' },
      el('code', { class: 'req', text: `${answer.method} ${answer.path}` }),
      ' → ',
      statusBadge(answer.status),
      el('span', { class: 'muted small', text: ` ${answer.ms} ms` }),
    ),
  ]
  if (headerRows.length > 0) parts.push(el('dl', { class: 'headers' }, headerRows))
  parts.push(el('pre', { class: 'json', testid: 'response-body', text: pretty(answer.data) }))
  container.replaceChildren(...parts)
  container.dataset.status = String(answer.status)
}

function showAnswer(answer) {
  renderAnswer($('response'), answer)
  const line = $('last-line')
  line.hidden = false
  line.dataset.status = String(answer.status)
  const problem = answer.status >= 400 ? problemLine(answer.data) : ''
  line.replaceChildren(
    el('span', { class: 'muted', text: 'Last answer: ' }),
    el('code', { text: `${answer.method} ${answer.path}` }),
    ' → ',
    statusBadge(answer.status),
    problem ? el('span', { class: 'problem', text: ` ${problem}` }) : '',
    el('span', { class: 'muted small', text: ' (in full below)' }),
  )
  const history = $('history')
  history.prepend(
    el(
      'li',
      {},
      el('span', { class: `dot ${statusClass(answer.status)}` }),
      el('code', { text: `${answer.method} ${answer.path}` }),
      el('span', { class: 'muted', text: ` ${answer.status} ${reason(answer.status)}` }),
    ),
  )
  while (history.children.length > 6) history.lastElementChild.remove()
}

/** Shows the last `RateLimit` / `RateLimit-Policy` headers of an API answer. */
function noteRateLimit(headers) {
  const limit = headers.get('ratelimit')
  const policy = headers.get('ratelimit-policy')
  if (limit !== null) {
    $('ratelimit-header').textContent = limit
    const remaining = /;\s*r=(\d+)/.exec(limit)
    const quota = policy === null ? null : /;\s*q=(\d+)/.exec(policy)
    const meter = $('ratelimit-meter')
    if (remaining && quota) {
      meter.max = Number(quota[1])
      meter.value = Number(remaining[1])
      meter.low = Number(quota[1]) * 0.2
      meter.high = Number(quota[1]) * 0.5
      meter.optimum = Number(quota[1])
      meter.title = `${remaining[1]} of ${quota[1]} left`
    }
  }
  if (policy !== null) $('ratelimit-policy').textContent = policy
}

// ---------------------------------------------------------------------------------------------
// Header and accounts

async function loadInfo() {
  const answer = await api('GET', '/api/info', { auth: false, show: false })
  if (answer.status !== 200 || !answer.data || typeof answer.data !== 'object') {
    const box = $('info-error')
    box.hidden = false
    box.textContent = `GET /api/info answered ${answer.status} ${reason(answer.status)}: ${problemLine(answer.data)} — reload in a minute.`
    $('accounts').replaceChildren(el('span', { class: 'muted', text: 'No accounts loaded.' }))
    return
  }
  state.info = answer.data
  $('framework').textContent = String(state.info.framework ?? '?')
  $('store').textContent = String(state.info.store ?? '?')
  document.title = `Rampart demo — ${state.info.framework}`
  renderAccounts()
  const burstSize = (state.info.limits?.perMinute ?? 100) + 10
  $('burst').textContent = `Fire a burst of ${burstSize} requests`
  $('ratelimit-hint').replaceChildren(
    `${state.info.limits?.perMinute ?? 100} API requests a minute per client; every /api/* answer carries `,
    el('code', { text: 'RateLimit' }),
    ' headers, and over the limit the API answers 429 with ',
    el('code', { text: 'Retry-After' }),
    '.',
  )
  const lockout = state.info.limits?.lockout
  if (lockout) {
    $('lockout-hint').textContent =
      `${lockout.failures} failed logins lock the account for ${formatDuration(lockout.lockForSeconds)}. ` +
      'Even the right password is refused until the lock runs out.'
  }
}

const accounts = () => (Array.isArray(state.info?.accounts) ? state.info.accounts : [])

function renderAccounts() {
  $('accounts').replaceChildren(
    ...accounts().map((account) =>
      el('button', {
        type: 'button',
        class: `login role-${account.role}`,
        testid: `login-${account.name}`,
        text: `Sign in as ${account.name} (${account.role})`,
        onclick: () => guarded(() => login(account)),
      }),
    ),
  )
  const select = $('lockout-user')
  select.replaceChildren(
    ...accounts().map((account) =>
      el('option', { value: account.name, text: `${account.name} (${account.role})` }),
    ),
  )
  // Default to the second account (ed): locking it leaves the others free to sign in.
  if (accounts().length > 1) select.value = accounts()[1].name
}

/** Runs one action at a time (buttons stay usable; a second click waits its turn). */
let queue = Promise.resolve()
function guarded(action) {
  queue = queue.then(action).catch((error) => {
    console.error(error)
  })
  return queue
}

// ---------------------------------------------------------------------------------------------
// 1. Sign in, partners

async function login(account) {
  const answer = await api('POST', '/login', {
    body: { username: account.name, password: account.password },
    auth: false,
  })
  if (answer.status === 200 && answer.data?.token) {
    state.session = {
      token: answer.data.token,
      user: answer.data.user,
      expiresAt: answer.data.expiresAt,
    }
    renderWho()
    await loadPartners()
    return
  }
  const wait = retryAfterSeconds(answer.headers)
  renderWho(
    `Sign-in as ${account.name} refused: ${answer.status} ${problemLine(answer.data)}` +
      (wait === undefined ? '' : ` (retry in ${formatDuration(wait)})`),
  )
}

function logout() {
  state.session = null
  state.partners = []
  renderWho()
  renderPartners()
}

function renderWho(problem) {
  const who = $('whoami')
  const user = state.session?.user
  const children = []
  if (user) {
    const roles = Array.isArray(user.roles) ? user.roles.join(', ') : ''
    children.push('Signed in as ', el('strong', { text: String(user.name) }), ` (${roles})`)
    const expires = new Date(state.session.expiresAt)
    if (!Number.isNaN(expires.getTime())) {
      children.push(
        el('span', {
          class: 'muted',
          title: `session token (kept in memory only) expires ${expires.toLocaleString()}`,
          text: ` · token until ${expires.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`,
        }),
      )
    }
  } else children.push('Not signed in.')
  if (problem) children.push(el('span', { class: 'problem', text: ` ${problem}` }))
  who.replaceChildren(...children)
  who.dataset.user = user ? String(user.name) : ''
}

async function loadPartners() {
  const answer = await api('GET', '/api/partners')
  if (answer.status === 200 && Array.isArray(answer.data)) {
    state.partners = answer.data
    renderPartners()
  } else {
    state.partners = []
    renderPartners(`GET /api/partners: ${answer.status} ${problemLine(answer.data)}`)
  }
}

// `website` is shown under the e-mail and `id` under the name, to keep the table narrow.
const COLUMN_ORDER = ['name', 'email', 'phone', 'vatId', 'creditLimit', 'ownerId']
const BESIDE = { name: 'id', email: 'website' }
const MASKABLE = ['vatId', 'creditLimit']
const LABELS = {
  name: 'name',
  email: 'e-mail · website',
  phone: 'phone',
  vatId: 'VAT id',
  creditLimit: 'credit limit',
  ownerId: 'owner',
}

function renderPartners(problem) {
  const box = $('partners')
  const note = $('mask-note')
  if (!state.session || problem) {
    note.hidden = true
    box.replaceChildren(
      el('p', {
        class: problem ? 'problem' : 'muted',
        testid: 'partners-empty',
        text: problem ?? 'Sign in to see the partner directory.',
      }),
    )
    return
  }
  const list = state.partners
  const seen = new Set(list.flatMap((p) => Object.keys(p)))
  const shownBeside = Object.values(BESIDE)
  const extra = [...seen].filter(
    (k) => !COLUMN_ORDER.includes(k) && !shownBeside.includes(k) && k !== 'tenant',
  )
  const columns = [...COLUMN_ORDER, ...extra]
  const masked = MASKABLE.filter((k) => !seen.has(k))
  const me = state.session.user?.id

  const head = el(
    'tr',
    {},
    columns.map((key) =>
      el(
        'th',
        { class: masked.includes(key) ? 'masked' : undefined, scope: 'col' },
        LABELS[key] ?? key,
        masked.includes(key) ? el('span', { class: 'tag', text: 'hidden' }) : null,
      ),
    ),
    el('th', { scope: 'col', text: 'try' }),
  )
  const rows = list.map((partner) =>
    el(
      'tr',
      { testid: 'partner-row', dataset: { id: String(partner.id) } },
      columns.map((key) => cell(partner, key, me)),
      el(
        'td',
        { class: 'actions' },
        el(
          'div',
          { class: 'stack' },
          el('button', {
            type: 'button',
            class: 'small',
            testid: `edit-${partner.id}`,
            title: 'PATCH a new phone number',
            text: 'Edit',
            onclick: () => guarded(() => editPhone(partner)),
          }),
          el('button', {
            type: 'button',
            class: 'small',
            testid: `raise-${partner.id}`,
            title: 'PATCH creditLimit (managers and admins only)',
            text: 'Raise credit',
            onclick: () => guarded(() => raiseCredit(partner)),
          }),
          el('button', {
            type: 'button',
            class: 'small danger',
            testid: `delete-${partner.id}`,
            title: 'DELETE the partner',
            text: 'Delete',
            onclick: () => guarded(() => removePartner(partner)),
          }),
        ),
      ),
    ),
  )
  box.replaceChildren(
    el(
      'div',
      { class: 'table-wrap' },
      el(
        'table',
        { testid: 'partners-table', dataset: { masked: masked.join(' ') } },
        el('caption', {
          text: `${list.length} partner${list.length === 1 ? '' : 's'} as ${state.session.user?.name} may see them`,
        }),
        el('thead', {}, head),
        el('tbody', {}, rows),
      ),
    ),
  )
  note.hidden = masked.length === 0
  note.textContent =
    masked.length === 0
      ? ''
      : `${masked.map((k) => LABELS[k]).join(' and ')}: hidden by your role — the server's field mask removed them from the answer.`
}

function cell(partner, key, me) {
  const value = partner[key]
  if (value === undefined) {
    return el('td', {
      class: 'masked',
      testid: `cell-${key}`,
      title: 'hidden by your role',
      text: '—',
    })
  }
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value)
  if (key === 'creditLimit' && typeof value === 'number') text = value.toLocaleString('en-US')
  const td = el('td', { testid: `cell-${key}`, class: `col-${key}` }, text)
  const beside = BESIDE[key] && partner[BESIDE[key]]
  if (beside !== undefined) td.append(el('span', { class: 'sub', text: String(beside) }))
  if (key === 'ownerId' && value === me) td.append(el('span', { class: 'sub', text: '(you)' }))
  return td
}

const randomDigits = (n) =>
  Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => b % 10).join('')

async function editPhone(partner) {
  const answer = await api('PATCH', `/api/partners/${encodeURIComponent(partner.id)}`, {
    body: { phone: `+1 555 ${randomDigits(4)}` },
  })
  if (answer.status === 200) await refreshPartners()
}

async function raiseCredit(partner) {
  const current = typeof partner.creditLimit === 'number' ? partner.creditLimit : 10_000
  const answer = await api('PATCH', `/api/partners/${encodeURIComponent(partner.id)}`, {
    body: { creditLimit: current + 5_000 },
  })
  if (answer.status === 200) await refreshPartners()
}

async function removePartner(partner) {
  const answer = await api('DELETE', `/api/partners/${encodeURIComponent(partner.id)}`)
  if (answer.status === 204 || answer.status === 200) await refreshPartners()
}

/** Reloads the table without hiding the answer that caused it. */
async function refreshPartners() {
  const answer = await api('GET', '/api/partners', { show: false })
  if (answer.status === 200 && Array.isArray(answer.data)) {
    state.partners = answer.data
    renderPartners()
  }
}

async function addPartner(form) {
  const data = new FormData(form)
  const body = {
    name: String(data.get('name') ?? ''),
    email: String(data.get('email') ?? ''),
    phone: `+1 555 ${randomDigits(4)}`,
    website: 'https://partner.example',
  }
  if (data.get('withCredit')) body.creditLimit = 25_000
  const answer = await api('POST', '/api/partners', { body })
  if (answer.status === 201 || answer.status === 200) {
    await refreshPartners()
    resetAddForm()
  }
}

function resetAddForm() {
  const n = randomDigits(3)
  $('add-name').value = `Demo Partner ${n}`
  $('add-email').value = `contact${n}@partner.example`
}

// ---------------------------------------------------------------------------------------------
// 2. Lockout

function lockoutAccount() {
  const name = $('lockout-user').value
  return accounts().find((a) => a.name === name) ?? { name, password: '' }
}

function newWrongPassword() {
  $('lockout-password').value = `wrong-${randomDigits(6)}`
}

/** One login attempt; `true` when the server refused with 429 (locked or limited). */
async function attempt(account, password) {
  state.lockoutAttempts += 1
  const n = state.lockoutAttempts
  const answer = await api('POST', '/login', {
    body: { username: account.name, password },
    auth: false,
  })
  const wait = retryAfterSeconds(answer.headers)
  $('lockout-log').prepend(
    el(
      'li',
      { dataset: { status: String(answer.status) } },
      el('span', { class: 'muted', text: `#${n} ` }),
      `${account.name} · ${password === account.password ? 'right' : 'wrong'} password → `,
      statusBadge(answer.status),
      wait === undefined ? null : el('span', { class: 'muted', text: ` Retry-After: ${wait}` }),
    ),
  )
  while ($('lockout-log').children.length > 8) $('lockout-log').lastElementChild.remove()
  if (answer.status === 429 || answer.status === 503) {
    const type = typeof answer.data?.type === 'string' ? answer.data.type : ''
    const label =
      answer.status === 503
        ? `${account.name}: store unavailable, retry in`
        : type.endsWith(':rate-limited')
          ? `${account.name}: login rate limit, retry in`
          : `${account.name} locked:`
    startCountdown(account.name, label, wait ?? 0, problemLine(answer.data))
    return true
  }
  if (answer.status === 200) $('lockout-why').hidden = true
  return false
}

async function failLogins(times) {
  const account = lockoutAccount()
  const password = $('lockout-password').value || `wrong-${randomDigits(6)}`
  for (let i = 0; i < times; i += 1) {
    if (await attempt(account, password)) break
  }
}

/** Shows `<label> m:ss` ticking down each second, e.g. `ed locked: 4:59`. */
function startCountdown(name, label, seconds, why) {
  clearInterval(state.countdownTimer)
  const box = $('lockout-countdown')
  const whyBox = $('lockout-why')
  whyBox.hidden = !why
  whyBox.textContent = why ?? ''
  box.hidden = false
  const deadline = Date.now() + seconds * 1000
  const tick = () => {
    const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000))
    box.dataset.seconds = String(left)
    box.dataset.state = left > 0 ? 'locked' : 'expired'
    box.textContent = left > 0 ? `${label} ${clock(left)}` : `${name}: the wait is over — try again`
    if (left === 0) clearInterval(state.countdownTimer)
  }
  tick()
  state.countdownTimer = setInterval(tick, 1000)
}

/** `m:ss` (or `h:mm:ss`). */
function clock(seconds) {
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = String(seconds % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}

function formatDuration(seconds) {
  if (seconds % 60 === 0 && seconds >= 60) return `${seconds / 60} min`
  return seconds >= 60 ? clock(seconds) : `${seconds} s`
}

// ---------------------------------------------------------------------------------------------
// 3. Rate limit

async function burst() {
  const button = $('burst')
  const total = (state.info?.limits?.perMinute ?? 100) + 10
  const counts = { ok: 0, limited: 0, other: 0 }
  const progress = $('burst-progress')
  progress.max = total
  progress.value = 0
  const problem = $('burst-problem')
  problem.hidden = true
  $('burst-retry-after').textContent = '—'
  const render = () => {
    $('burst-ok').textContent = String(counts.ok)
    $('burst-429').textContent = String(counts.limited)
    $('burst-other').textContent = String(counts.other)
    progress.value = counts.ok + counts.limited + counts.other
  }
  render()
  button.disabled = true
  let first429
  let last
  try {
    const batch = 5
    for (let sent = 0; sent < total; sent += batch) {
      const size = Math.min(batch, total - sent)
      const answers = await Promise.all(
        Array.from({ length: size }, () => api('GET', '/api/partners', { show: false })),
      )
      for (const answer of answers) {
        last = answer
        if (answer.status === 429) {
          counts.limited += 1
          first429 ??= answer
        } else if (answer.status >= 200 && answer.status < 500 && answer.status !== 0) {
          counts.ok += 1
        } else counts.other += 1
      }
      render()
      if (first429 && problem.hidden) {
        problem.hidden = false
        problem.textContent = pretty(first429.data)
        const wait = retryAfterSeconds(first429.headers)
        $('burst-retry-after').textContent =
          wait === undefined ? '(none)' : `${first429.headers.get('retry-after')} s`
      }
    }
  } finally {
    button.disabled = false
  }
  if (first429) showAnswer(first429)
  else if (last) showAnswer(last)
}

// ---------------------------------------------------------------------------------------------
// 4. Bad input

const BASE =
  '"name":"Polluted Ltd","email":"a@b.example","phone":"+1 555 0100","website":"https://b.example"'

const BAD_BODIES = {
  // JSON.stringify drops a __proto__ set by a literal, so this one is raw text.
  'bad-proto': () => ({
    label: 'own "__proto__" key: {"__proto__":{"admin":true}}',
    raw: `{${BASE},"__proto__":{"admin":true,"roles":["admin"]}}`,
  }),
  'bad-unknown': () => ({
    label: 'unknown key "ownerId" and an e-mail without a domain',
    raw: JSON.stringify({
      name: 'Sneaky Ltd',
      email: 'not-an-email',
      phone: '+1 555 0100',
      website: 'https://sneaky.example',
      ownerId: 'u-ada',
    }),
  }),
  'bad-deep': () => ({
    label: '40 levels of nested objects',
    raw: `{${BASE},"notes":${'{"a":'.repeat(40)}1${'}'.repeat(40)}}`,
  }),
  'bad-keys': () => {
    const keys = Array.from({ length: 2000 }, (_, i) => `"k${i}":${i}`).join(',')
    return { label: '2,000 keys in one object', raw: `{${BASE},"extra":{${keys}}}` }
  },
  'bad-big': () => ({
    label: 'a 200 kB name',
    raw: JSON.stringify({
      name: 'A'.repeat(200_000),
      email: 'a@b.example',
      phone: '+1 555 0100',
      website: 'https://b.example',
    }),
  }),
}

async function sendBad(id) {
  const { label, raw } = BAD_BODIES[id]()
  const size = new TextEncoder().encode(raw).length
  $('bad-sent').textContent = `Sent ${label} (${size.toLocaleString('en-US')} bytes)`
  const answer = await api('POST', '/api/partners', { raw })
  renderAnswer($('bad-result'), answer, { headers: false })
  if (answer.status === 201) await refreshPartners()
}

// ---------------------------------------------------------------------------------------------
// 5. Webhooks

async function sendWebhook(tamper) {
  const answer = await api('POST', '/webhooks/outgoing', { body: { tamper } })
  const box = $('webhook-result')
  const data = answer.data
  if (answer.status === 200 && data && typeof data === 'object' && data.receiver) {
    const received = Number(data.receiver.status)
    box.replaceChildren(
      el(
        'p',
        { class: 'status-line' },
        tamper ? 'Tampered ' : 'Signed ',
        el('code', { text: String(data.sent?.type ?? 'event') }),
        ' ',
        el('code', { class: 'muted', text: String(data.sent?.id ?? '') }),
        ' → receiver ',
        statusBadge(received),
      ),
      el('pre', { class: 'json', text: pretty(data.receiver.body) }),
    )
    box.dataset.status = String(received)
  } else renderAnswer(box, answer, { headers: false })
}

// ---------------------------------------------------------------------------------------------
// 6. Security events (SSE)

const MAX_EVENTS = 200
const FIRST_KEYS = ['source', 'method', 'path', 'ip', 'requestId']

function eventCategory(type) {
  const head = type.split('.')[0]
  if (head.startsWith('rate-limit')) return 'rate'
  if (head.startsWith('lockout')) return 'lockout'
  if (head.startsWith('sanitiz') || head.startsWith('body') || head.startsWith('input')) {
    return 'input'
  }
  if (head.startsWith('rbac') || head.startsWith('auth') || head.startsWith('ip-filter')) {
    return 'access'
  }
  if (head.startsWith('sign') || head.startsWith('webhook')) return 'signature'
  if (head.startsWith('guard') || head.startsWith('rampart') || head.startsWith('store')) {
    return 'system'
  }
  return 'other'
}

function formatValue(value) {
  let text
  if (typeof value === 'string') text = /[\s=]/.test(value) ? JSON.stringify(value) : value
  else text = JSON.stringify(value) ?? String(value)
  return text.length > 120 ? `${text.slice(0, 120)}…` : text
}

function renderEvent(event) {
  const type = typeof event.type === 'string' ? event.type : 'unknown'
  const time = typeof event.time === 'number' ? new Date(event.time) : new Date()
  const keys = Object.keys(event).filter((k) => k !== 'type' && k !== 'time')
  keys.sort((a, b) => {
    const ia = FIRST_KEYS.indexOf(a)
    const ib = FIRST_KEYS.indexOf(b)
    return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib)
  })
  const fields = keys.map((key) =>
    el(
      'span',
      { class: 'field' },
      el('span', { class: 'k', text: key }),
      '=',
      el('span', { class: 'v', text: formatValue(event[key]) }),
    ),
  )
  return el(
    'li',
    { class: `event cat-${eventCategory(type)}`, dataset: { type } },
    el(
      'div',
      { class: 'event-head' },
      el('span', { class: 'type', testid: 'event-type', text: type }),
      el('time', {
        class: 'muted small',
        datetime: time.toISOString(),
        text: time.toLocaleTimeString(undefined, { hour12: false }),
      }),
    ),
    el('div', { class: 'fields' }, fields),
  )
}

function connectEvents() {
  const status = $('events-status')
  const list = $('events')
  const setStatus = (state, text) => {
    status.dataset.state = state
    status.textContent = text
  }
  const source = new EventSource('/events')
  source.addEventListener('open', () => setStatus('live', 'live'))
  source.addEventListener('hello', (message) => {
    let framework = ''
    try {
      framework = String(JSON.parse(message.data).framework ?? '')
    } catch {
      // A hello without JSON still means we are connected.
    }
    setStatus('live', framework ? `live · ${framework}` : 'live')
  })
  source.addEventListener('security', (message) => {
    let event
    try {
      event = JSON.parse(message.data)
    } catch {
      return
    }
    if (!event || typeof event !== 'object') return
    list.prepend(renderEvent(event))
    while (list.children.length > MAX_EVENTS) list.lastElementChild.remove()
    $('events-count').textContent = String(list.children.length)
  })
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED) setStatus('closed', 'disconnected')
    else setStatus('reconnecting', 'reconnecting…')
  })
  $('events-clear').addEventListener('click', () => {
    list.replaceChildren()
    $('events-count').textContent = '0'
  })
}

// ---------------------------------------------------------------------------------------------
// Wiring

function wire() {
  $('logout').addEventListener('click', () => guarded(logout))
  $('me').addEventListener('click', () => guarded(() => api('GET', '/api/me')))
  $('products').addEventListener('click', () => guarded(() => api('GET', '/api/products')))
  $('reload-partners').addEventListener('click', () => guarded(loadPartners))
  $('add-form').addEventListener('submit', (event) => {
    event.preventDefault()
    guarded(() => addPartner(event.currentTarget))
  })
  $('lockout-fail1').addEventListener('click', () => guarded(() => failLogins(1)))
  $('lockout-fail5').addEventListener('click', () => guarded(() => failLogins(5)))
  $('lockout-right').addEventListener('click', () =>
    guarded(async () => {
      const account = lockoutAccount()
      await attempt(account, account.password)
    }),
  )
  $('burst').addEventListener('click', () => guarded(burst))
  for (const id of Object.keys(BAD_BODIES)) {
    $(id).addEventListener('click', () => guarded(() => sendBad(id)))
  }
  $('webhook-send').addEventListener('click', () => guarded(() => sendWebhook(false)))
  $('webhook-tamper').addEventListener('click', () => guarded(() => sendWebhook(true)))
}

wire()
newWrongPassword()
resetAddForm()
renderWho()
connectEvents()
await loadInfo()
document.documentElement.dataset.ready = 'true'
