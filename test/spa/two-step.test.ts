// The example SPA in Chromium: two-step verification. An authenticator app set up from its QR
// code (the code drawn is the otpauth URI's), then the sign-in asks for its code under a human
// title, never the challenge's enum name; a password change signs in again through the same step;
// the app turned off; emailed codes as the second step; and a sign-in with an emailed code alone.
//
// Without /usr/bin/chromium (CHROMIUM_PATH to use another) the file says so and skips.
import qrcode from 'qrcode-generator'
import { Authenticator, checkWording, browserJourney, focused, mailbox, openSpa, PASSWORD, registered, screenshot, signIn, signInOutcome, signInToAccount, signOut, spaServer, until } from './helpers.ts'

const NEW_PASSWORD = 'Battery-Staple-42'

/** The modules of the QR code of `text` (`column,row` of each dark one), as qrcode-generator makes it. */
function qrModules (text: string): string[] {
  const qr = qrcode(0, 'M')
  qr.addData(text)
  qr.make()
  const dark: string[] = []
  for (let row = 0; row < qr.getModuleCount(); row++) {
    for (let column = 0; column < qr.getModuleCount(); column++) if (qr.isDark(row, column)) dark.push(`${column},${row}`)
  }
  return dark.sort()
}

browserJourney('an authenticator app, its sign-in step in words, a password change; emailed codes', async (t, browser) => {
  const { app, origin, url } = await spaServer(t)
  const email = await registered(app, origin, 'spa-two-step')
  const { page, problems } = await openSpa(t, browser, url)
  await signInToAccount(page, email)
  t.match(await page.textContent('#two-step'), 'Passkeys do not ask for it', 'the note: passkeys skip the second step')
  t.match(await page.textContent('#two-step-status'), /^Off/, 'two-step verification is off')

  // Set up an authenticator: the password, then the QR code and the key, then a first code.
  await page.fill('#setup-totp-password', PASSWORD)
  await page.click('#setup-totp button')
  await until(page, '#verify-totp')
  t.equal(await focused(page), '#verify-totp-code', 'the focus moves to the code')
  const secret = await page.textContent('#totp-secret') ?? ''
  t.match(secret, /^[A-Z2-7]{16,}$/, 'the page shows the key, base32')
  const box = await page.locator('#totp-qr svg').boundingBox()
  t.ok(box !== null && box.width >= 100 && box.height === box.width, `the QR code is drawn, square (${box?.width}×${box?.height} px)`)
  const drawn = (await page.getAttribute('#totp-qr svg path', 'd') ?? '').match(/M\d+,\d+/g)?.map((move) => move.slice(1)).sort()
  const drawnUri = await page.getAttribute('#totp-link', 'href') ?? ''
  t.match(drawnUri, /^otpauth:\/\/totp\//, 'the otpauth URI is offered as a link')
  t.same(drawn, qrModules(drawnUri), 'the QR code\'s dark modules are those of that URI')
  t.match(drawnUri, `secret=${secret}`, 'which carries the key shown')
  t.match(await page.getAttribute('#totp-qr svg', 'aria-label'), 'QR code', 'an image with a label for screen readers')
  await screenshot(t, page.locator('#verify-totp'), 'totp-setup')
  const authenticator = new Authenticator(secret)
  await page.fill('#verify-totp-code', await authenticator.code())
  await page.click('#verify-totp button')
  await until(page, '#disable-totp')
  t.match(await page.textContent('#two-step-status'), 'On: Authenticator app', 'on, in words')
  t.equal(await page.locator('#totp-qr svg').count(), 0, 'the QR code is gone from the page')
  t.equal(await page.textContent('#totp-secret'), '', 'and the key')

  // Sign out, then in again: the authenticator's step, titled in words.
  await signOut(page)
  await signIn(page, email)
  await until(page, '#page-challenge')
  t.equal(await page.textContent('#challenge-title'), 'Enter the code from your authenticator app', 'a human title')
  t.equal(await focused(page), '#challenge-title', 'the focus on the step\'s title')
  await checkWording(t, page, 'the challenge page')
  await screenshot(t, page, 'challenge-authenticator')
  await page.fill('#challenge-code-input', await authenticator.code())
  await page.click('#challenge-form button.primary')
  await until(page, '#profile-summary', { text: email })

  // A password change ends every session and signs this one in again: the same step.
  await page.fill('#change-password-current', PASSWORD)
  await page.fill('#change-password-new', NEW_PASSWORD)
  await page.click('#change-password button')
  await until(page, '#page-challenge')
  t.equal(await page.textContent('#challenge-title'), 'Enter the code from your authenticator app', 'the password change asks for the code')
  await page.fill('#challenge-code-input', await authenticator.code())
  await page.click('#challenge-form button.primary')
  await until(page, '#page-account')
  t.equal(await signInOutcome(origin, email, PASSWORD), 'INVALID_CREDENTIALS', 'the old password is refused')
  t.equal(await signInOutcome(origin, email, NEW_PASSWORD), 'SOFTWARE_TOKEN_MFA', 'the new one goes on to the code')

  // The authenticator off; emailed codes on: the next sign-in asks for one.
  await page.fill('#disable-totp-password', NEW_PASSWORD)
  await page.click('#disable-totp button')
  await until(page, '#setup-totp')
  await page.fill('#enable-email-mfa-password', NEW_PASSWORD)
  await page.click('#enable-email-mfa button')
  await until(page, '#disable-email-mfa')
  t.match(await page.textContent('#two-step-status'), 'On: Email code', 'emailed codes on, in words')
  await signOut(page)
  await signIn(page, email, NEW_PASSWORD)
  await until(page, '#page-challenge')
  t.equal(await page.textContent('#challenge-title'), 'Enter the code we emailed you', 'the emailed code\'s step')
  t.match(await page.textContent('#challenge-help'), /It went to \S+@\S+/, 'with where it went, masked')
  await page.click('#challenge-form [data-mailbox]')
  await page.waitForFunction(() => /^\d{6,8}$/.test((globalThis as unknown as { document: { querySelector: (s: string) => { value: string } } }).document.querySelector('#challenge-code-input').value))
  await page.click('#challenge-form button.primary')
  await until(page, '#profile-summary', { text: email })
  await page.fill('#disable-email-mfa-password', NEW_PASSWORD)
  await page.click('#disable-email-mfa button')
  await until(page, '#enable-email-mfa')
  await signOut(page)

  // No second step: an emailed code alone signs in (the method chosen on the sign-in page).
  await page.fill('#sign-in-email-input', email)
  await page.click('#sign-in-email button')
  await until(page, '#sign-in-other-methods')
  const before = (await mailbox(app, email)).length
  await page.click('#sign-in-other-methods button[data-method=EMAIL_CODE]')
  await until(page, '#page-challenge')
  t.equal(await page.textContent('#challenge-title'), 'Enter the code we emailed you')
  t.equal((await mailbox(app, email)).length, before + 1, 'a code was emailed')
  await page.click('#challenge-form [data-mailbox]')
  await page.waitForFunction(() => /^\d{6,8}$/.test((globalThis as unknown as { document: { querySelector: (s: string) => { value: string } } }).document.querySelector('#challenge-code-input').value))
  await page.click('#challenge-form button.primary')
  await until(page, '#profile-summary', { text: email })
  t.pass('signed in with the emailed code')
  t.same(problems, [], 'no script error and no console error')
})
