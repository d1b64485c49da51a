// What the example SPA's browser journeys share (test/spa/*.test.ts, one Chromium each): the
// server on a loopback port running nothing but the committed manifest (PERSISTED_OPERATIONS=only,
// so every operation the SPA sends is proven registered), the page opened with its script errors
// collected, waits that fail at once with the sentence the page shows, the development mailbox,
// an authenticator app, screenshots for review (.screenshots/spa/, gitignored, never compared),
// and the checks every journey makes: no enum name or internal group name on the page.
import { existsSync, mkdirSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { generateSync } from 'otplib'
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core'
import tap, { type Test } from 'tap'
import { createAuthClient } from '../../src/client/index.ts'
import { RELAXED_LIMITS } from '../challenge-helpers.ts'
import { build, newEmail, PASSWORD, type BuildOptions } from '../helper.ts'

export { newEmail, PASSWORD }

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']
export const MANIFEST = fileURLToPath(new URL('../../schema/persisted-operations.json', import.meta.url))
const SCREENSHOTS = fileURLToPath(new URL('../../.screenshots/spa/', import.meta.url))
export const SESSION_COOKIES = ['__Host-access', '__Host-id', '__Host-refresh']
export const WAIT_MS = 20_000
export const NO_CHROMIUM = `no Chromium at ${CHROMIUM} (Debian: apt-get install chromium; or set CHROMIUM_PATH)`

/** Limits loose enough for a journey's many sign-ins, sign-ups and codes from one address. */
export const LIMITS = { RATE_LIMITS: JSON.stringify({ ...JSON.parse(RELAXED_LIMITS.RATE_LIMITS), 'signUp.address': { max: 1000 }, 'delivery.email': { max: 1000 }, 'delivery.address': { max: 1000 } }) }

// The page's globals used by the functions that run in it (this project compiles without the DOM library).
interface PageElement { hidden: boolean, textContent: string | null, innerText: string, value: string, name: string, type: string, checked: boolean, dataset: Record<string, string | undefined>, form: { id: string } | null, closest: (selector: string) => PageElement | null }
declare const document: { querySelector: (selector: string) => PageElement | null, querySelectorAll: (selector: string) => ArrayLike<PageElement>, body: PageElement, activeElement: PageElement | null, cookie: string, title: string, documentElement: { scrollWidth: number, clientWidth: number } }

/** The one browser of a test file, closed at its end. */
export async function launch (t: Test): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  t.teardown(() => browser.close())
  return browser
}

/**
 * The server as the SPA meets it, listening on a loopback port (`env.PORT` when given: development's
 * stand-ins are reached on it); `origin` uses localhost (a passkey relying party, and one site with the page).
 */
export async function spaServer (t: Test, options: BuildOptions = {}): Promise<{ app: FastifyInstance, origin: string, url: string }> {
  // The journeys test no Cognito outage: the default timeout (build's 1 s is for the fault tests) keeps a busy machine's slow emulator call from reading as one.
  const app = await build(t, { ...options, env: { ...LIMITS, COGNITO_TIMEOUT_MS: '5000', PERSISTED_OPERATIONS: 'only', PERSISTED_OPERATIONS_MANIFEST: MANIFEST, ...options.env } })
  await app.listen({ port: Number(options.env?.PORT ?? 0), host: '127.0.0.1' })
  const origin = `http://localhost:${(app.server.address() as AddressInfo).port}`
  return { app, origin, url: `${origin}/spa/` }
}

