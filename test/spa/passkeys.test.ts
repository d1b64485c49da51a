// The example SPA in Chromium: passkeys, with a virtual authenticator (CDP WebAuthn: ctap2,
// internal, resident keys, user verification) on http://localhost:<port>/spa/ (relying party
// `localhost`). Add a passkey from the account page; sign out; sign in with it from the sign-in
// page (no password, no second step); remove it and find it refused, said in words; and a browser
// without WebAuthn told so in words.
//
// Without /usr/bin/chromium (CHROMIUM_PATH to use another) the file says so and skips.
import { performance } from 'node:perf_hooks'
import type { Page } from 'playwright-core'
import { checkWording, browserJourney, openSpa, registered, screenshot, signInToAccount, signOut, spaServer, until, untilError } from './helpers.ts'

/** Email, Continue, "Sign in with a passkey". */
async function passkeySignIn (page: Page, email: string): Promise<void> {
  await page.fill('#sign-in-email-input', email)
  await page.click('#sign-in-email button')
  await until(page, '#sign-in-other-methods')
  await page.click('#sign-in-other-methods button[data-method=PASSKEY]')
}

browserJourney('a passkey added in the account page signs in, and once removed no longer does', async (t, browser) => {
  const { app, origin, url } = await spaServer(t)
  const email = await registered(app, origin, 'spa-passkey')
  const { context, page, problems } = await openSpa(t, browser, url)
  const cdp = await context.newCDPSession(page)
  await cdp.send('WebAuthn.enable', { enableUI: false })
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true }
  })

  // Add a passkey: the virtual authenticator makes it, the list shows it.
  await signInToAccount(page, email)
  await page.click('#add-passkey')
  await until(page, '#notice', { text: 'Passkey added' })
  await until(page, '#passkeys-list li')
  t.equal(await page.locator('#passkeys-list li').count(), 1, 'the list shows the passkey')
  t.match(await page.getAttribute('#passkeys-list li button', 'aria-label'), /^Remove the passkey/, 'its button says what it removes')
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId })
  t.equal(credentials.length, 1, 'the authenticator holds one credential')
  t.equal(credentials[0]?.rpId, 'localhost', 'for the relying party localhost')
  t.equal(credentials[0]?.isResidentCredential, true, 'a discoverable credential (a passkey)')
  const registeredCount = credentials[0]?.signCount ?? 0
  await checkWording(t, page, 'the account page with a passkey')
  await screenshot(t, page.locator('#security'), 'passkeys')

  // Sign out; sign in with the passkey: no password, and the account page.
  await signOut(page)
  const passkeyStarted = performance.now()
  await passkeySignIn(page, email)
  await until(page, '#profile-summary', { text: email })
  const passkeyMs = performance.now() - passkeyStarted
  t.pass('signed in with the passkey')
  t.equal((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials[0]?.signCount, registeredCount + 1, 'the authenticator signed once more')
  await until(page, '#activity-list li[data-type=sign-in]')
  t.match(await page.textContent('#activity-list li[data-type=sign-in]'), 'Signed in with a passkey', 'the activity says how')

  // The same browser with the password, for comparison (the sign-in's time as a user sees it).
  await signOut(page)
  const passwordStarted = performance.now()
  await signInToAccount(page, email)
  t.comment(`sign-in as the user sees it, from the sign-in page's email step: passkey ${passkeyMs.toFixed(0)} ms, password ${(performance.now() - passwordStarted).toFixed(0)} ms`)

  // Remove the passkey: gone from the list, and it no longer signs in.
  await until(page, '#passkeys-list li')
  await page.click('#passkeys-list li button')
  await until(page, '#notice', { text: 'Passkey removed' })
  t.equal(await page.locator('#passkeys-list li').count(), 0, 'the list is empty')
  t.ok(await page.isVisible('#passkeys-empty'), '"No passkey yet."')
  await signOut(page)
  await passkeySignIn(page, email)
  t.same(await untilError(page), { code: 'INVALID_CREDENTIALS', sentence: 'The email, the password, the passkey or the answer is not right.' }, 'the removed passkey is refused')
  await page.waitForSelector('#page-sign-in', { state: 'visible' })
  t.equal((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials.length, 1, 'although the authenticator still holds it')
  await screenshot(t, page, 'sign-in-passkey-refused')
  t.same(problems, [], 'no script error in the page')

  // A browser without WebAuthn: told in words, before any dialog.
  const old = await openSpa(t, browser, url)
  await old.context.addInitScript(() => { delete (globalThis as Record<string, unknown>).PublicKeyCredential })
  await old.page.reload()
  await until(old.page, '#page-sign-in')
  await passkeySignIn(old.page, email)
  t.same(await untilError(old.page), { code: 'PASSKEY_UNSUPPORTED', sentence: 'This browser cannot use passkeys: please choose another way.' }, 'no WebAuthn: said in words')
  await checkWording(t, old.page, 'the sign-in page without WebAuthn')
})
