// The example SPA in Chromium: a new user's journey. Sign up (a new confirmation code, the code
// from the development mailbox), sign in (email, then the password), the account page and the
// session cookies as Chromium keeps them, sign out with every form emptied; a forgotten password
// reset with the emailed code (a wrong one first, said in words); focus moving to each step.
//
// Without /usr/bin/chromium (CHROMIUM_PATH to use another) the file says so and skips.
import type { BrowserContext, Page } from 'playwright-core'
import type { Test } from 'tap'
import { checkWording, browserJourney, filledFields, focused, mailbox, openSpa, PASSWORD, screenshot, SESSION_COOKIES, signInOutcome, signInToAccount, signOut, spaServer, until, untilError, newEmail } from './helpers.ts'

const NEW_PASSWORD = 'Battery-Staple-42'

declare const document: { cookie: string }

/** The session cookies as Chromium stored them: HttpOnly, Secure, SameSite=Strict, host-only, Path=/; none readable by the page. */
async function checkCookies (t: Test, page: Page, context: BrowserContext, api: string): Promise<void> {
  const jar = new Map((await context.cookies(api)).map((cookie) => [cookie.name, cookie]))
  for (const name of SESSION_COOKIES) {
    t.match(jar.get(name), { httpOnly: true, secure: true, sameSite: 'Strict', path: '/', domain: 'localhost' }, `${name}: HttpOnly, Secure, SameSite=Strict, host-only, Path=/`)
  }
  t.equal(await page.evaluate(() => document.cookie), '', 'document.cookie is empty: no cookie of the server is readable by script')
}

browserJourney('sign up, confirm, sign in, sign out; a forgotten password reset', async (t, browser) => {
  const { app, origin, url } = await spaServer(t)
  const { context, page, problems } = await openSpa(t, browser, url)
  await until(page, '#page-sign-in')
  t.equal(await focused(page), '#sign-in-title', 'the sign-in page: the focus on its heading')
  await screenshot(t, page, 'sign-in')

  // Sign up, from the sign-in page's link.
  await page.click('a[href="#sign-up"]')
  await until(page, '#page-sign-up')
  t.equal(await focused(page), '#sign-up-title', 'the sign-up page: the focus on its heading')
  await screenshot(t, page, 'sign-up')
  const email = newEmail('spa-new')
  await page.fill('#sign-up-name', 'Ada Lovelace')
  await page.fill('#sign-up-email', email)
  await page.fill('#sign-up-password', PASSWORD)
  await page.click('#sign-up button.primary')
  await until(page, '#confirm-sign-up')
  t.equal(await focused(page), '#confirm-sign-up-title', 'the confirmation step: the focus on its heading')
  t.same(await filledFields(page), [], 'the sign-up form emptied itself: no password stays in the page')

  // A new code, then the newest one from the mailbox.
  await page.click('#resend-sign-up-code')
  await until(page, '#notice', { text: 'A new code was sent to' })
  const codes = await mailbox(app, email)
  t.equal(codes.length, 2, 'a second code was sent')
  await page.click('#confirm-sign-up [data-mailbox]')
  await page.waitForFunction((code) => (document as unknown as { querySelector: (s: string) => { value: string } }).querySelector('#confirm-sign-up-code').value === code, codes[0])
  await page.click('#confirm-sign-up button.primary')
  await until(page, '#notice', { text: 'Email confirmed' })
  await until(page, '#page-sign-in')
  t.equal(await page.inputValue('#sign-in-email-input'), email, 'the sign-in page has the email')

  // Sign in: email, then the pool's ways; the password.
  await page.click('#sign-in-email button')
  await until(page, '#sign-in-password')
  t.equal(await focused(page), '#sign-in-password-input', 'the focus moves to the password')
  const methods = await page.locator('#sign-in-other-methods button').allTextContents()
  t.same(methods, ['Email me a sign-in code', 'Text me a sign-in code', 'Sign in with a passkey'], 'the other ways the pool offers, in words')
  await page.fill('#sign-in-password-input', PASSWORD)
  await page.click('#sign-in-password button')
  await until(page, '#page-account')
  await until(page, '#profile-summary', { text: email })
  t.match(await page.textContent('#profile-summary'), 'Ada Lovelace', 'the name given at sign-up')
  t.match(await page.textContent('#profile-summary'), 'Verified', 'the email, verified')
  t.equal(await focused(page), '#account-title', 'the account page: the focus on its heading')
  await checkCookies(t, page, context, origin)
  await until(page, '#sessions-list li[data-current]')
  await until(page, '#activity-list li[data-type=sign-in]')
  await checkWording(t, page, 'the account page')
  await screenshot(t, page, 'account')

  // A reload keeps the session (the page asks `me`); sign out ends it.
  await page.reload()
  await until(page, '#profile-summary', { text: email })
  await signOut(page)
  t.same((await context.cookies(origin)).filter((cookie) => SESSION_COOKIES.includes(cookie.name)), [], 'signOut cleared the session cookies')
  t.same(await filledFields(page), [], 'after the sign-out every field of every form is empty')

  // Forgot the password: a reset code by email; a wrong code first, said in words.
  await page.click('a[href="#forgot-password"]').catch(async () => await page.goto(`${url}#forgot-password`))
  await until(page, '#page-forgot-password')
  await screenshot(t, page, 'forgot-password')
  await page.fill('#forgot-email', email)
  await page.click('#forgot-password button')
  await until(page, '#reset-password')
  t.equal(await focused(page), '#reset-code', 'the focus moves to the code')
  const [resetCode = ''] = await mailbox(app, email)
  await page.fill('#reset-code', resetCode === '000000' ? '111111' : '000000')
  await page.fill('#reset-new-password', NEW_PASSWORD)
  await page.click('#reset-password button.primary')
  t.same(await untilError(page), { code: 'CODE_MISMATCH', sentence: 'That code is not right: check it and try again.' }, 'a wrong code: told in a sentence, its code kept for programs')
  t.equal(await page.getAttribute('#error', 'role'), 'alert', 'errors are announced (role=alert)')
  await page.fill('#reset-code', resetCode)
  await page.fill('#reset-new-password', NEW_PASSWORD)
  await page.click('#reset-password button.primary')
  await until(page, '#notice', { text: 'Password reset' })
  await until(page, '#page-sign-in')
  t.equal(await signInOutcome(origin, email, PASSWORD), 'INVALID_CREDENTIALS', 'the old password is refused')
  t.equal(await page.inputValue('#sign-in-email-input'), email, 'the sign-in page has the email')
  await signInToAccount(page, email, NEW_PASSWORD)
  await signOut(page)
  t.same(problems, [], 'no script error and no console error (a CSP violation or a failed load would be one)')
})