/** A loopback port free now, for a server that must know its port before it listens. */
export async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** The SPA opened in a fresh browser context (one browser profile), with every script and console error collected. */
export async function openSpa (t: Test, browser: Browser, url: string, options: BrowserContextOptions = {}): Promise<{ context: BrowserContext, page: Page, problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 900, height: 1000 }, ...options })
  t.teardown(() => context.close())
  const page = await context.newPage()
  const problems: string[] = []
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
  page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location().url})`) })
  const response = await page.goto(url)
  t.equal(response?.status(), 200, `${url} is served`)
  await until(page, '#loading', { hidden: true })
  return { context, page, problems }
}

/**
 * Waits until `selector` is shown (or, with `hidden`, hidden) and holds `text`; fails at once with
 * the sentence the page shows in #error. (A function, not a string: the page's CSP has no
 * 'unsafe-eval', which string predicates need.)
 */
export async function until (page: Page, selector: string, { text = '', hidden = false }: { text?: string, hidden?: boolean } = {}): Promise<void> {
  await page.waitForFunction(({ selector, text, hidden }) => {
    const error = document.querySelector('#error')
    if (error !== null && !error.hidden) return true
    const element = document.querySelector(selector)
    if (element === null) return false
    const shown = !element.hidden && element.closest('[hidden]') === null
    return hidden ? !shown : shown && (element.textContent ?? '').includes(text)
  }, { selector, text, hidden }, { timeout: WAIT_MS })
  const error = await page.evaluate(() => { const e = document.querySelector('#error'); return e === null || e.hidden ? null : e.textContent })
  if (error !== null) throw new Error(`the SPA shows an error: ${error}`)
}

/** Waits for the page's error: its code (data-code, for programs) and the sentence people read. */
export async function untilError (page: Page): Promise<{ code: string | undefined, sentence: string | null }> {
  await page.waitForFunction(() => document.querySelector('#error')?.hidden === false, undefined, { timeout: WAIT_MS })
  return await page.evaluate(() => {
    const shown = document.querySelector('#error')
    return { code: shown?.dataset.code, sentence: shown?.textContent ?? null }
  })
}

/** Signs in as a person does: the email, Continue, the password, Sign in; the account page. */
export async function signIn (page: Page, email: string, password = PASSWORD): Promise<void> {
  await until(page, '#sign-in-email')
  await page.fill('#sign-in-email-input', email)
  await page.click('#sign-in-email button')
  await until(page, '#sign-in-password')
  await page.fill('#sign-in-password-input', password)
  await page.click('#sign-in-password button')
}

/** Signs in with the password and no second step: the account page shows the user. */
export async function signInToAccount (page: Page, email: string, password = PASSWORD): Promise<void> {
  await signIn(page, email, password)
  await until(page, '#page-account')
  await until(page, '#profile-summary', { text: email })
}

export async function signOut (page: Page): Promise<void> {
  await page.click('#sign-out button')
  await until(page, '#notice', { text: 'Signed out' })
  await until(page, '#page-sign-in')
}

/** The codes the development mailbox holds for `to`, newest first. */
export async function mailbox (app: FastifyInstance, to: string): Promise<string[]> {
  const response = await app.inject({ method: 'GET', url: `/dev/mailbox?to=${encodeURIComponent(to)}` })
  return (response.json() as Array<{ code: string }>).map((message) => message.code)
}

/** The browser client from Node, against the listening server (no cookies: sign-up and the like). */
export function nodeClient (origin: string) {
  return createAuthClient({ url: `${origin}/graphql` })
}

/** A confirmed account, made through the client from Node. */
export async function registered (app: FastifyInstance, origin: string, label: string, name?: string): Promise<string> {
  const email = newEmail(label)
  const client = nodeClient(origin)
  await client.signUp({ email, password: PASSWORD, name: name ?? null })
  const [code = ''] = await mailbox(app, email)
  if (await client.confirmSignUp({ email, code }) !== true) throw new Error(`${email} was not confirmed`)
  return email
}

/** How a password sign-in goes, through the client from Node: an error code, a challenge's name, or `Session`. */
export async function signInOutcome (origin: string, email: string, password: string): Promise<string> {
  try {
    const result = await nodeClient(origin).signIn({ email, password })
    return result?.__typename === 'Challenge' ? result.name : result?.__typename ?? 'null'
  } catch (err) {
    return (err as { code?: string }).code ?? String(err)
  }
}

/** A screenshot for people to review (never compared): .screenshots/spa/<name>.png. */
export async function screenshot (t: Test, target: Page | Locator, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const path = `${SCREENSHOTS}${name}.png`
  if ('goto' in target) await target.screenshot({ path, fullPage: true })
  else await target.screenshot({ path })
  t.pass(`screenshot: ${fileURLToPath(new URL(`file://${path}`))}`)
}

/** What the page shows people: no enum name (SOFTWARE_TOKEN_MFA, EMAIL_CODE …) and no Cognito provider group (…_DevIdP). */
export async function checkWording (t: Test, page: Page, where: string): Promise<void> {
  const text = await page.evaluate(() => document.body.innerText)
  t.same(text.match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g) ?? [], [], `${where}: no enum name on the page`)
  t.notMatch(text, /_DevIdP\b|[a-z]{2}-[a-z]+-\d_\w+_/, `${where}: no internal group name on the page`)
}

/** The fields of the page that hold something (`form-id field-name`): a text, a choice, a ticked box. */
export async function filledFields (page: Page): Promise<string[]> {
  return await page.evaluate(() => Array.from(document.querySelectorAll('input, select, textarea'))
    .filter((field) => field.type === 'checkbox' || field.type === 'radio' ? field.checked : field.value !== '')
    .map((field) => `${field.form?.id ?? '(no form)'} ${field.name}`))
}

/** The element that has the focus: its id, or its tag and text. */
export async function focused (page: Page): Promise<string> {
  return await page.evaluate(() => {
    const active = document.activeElement as (PageElement & { id?: string, tagName?: string }) | null
    return active?.id !== undefined && active.id !== '' ? `#${active.id}` : `${active?.tagName ?? 'none'} ${active?.textContent ?? ''}`.trim()
  })
}

