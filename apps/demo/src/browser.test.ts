/**
 * The playground page in a real headless Chromium, on each framework: it loads under the strict
 * CSP without a single violation, signs in per role (field masks), trips the lockout and the rate
 * limit, has a polluted body refused, and shows the live, redacted security events.
 *
 * Browsers cannot be downloaded here, so this drives the system's Chromium (Debian's `chromium`
 * package) through `playwright-core`; `CHROMIUM_PATH` points elsewhere. Without a Chromium the
 * test fails, saying how to get one: it never skips.
 *
 * `DEMO_SCREENSHOT=1` also writes `apps/demo/docs/screenshot.png` (the README's picture).
 */
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Locator,
  type Page,
} from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FRAMEWORKS, type Framework } from './app/settings.js'
import { type RunningDemo, startDemo } from './server.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const SCREENSHOT = process.env.DEMO_SCREENSHOT === '1'
const SCREENSHOT_FILE = new URL('../docs/screenshot.png', import.meta.url)

/** Without the background-networking flags Chromium's connections are refused on a closed network. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** A small API limit keeps the burst short (it fires limit + 10 requests). */
const PER_MINUTE = 20
const STEP = 60_000

let browser: Browser

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: the browser test needs one. Install Debian's package ` +
        '(`sudo apt-get install chromium`) or point CHROMIUM_PATH at a Chromium or Chrome binary.',
    )
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  })
}, STEP)

afterAll(async () => {
  await browser?.close()
})

/** What the page reported on its own: CSP violations, console CSP errors, uncaught errors. */
interface Watch {
  readonly consoleCsp: string[]
  readonly pageErrors: string[]
}

declare global {
  interface Window {
    __cspViolations?: string[]
  }
}

/** A fresh context and page, watching for CSP violations from the very first script. */
async function openPage(
  viewport = { width: 1280, height: 1000 },
): Promise<{ context: BrowserContext; page: Page; watch: Watch }> {
  const context = await browser.newContext({ viewport })
  const page = await context.newPage()
  const watch: Watch = { consoleCsp: [], pageErrors: [] }
  page.on('console', (message) => {
    if (/Content[ -]Security[ -]Policy/i.test(message.text())) watch.consoleCsp.push(message.text())
  })
  page.on('pageerror', (error) => watch.pageErrors.push(String(error)))
  await page.addInitScript(() => {
    window.__cspViolations = []
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations?.push(`${event.violatedDirective} ${event.blockedURI}`)
    })
  })
  return { context, page, watch }
}

const byTestId = (page: Page, id: string): Locator => page.locator(`[data-testid="${id}"]`)

/** Signs in with the page's button and waits for the partner table of that user. */
async function signIn(page: Page, name: string): Promise<void> {
  await byTestId(page, `login-${name}`).click()
  await page.waitForSelector(`[data-testid="whoami"][data-user="${name}"]`)
  await page.waitForFunction(
    (who) =>
      document.querySelector('[data-testid="partners-table"] caption')?.textContent?.includes(who),
    name,
  )
}

