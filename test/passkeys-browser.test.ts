// Passkeys in a real browser: Debian's Chromium driven by playwright-core, with a virtual
// authenticator (CDP WebAuthn: ctap2, internal, resident keys, user verification) on
// http://localhost:<port>/spa/, against the server and its embedded emulator (relying party
// `localhost`). The journey: sign up and confirm with the emailed code, sign in with an emailed
// code, add a passkey from the SPA, sign out, sign in with the passkey and see `me`; remove the
// passkey and find that it no longer signs in. The SPA sends its operations by hash only
// (PERSISTED_OPERATIONS=only), so its new operations are in the committed manifest too.
//
// Without /usr/bin/chromium (CHROMIUM_PATH to use another) the file says so and skips.
import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { chromium, type Page } from 'playwright-core'
import t from 'tap'
import { RELAXED_LIMITS } from './challenge-helpers.ts'
import { build, newEmail, PASSWORD } from './helper.ts'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']
const MANIFEST = fileURLToPath(new URL('../schema/persisted-operations.json', import.meta.url))
const WAIT_MS = 20_000

// The page's globals used by the functions that run in it (this project compiles without the DOM library).
interface Element { hidden: boolean, textContent: string | null, dataset: Record<string, string | undefined> }
declare const document: { querySelector: (selector: string) => Element | null, querySelectorAll: (selector: string) => ArrayLike<Element> }

/** Waits until `selector` is shown (and holds `text`); fails at once with the error the SPA shows. */
async function until (page: Page, selector: string, text = ''): Promise<void> {
  await page.waitForFunction(({ selector, text }) => {
    const error = document.querySelector('#error') as Element
    const element = document.querySelector(selector) as Element
    return !error.hidden || (!element.hidden && (element.textContent ?? '').includes(text))
  }, { selector, text }, { timeout: WAIT_MS })
  const error = await page.evaluate(() => { const e = document.querySelector('#error') as Element; return e.hidden ? null : e.textContent })
  if (error !== null) throw new Error(`the SPA shows an error: ${error}`)
}

/** Waits for the SPA's error, and gives its code. */
async function errorCode (page: Page): Promise<string | undefined> {
  await page.waitForFunction(() => !(document.querySelector('#error') as Element).hidden, undefined, { timeout: WAIT_MS })
  return await page.evaluate(() => (document.querySelector('#error') as Element).dataset.code)
}

const passkeysShown = async (page: Page): Promise<number> => await page.evaluate(() => document.querySelectorAll('#passkeys-list li').length)

