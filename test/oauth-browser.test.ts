// Federated sign-in in a real browser (Debian's Chromium, driven by playwright-core), against the
// real server listening on a port with the embedded emulator's managed login and DevIdP: the
// SPA's "Sign in with DevIdP" button, DevIdP's page, back on the SPA signed in; the cookies as
// Chromium keeps them; signing out; a failed sign-in shown by the SPA; signing out of the managed
// login too. The SPA sends its operations by hash only (PERSISTED_OPERATIONS=only).
//
// Without /usr/bin/chromium (CHROMIUM_PATH to use another) the file says so and skips.
import { existsSync, readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import t, { type Test } from 'tap'
import type { AuditEvent } from '../src/plugins/app/audit.ts'
import { build, newEmail } from './helper.ts'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']
const MANIFEST = fileURLToPath(new URL('../schema/persisted-operations.json', import.meta.url))
const SESSION_COOKIES = ['__Host-access', '__Host-id', '__Host-refresh']
const WAIT_MS = 20_000

// The page's globals used by the functions that run in it (this project compiles without the DOM library).
declare const document: { querySelector: (selector: string) => { hidden: boolean, textContent: string | null, dataset: Record<string, string | undefined> } | null, cookie: string }

/** Waits until the SPA shows `shown` (and, with `text`, `#me` includes it); fails at once with the SPA's error. */
async function until (page: Page, shown: string, text?: string): Promise<void> {
  await page.waitForFunction(({ shown, text }) => {
    const error = document.querySelector('#error')
    if (error !== null && !error.hidden) return true
    const element = document.querySelector(shown)
    return element !== null && !element.hidden && (text === undefined || (document.querySelector('#me')?.textContent ?? '').includes(text))
  }, { shown, text }, { timeout: WAIT_MS })
  const error = await page.evaluate(() => { const e = document.querySelector('#error'); return e === null || e.hidden ? null : e.textContent })
  if (error !== null) throw new Error(`the SPA shows an error: ${error}`)
}

/** Clicks the SPA's "Sign in with DevIdP" and signs in on DevIdP's page; back on the SPA, signed in. */
async function signInWithDevIdp (page: Page, email: string, name: string): Promise<void> {
  await until(page, '#sign-in-providers')
  await page.click('#provider-links a[data-provider=DevIdP]')
  await page.waitForSelector('input[name=email]', { timeout: WAIT_MS })
  await page.fill('input[name=email]', email)
  await page.fill('input[name=name]', name)
  await page.click('button[value=sign-in]')
  await until(page, '#signed-in', email)
}

async function sessionCookiesOf (context: BrowserContext, api: string) {
  return (await context.cookies(api)).filter((cookie) => SESSION_COOKIES.includes(cookie.name))
}

/** The hash of the SPA's operation `name`, from the manifest. */
function hashOf (name: string): string {
  const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>
  const found = Object.entries(manifest).find(([, document]) => new RegExp(`\\b(?:query|mutation) ${name}\\b`).test(document))
  if (found === undefined) throw new Error(`the manifest has no operation ${name}`)
  return found[0]
}

/** The cookies of Chromium's jar as a Cookie header, for replaying them from Node. */
async function cookieHeader (context: BrowserContext, api: string): Promise<string> {
  return (await context.cookies(api)).map((cookie) => `${cookie.name}=${cookie.value}`).join('; ')
}

if (!existsSync(CHROMIUM)) {
  const reason = `no Chromium at ${CHROMIUM} (Debian: apt-get install chromium; or set CHROMIUM_PATH)`
  console.log(`# SKIP browser tests: ${reason}`)
  t.plan(0, reason)
} else {
  t.test('federated sign-in in Chromium: the SPA\'s button, DevIdP, back signed in; sign-out', { timeout: 300_000 }, async (t: Test) => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
    t.teardown(() => browser.close())
    const events: AuditEvent[] = []
    // PORT=0: the public origin (the callback URL) takes the port the server listens on.
    const app = await build(t, { env: { PORT: '0', PERSISTED_OPERATIONS: 'only', PERSISTED_OPERATIONS_MANIFEST: MANIFEST }, onAuditEvent: (e) => events.push(e) })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const api = `http://localhost:${(app.server.address() as AddressInfo).port}`

    const context = await browser.newContext()
    t.teardown(() => context.close())
    const page = await context.newPage()
    const problems: string[] = []
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
    await page.goto(`${api}/spa/`)
    await until(page, '#signed-out')
    t.equal(await page.getAttribute('#provider-links a[data-provider=DevIdP]', 'href'), `${api}/auth/oauth/DevIdP?redirect=%2Fspa%2F`, 'one link per provider, back to the SPA')
    t.equal(await page.textContent('#provider-links a'), 'Sign in with DevIdP')

    const email = newEmail('chromium')
    await signInWithDevIdp(page, email, 'Grace Federated')
    t.equal(page.url(), `${api}/spa/`, 'back on the SPA')
    t.match(await page.textContent('#me'), 'Grace Federated', 'me: the name typed at DevIdP')
    const cookies = await sessionCookiesOf(context, api)
    t.same(cookies.map((c) => c.name).sort(), SESSION_COOKIES, 'the session cookies')
    for (const cookie of cookies) t.match(cookie, { httpOnly: true, secure: true, sameSite: 'Strict', path: '/', domain: 'localhost' }, `${cookie.name}: HttpOnly, Secure, Strict, host-only`)
    t.notOk((await context.cookies(api)).some((c) => c.name === '__Host-oauth-state'), 'the state cookie is spent')
    t.equal(await page.evaluate(() => document.cookie), '', 'document.cookie is empty')
    t.match(events.find((e) => e.event === 'federated-sign-in'), { outcome: 'success', provider: 'DevIdP', email })

    // signOut, then the old cookies replayed: no session.
    const old = await cookieHeader(context, api)
    await page.click('#sign-out button:not([type=button])')
    await until(page, '#signed-out')
    t.same(await sessionCookiesOf(context, api), [], 'signOut cleared the session cookies')
    const replayed = await app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', cookie: old }, payload: { extensions: { persistedQuery: { version: 1, sha256Hash: hashOf('Me') } } } })
    t.same(replayed.json().data?.me, null, 'the old cookies replayed (the SPA\'s own Me): me is null')

    // Signing in again: the managed login remembers the user (no DevIdP page); then signing out of it too.
    await page.click('#provider-links a[data-provider=DevIdP]')
    await until(page, '#signed-in', email)
    t.pass('a second sign-in goes straight through the managed login\'s session')
    await page.click('#provider-sign-out-link')
    await until(page, '#signed-out')
    t.equal(page.url(), `${api}/spa/`, 'back on the SPA after the managed login\'s /logout')
    t.same(await sessionCookiesOf(context, api), [], 'signed out here')
    await page.click('#provider-links a[data-provider=DevIdP]')
    await page.waitForSelector('input[name=email]', { timeout: WAIT_MS })
    t.pass('the managed login forgot the user: DevIdP asks again')

    // A failed sign-in comes back with ?error=: the SPA shows it, and takes it out of the address.
    await page.goto(`${api}/auth/oauth/NoSuchProvider?redirect=/spa/`)
    await page.waitForFunction(() => document.querySelector('#error')?.hidden === false, undefined, { timeout: WAIT_MS })
    t.equal(await page.evaluate(() => document.querySelector('#error')?.dataset.code), 'UNKNOWN_PROVIDER')
    t.equal(page.url(), `${api}/spa/`, 'the reason is taken out of the address')
    t.same(problems, [], 'no script error on the way')
  })
}