/**
 * An authenticator app for one secret. Each code is accepted once (the server refuses a replay),
 * and the server takes the 30-second step either side of now, so a journey that needs several
 * codes takes the current step's, then the next one's, then the previous one's (unless that is
 * about to fall out of the window), and only then waits for a new step.
 */
export class Authenticator {
  readonly used = new Set<string>()
  readonly secret: string
  constructor (secret: string) {
    this.secret = secret
  }

  async code (): Promise<string> {
    for (;;) {
      const now = Date.now() / 1000
      const step = Math.floor(now / 30)
      const left = (step + 1) * 30 - now
      for (const candidate of [step, step + 1, ...(left > 5 ? [step - 1] : [])]) {
        const code = generateSync({ secret: this.secret, epoch: candidate * 30 })
        if (!this.used.has(code)) {
          this.used.add(code)
          return code
        }
      }
      await new Promise((resolve) => setTimeout(resolve, left * 1000 + 250))
    }
  }
}

/** Turns on an authenticator app from the account page (the password, then its first code): the app, for the codes that follow. */
export async function setUpAuthenticator (page: Page, password = PASSWORD): Promise<Authenticator> {
  await page.fill('#setup-totp-password', password)
  await page.click('#setup-totp button')
  await until(page, '#verify-totp')
  const authenticator = new Authenticator(await page.textContent('#totp-secret') ?? '')
  await page.fill('#verify-totp-code', await authenticator.code())
  await page.click('#verify-totp button')
  await until(page, '#disable-totp')
  return authenticator
}

/**
 * One journey of a file: skipped, and said so, without Chromium; else run with the file's one
 * browser, launched for it and closed after it.
 */
export function browserJourney (name: string, journey: (t: Test, browser: Browser) => Promise<void>): void {
  if (!existsSync(CHROMIUM)) {
    console.log(`# SKIP SPA browser test: ${NO_CHROMIUM}`)
    tap.plan(0, NO_CHROMIUM)
    return
  }
  tap.test(`in Chromium: ${name}`, { timeout: 240_000 }, async (t) => await journey(t, await launch(t)))
}