describe.each(FRAMEWORKS)('playground page on %s', (framework: Framework) => {
  let demo: RunningDemo
  let context: BrowserContext
  let page: Page
  let watch: Watch
  let wrongPassword = ''

  beforeAll(async () => {
    demo = await startDemo({
      framework,
      port: 0,
      host: '127.0.0.1',
      perMinute: PER_MINUTE,
      logLevel: 'silent',
    })
    ;({ context, page, watch } = await openPage())
  }, STEP)

  afterAll(async () => {
    await context?.close()
    await demo?.close()
  })

  it(
    'loads under the strict CSP, its script carrying the nonce, without a violation',
    async () => {
      const response = await page.goto(`${demo.origin}/`)
      expect(response?.status()).toBe(200)
      const csp = (await response?.headerValue('content-security-policy')) ?? ''
      expect(csp).toContain("'nonce-")
      expect(csp).not.toContain('unsafe-inline')
      expect(csp).not.toContain('unsafe-eval')
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1] ?? ''
      const html = (await response?.text()) ?? ''
      expect(html).toContain(`nonce="${nonce}"`)
      expect(html).not.toContain('{{nonce}}')
      // Chromium hides a nonce from getAttribute(); the property still has it.
      const scriptNonce = await page.$eval(
        'script[src="/assets/app.js"]',
        (script) => (script as HTMLScriptElement).nonce,
      )
      expect(scriptNonce).toBe(nonce)

      // The module ran: the header names the framework and the event stream is live.
      await page.waitForSelector('html[data-ready="true"]')
      await expect.poll(() => byTestId(page, 'title').textContent()).toContain(framework)
      expect(await byTestId(page, 'store').textContent()).toBe('memory')
      await page.waitForSelector('[data-testid="events-status"][data-state="live"]')
      expect(await byTestId(page, 'events-status').textContent()).toContain(framework)
      expect(await page.evaluate(() => window.__cspViolations)).toEqual([])
      expect(watch.consoleCsp).toEqual([])
      expect(watch.pageErrors).toEqual([])
    },
    STEP,
  )

  it(
    'shows credit limits to an admin and hides them from a viewer',
    async () => {
      await signIn(page, 'ada')
      const adminLimits = await byTestId(page, 'cell-creditLimit').allTextContents()
      expect(adminLimits.length).toBeGreaterThan(0)
      for (const text of adminLimits) expect(text).toMatch(/^\d[\d,]*$/)
      expect(await byTestId(page, 'mask-note').isHidden()).toBe(true)

      await signIn(page, 'vera')
      const viewerLimits = await byTestId(page, 'cell-creditLimit').allTextContents()
      expect(viewerLimits.length).toBe(adminLimits.length)
      for (const text of viewerLimits) expect(text).toBe('—')
      for (const text of await byTestId(page, 'cell-vatId').allTextContents())
        expect(text).toBe('—')
      expect(await byTestId(page, 'mask-note').textContent()).toContain('hidden by your role')

      // A viewer raising a credit limit: a 403 problem in the answer panel.
      await byTestId(page, 'partner-row')
        .first()
        .getByRole('button', { name: 'Raise credit' })
        .click()
      await page.waitForSelector('[data-testid="response"][data-status="403"]')
      expect(await byTestId(page, 'response').textContent()).toContain('application/problem+json')
    },
    STEP,
  )

  it(
    'shows the 400 problem for a polluted body',
    async () => {
      await byTestId(page, 'bad-proto').click()
      await page.waitForSelector('[data-testid="bad-result"][data-status="400"]')
      const problem = JSON.parse(
        (await byTestId(page, 'bad-result').locator('pre').textContent()) ?? '{}',
      ) as { status?: number; type?: string; title?: string }
      expect(problem.status).toBe(400)
      expect(problem.type).toEqual(expect.any(String))
      expect(problem.title).toEqual(expect.any(String))
      expect(await byTestId(page, 'response').textContent()).toContain('application/problem+json')
    },
    STEP,
  )

  it(
    'locks an account after five failed logins and counts the lock down',
    async () => {
      await byTestId(page, 'lockout-user').selectOption('ed')
      wrongPassword = (await byTestId(page, 'lockout-password').inputValue()) ?? ''
      expect(wrongPassword).toMatch(/^wrong-/)
      await byTestId(page, 'lockout-fail5').click()
      await expect
        .poll(() => byTestId(page, 'lockout-log').locator('li').count(), { timeout: 20_000 })
        .toBe(5)
      const firstFive = await byTestId(page, 'lockout-log')
        .locator('li')
        .evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.status).reverse())
      expect(firstFive.slice(0, 4)).toEqual(['401', '401', '401', '401'])

      await byTestId(page, 'lockout-fail1').click()
      await expect
        .poll(() => byTestId(page, 'lockout-log').locator('li').count(), { timeout: 20_000 })
        .toBe(6)
      expect(
        await byTestId(page, 'lockout-log').locator('li').first().getAttribute('data-status'),
      ).toBe('429')
      const countdown = byTestId(page, 'lockout-countdown')
      await countdown.waitFor({ state: 'visible' })
      expect(await countdown.textContent()).toMatch(/^ed locked: \d+:\d\d$/)
      const seconds = Number(await countdown.getAttribute('data-seconds'))
      expect(seconds).toBeGreaterThan(0)
      // It ticks.
      await expect
        .poll(async () => Number(await countdown.getAttribute('data-seconds')), { timeout: 5_000 })
        .toBeLessThan(seconds)
    },
    STEP,
  )

  it(
    'trips the rate limit with a burst and shows the RateLimit header and the 429',
    async () => {
      const burst = byTestId(page, 'burst')
      expect(await burst.textContent()).toContain(`${PER_MINUTE + 10} requests`)
      await burst.click()
      await expect
        .poll(async () => Number(await byTestId(page, 'burst-429').textContent()), {
          timeout: 30_000,
        })
        .toBeGreaterThan(0)
      await page.waitForSelector('[data-testid="burst"]:not([disabled])', { timeout: 30_000 })
      const allowed = Number(await byTestId(page, 'burst-ok').textContent())
      const limited = Number(await byTestId(page, 'burst-429').textContent())
      expect(allowed).toBeLessThanOrEqual(PER_MINUTE)
      expect(allowed + limited).toBe(PER_MINUTE + 10)
      expect(await byTestId(page, 'ratelimit-header').textContent()).toMatch(/;r=\d+;t=\d+/)
      expect(await byTestId(page, 'ratelimit-policy').textContent()).toContain(`q=${PER_MINUTE}`)
      const retryAfter = (await byTestId(page, 'burst-retry-after').textContent()) ?? ''
      expect(Number.parseInt(retryAfter, 10)).toBeGreaterThan(0)
      const problem = JSON.parse((await byTestId(page, 'burst-problem').textContent()) ?? '{}') as {
        status?: number
      }
      expect(problem.status).toBe(429)
    },
    STEP,
  )

  it(
    'streams the security events, redacted, as they happen',
    async () => {
      const events = byTestId(page, 'events')
      const types = () =>
        events
          .locator('li')
          .evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.type))
      await expect
        .poll(types, { timeout: 10_000 })
        .toEqual(expect.arrayContaining(['lockout.locked', 'rate-limit.exceeded']))
      const all = await types()
      expect(all.some((t) => t === 'lockout.refused')).toBe(true)
      // Newest first: the burst's events come before the lockout's.
      expect(all.indexOf('rate-limit.exceeded')).toBeLessThan(all.indexOf('lockout.locked'))
      const text = (await events.textContent()) ?? ''
      expect(text.length).toBeGreaterThan(0)
      expect(wrongPassword.length).toBeGreaterThan(6)
      expect(text).not.toContain(wrongPassword)
      expect(text).not.toContain('-demo-password')
      expect(Number(await byTestId(page, 'events-count').textContent())).toBe(all.length)
    },
    STEP,
  )

  it('had no CSP violation and no script error along the way', async () => {
    expect(await page.evaluate(() => window.__cspViolations)).toEqual([])
    expect(watch.consoleCsp).toEqual([])
    expect(watch.pageErrors).toEqual([])
  })
})

