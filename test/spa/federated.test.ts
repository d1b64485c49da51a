// The example SPA in Chromium: federated sign-in with the embedded emulator's DevIdP. The sign-in
// page's "Continue with DevIdP", DevIdP's page, back on the account page signed in; an account
// made through a provider is offered no password action (no password, no second step, no email
// change, no deletion with a password), and Cognito's internal provider group never shows; the
// session cookies; sign-out, and the old cookies replayed get no session; signing out of the
// managed login too; a failed sign-in's `?error=` said in words and taken out of the address.
//
// Without /usr/bin/chromium (CHROMIUM_PATH to use another) the file says so and skips.
import type { BrowserContext, Page } from 'playwright-core'
import { createAuthClient } from '../../src/client/index.ts'
import type { AuditEvent } from '../../src/plugins/app/audit.ts'
import { checkWording, browserJourney, newEmail, openSpa, screenshot, SESSION_COOKIES, spaServer, until, untilError, WAIT_MS } from './helpers.ts'

declare const document: { cookie: string }

/** Clicks "Continue with DevIdP" and signs in on DevIdP's page; back on the account page. */
async function signInWithDevIdp (page: Page, email: string, name: string): Promise<void> {
  await until(page, '#sign-in-providers')
  await page.click('#provider-links a[data-provider=DevIdP]')
  await page.waitForSelector('input[name=email]', { timeout: WAIT_MS })
  await page.fill('input[name=email]', email)
  await page.fill('input[name=name]', name)
  await page.click('button[value=sign-in]')
  await until(page, '#profile-summary', { text: email })
}

async function sessionCookiesOf (context: BrowserContext, api: string) {
  return (await context.cookies(api)).filter((cookie) => SESSION_COOKIES.includes(cookie.name))
}

browserJourney('a DevIdP user is signed in, offered no password action, shown no internal group', async (t, browser) => {
  const events: AuditEvent[] = []
  // PORT=0: the public origin (the callback URL) takes the port the server listens on.
  const { origin, url } = await spaServer(t, { env: { PORT: '0' }, onAuditEvent: (event) => events.push(event) })
  const { context, page, problems } = await openSpa(t, browser, url)
  await until(page, '#page-sign-in')
  t.equal(await page.getAttribute('#provider-links a[data-provider=DevIdP]', 'href'), `${origin}/auth/oauth/DevIdP?redirect=%2Fspa%2F`, 'one link per provider, back to the SPA')
  t.equal(await page.textContent('#provider-links a'), 'Continue with DevIdP')

  const email = newEmail('spa-devidp')
  await signInWithDevIdp(page, email, 'Grace Federated')
  t.match(page.url(), `${origin}/spa/`, 'back on the SPA')
  t.match(await page.textContent('#profile-summary'), 'Grace Federated', 'the name typed at DevIdP')
  t.match(await page.textContent('#profile-summary'), /Signed up with\s*DevIdP/, 'the provider, in words')

  // No password action: the password, the second step, the email change and the deletion need one.
  for (const selector of ['#password-block', '#two-step', '#change-email', '#delete-account']) {
    t.ok(await page.isHidden(selector), `no ${selector}`)
  }
  t.equal(await page.locator('#page-account input[type=password]:visible').count(), 0, 'no password field anywhere on the account page')
  t.match(await page.textContent('#provider-account'), 'You sign in with DevIdP', 'it says where the password is managed')
  t.ok(await page.isVisible('#passkeys'), 'passkeys are offered: they need no password')
  t.ok(await page.isVisible('#provider-sign-out'), 'signing out of DevIdP too is offered')
  await until(page, '#activity-list li[data-type=federated-sign-in]')
  t.match(await page.textContent('#activity-list li[data-type=federated-sign-in]'), 'Signed in through another service with DevIdP', 'the activity, in words')
  await checkWording(t, page, 'a DevIdP user\'s account page')
  await screenshot(t, page, 'account-devidp')

  const cookies = await sessionCookiesOf(context, origin)
  t.same(cookies.map((c) => c.name).sort(), SESSION_COOKIES, 'the session cookies')
  for (const cookie of cookies) t.match(cookie, { httpOnly: true, secure: true, sameSite: 'Strict', path: '/', domain: 'localhost' }, `${cookie.name}: HttpOnly, Secure, Strict, host-only`)
  t.notOk((await context.cookies(origin)).some((c) => c.name === '__Host-oauth-state'), 'the state cookie is spent')
  t.equal(await page.evaluate(() => document.cookie), '', 'document.cookie is empty')
  t.match(events.find((e) => e.event === 'federated-sign-in'), { outcome: 'success', provider: 'DevIdP', email })

  // Sign out, then the old cookies replayed (by the client, from Node): no session.
  const old = (await context.cookies(origin)).map((cookie) => `${cookie.name}=${cookie.value}`).join('; ')
  await page.click('#sign-out button')
  await until(page, '#page-sign-in')
  t.same(await sessionCookiesOf(context, origin), [], 'signOut cleared the session cookies')
  const replay = createAuthClient({ url: `${origin}/graphql`, fetch: async (target, init) => await fetch(target, { ...init, headers: { ...init.headers, cookie: old } }) })
  t.equal(await replay.me(), null, 'the old cookies replayed: me is null')

  // Again: the managed login remembers the user (no DevIdP page); then signing out of it too.
  await page.click('#provider-links a[data-provider=DevIdP]')
  await until(page, '#profile-summary', { text: email })
  t.pass('a second sign-in goes straight through the managed login\'s session')
  await page.click('#provider-sign-out')
  await until(page, '#page-sign-in')
  t.match(page.url(), `${origin}/spa/`, 'back on the SPA after the managed login\'s /logout')
  t.same(await sessionCookiesOf(context, origin), [], 'signed out here')
  await page.click('#provider-links a[data-provider=DevIdP]')
  await page.waitForSelector('input[name=email]', { timeout: WAIT_MS })
  t.pass('the managed login forgot the user: DevIdP asks again')

  // A failed sign-in comes back with ?error=: said in words, and taken out of the address.
  await page.goto(`${origin}/auth/oauth/NoSuchProvider?redirect=/spa/`)
  t.same(await untilError(page), { code: 'UNKNOWN_PROVIDER', sentence: 'That way of signing in is not offered here.' }, 'the reason in words')
  t.match(page.url(), new RegExp(`^${origin}/spa/(#sign-in)?$`), 'the reason is taken out of the address')
  await checkWording(t, page, 'the sign-in page after a failed federated sign-in')
  t.same(problems, [], 'no script error on the way')
})