if (!existsSync(CHROMIUM)) {
  const reason = `no Chromium at ${CHROMIUM} (Debian: apt-get install chromium; or set CHROMIUM_PATH)`
  console.log(`# SKIP passkey browser test: ${reason}`)
  t.plan(0, reason)
} else {
  t.test('a passkey added in the SPA signs in, and once removed no longer does', { timeout: 240_000 }, async (t) => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
    t.teardown(() => browser.close())
    const env = { ...RELAXED_LIMITS, PERSISTED_OPERATIONS: 'only', PERSISTED_OPERATIONS_MANIFEST: MANIFEST }
    const app = await build(t, { env })
    await app.listen({ port: 0, host: '127.0.0.1' })
    // localhost, not 127.0.0.1: an IP address cannot be a relying party.
    const origin = `http://localhost:${(app.server.address() as AddressInfo).port}`

    const context = await browser.newContext()
    t.teardown(() => context.close())
    const page = await context.newPage()
    const problems: string[] = []
    page.on('pageerror', (err) => problems.push(err.message))
    const cdp = await context.newCDPSession(page)
    await cdp.send('WebAuthn.enable', { enableUI: false })
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true }
    })

    await page.goto(`${origin}/spa/`)
    await until(page, '#signed-out')
    const email = newEmail('passkey')

    // Sign up, and confirm with the code the dev mailbox holds.
    await page.fill('#sign-up [name=email]', email)
    await page.fill('#sign-up [name=password]', PASSWORD)
    await page.click('#sign-up button:not([type=button])')
    await until(page, '#notice')
    await page.fill('#confirm [name=email]', email)
    await page.click('#confirm [data-mailbox]')
    await page.waitForFunction(() => (document.querySelector('#confirm [name=code]') as unknown as { value: string }).value !== '', undefined, { timeout: WAIT_MS })
    await page.click('#confirm button:not([type=button])')
    await until(page, '#notice')

    // Sign in with an emailed code: the challenge form, its code from the mailbox.
    await page.fill('#sign-in [name=email]', email)
    await page.click('#sign-in-email-code')
    await until(page, '#challenge', 'EMAIL_OTP')
    await page.click('#challenge-form [data-mailbox]')
    await page.waitForFunction(() => (document.querySelector('#challenge-form [name=code]') as unknown as { value: string }).value !== '', undefined, { timeout: WAIT_MS })
    await page.click('#challenge-form button:not([type=button])')
    await until(page, '#signed-in', email)

    // Add a passkey: a session of an emailed code needs the password for it; then the virtual
    // authenticator makes it, and the list shows it.
    await page.click('#add-passkey')
    t.equal(await errorCode(page), 'REAUTHENTICATION_REQUIRED', 'an emailed code alone adds no passkey')
    await page.fill('#passkeys [name=currentPassword]', PASSWORD)
    await page.click('#add-passkey')
    await until(page, '#notice', 'Passkey added')
    await page.waitForFunction(() => document.querySelectorAll('#passkeys-list li').length === 1, undefined, { timeout: WAIT_MS })
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId })
    t.equal(credentials.length, 1, 'the authenticator holds one credential')
    t.equal(credentials[0]?.rpId, 'localhost', 'for the relying party localhost')
    t.equal(credentials[0]?.isResidentCredential, true, 'a discoverable credential (a passkey)')
    const registeredCount = credentials[0]?.signCount ?? 0

    // Sign out; sign in with the passkey (no password), and `me` is the user.
    await page.click('#sign-out button:not([type=button])')
    await until(page, '#signed-out')
    await page.fill('#sign-in [name=email]', email)
    const passkeyStarted = performance.now()
    await page.click('#sign-in-passkey')
    await until(page, '#signed-in', email)
    const passkeyMs = performance.now() - passkeyStarted
    t.match(await page.textContent('#me'), email, 'me: the user, signed in with the passkey')
    t.equal((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials[0]?.signCount, registeredCount + 1, 'the authenticator signed once more')

    // The same browser, with the password, for comparison (the sign-in's time as a user sees it).
    await page.click('#sign-out button:not([type=button])')
    await until(page, '#signed-out')
    await page.fill('#sign-in [name=email]', email)
    await page.fill('#sign-in [name=password]', PASSWORD)
    const passwordStarted = performance.now()
    await page.click('#sign-in button:not([type=button])')
    await until(page, '#signed-in', email)
    t.comment(`sign-in as the user sees it: passkey ${passkeyMs.toFixed(0)} ms, password ${(performance.now() - passwordStarted).toFixed(0)} ms`)

    // Remove the passkey: gone from the list, and it no longer signs in.
    await page.waitForFunction(() => document.querySelectorAll('#passkeys-list li').length === 1, undefined, { timeout: WAIT_MS })
    await page.click('#passkeys-list li button')
    await until(page, '#notice', 'Passkey removed')
    t.equal(await passkeysShown(page), 0, 'the list is empty')
    await page.click('#sign-out button:not([type=button])')
    await until(page, '#signed-out')
    await page.fill('#sign-in [name=email]', email)
    await page.click('#sign-in-passkey')
    t.equal(await errorCode(page), 'INVALID_CREDENTIALS', 'the removed passkey is refused')
    await page.waitForFunction(() => !(document.querySelector('#signed-out') as Element).hidden, undefined, { timeout: WAIT_MS })
    t.equal((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials.length, 1, 'although the authenticator still holds it')
    t.same(problems, [], 'no script error in the page')
  })
}