// The README's picture: only with DEMO_SCREENSHOT=1, so the normal run writes nothing.
if (SCREENSHOT) {
  describe('README screenshot', () => {
    it(
      `writes ${SCREENSHOT_FILE.pathname}`,
      async () => {
        const demo = await startDemo({
          framework: 'hono',
          port: 0,
          host: '127.0.0.1',
          logLevel: 'silent',
        })
        const { context, page } = await openPage({ width: 1280, height: 1000 })
        try {
          await page.goto(`${demo.origin}/`)
          await page.waitForSelector('[data-testid="events-status"][data-state="live"]')
          await signIn(page, 'max')
          await byTestId(page, 'partner-row')
            .first()
            .getByRole('button', { name: 'Raise credit' })
            .click()
          await page.waitForSelector('[data-testid="response"][data-status="200"]')
          await byTestId(page, 'bad-proto').click()
          await page.waitForSelector('[data-testid="bad-result"][data-status="400"]')
          await byTestId(page, 'burst').click()
          await page.waitForSelector('[data-testid="burst"]:not([disabled])', { timeout: 30_000 })
          await byTestId(page, 'lockout-user').selectOption('ed')
          await byTestId(page, 'lockout-fail5').click()
          await byTestId(page, 'lockout-fail1').click()
          await byTestId(page, 'lockout-countdown').waitFor({ state: 'visible', timeout: 20_000 })
          await byTestId(page, 'webhook-send').click()
          await page.waitForSelector('[data-testid="webhook-result"][data-status="200"]')
          await byTestId(page, 'webhook-tamper').click()
          await page.waitForSelector('[data-testid="webhook-result"][data-status="401"]')
          await page.waitForTimeout(1_500) // let the countdown tick and the event highlight fade
          await page.evaluate(() => {
            ;(document.activeElement as HTMLElement | null)?.blur()
            window.scrollTo(0, 0)
          })
          await mkdir(new URL('.', SCREENSHOT_FILE), { recursive: true })
          await page.screenshot({ path: SCREENSHOT_FILE.pathname })
        } finally {
          await context.close()
          await demo.close()
        }
      },
      2 * STEP,
    )
  })
}
