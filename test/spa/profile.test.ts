// The example SPA in Chromium: the profile and leaving. A name; an email change verified with the
// code sent to the new address (a new code on the way); every signed-in field emptied by a
// sign-out; the account deleted. And the page for everyone: usable with the keyboard alone (every
// field labelled, the focus where the step is), at 360 px wide with nothing cut off, in dark mode.
//
// Without /usr/bin/chromium (CHROMIUM_PATH to use another) the file says so and skips.
import { checkWording, browserJourney, filledFields, focused, mailbox, newEmail, openSpa, PASSWORD, registered, screenshot, SESSION_COOKIES, signInOutcome, signInToAccount, signOut, spaServer, until } from './helpers.ts'

// The page's globals used by the functions that run in it (this project compiles without the DOM library).
interface Field { id: string, type: string, labels: ArrayLike<unknown> | null, getAttribute: (name: string) => string | null, closest: (selector: string) => unknown }
declare const document: { querySelectorAll: (selector: string) => ArrayLike<Field>, documentElement: { scrollWidth: number, clientWidth: number } }
declare const getComputedStyle: (element: unknown) => { backgroundColor: string }

browserJourney('the profile, an email change, deleting the account; keyboard, 360 px, dark', async (t, browser) => {
  const { app, origin, url } = await spaServer(t)
  const email = await registered(app, origin, 'spa-profile')
  const { context, page, problems } = await openSpa(t, browser, url)

  // The keyboard alone: the email, Enter; the password, Enter.
  t.equal(await focused(page), '#sign-in-title', 'the page starts at its heading')
  await page.keyboard.press('Tab')
  t.equal(await focused(page), '#sign-in-email-input', 'Tab: the email')
  await page.keyboard.type(email)
  await page.keyboard.press('Enter')
  await until(page, '#sign-in-password')
  t.equal(await focused(page), '#sign-in-password-input', 'the focus is on the password')
  await page.keyboard.type(PASSWORD)
  await page.keyboard.press('Enter')
  await until(page, '#profile-summary', { text: email })
  const unlabelled = await page.evaluate(() => Array.from(document.querySelectorAll('input, select, textarea'))
    .filter((field) => field.type !== 'hidden' && (field.labels?.length ?? 0) === 0 && field.getAttribute('aria-label') === null)
    .map((field) => field.id))
  t.same(unlabelled, [], 'every field of the page has a label')

  // The name.
  await page.fill('#profile-name-input', 'Ada Byron')
  await page.click('#profile-name button')
  await until(page, '#notice', { text: 'Name saved' })
  t.match(await page.textContent('#profile-summary'), /Name\s*Ada Byron/, 'the profile shows the new name')
  t.equal(await page.inputValue('#profile-name-input'), '', 'the form emptied itself')

  // The email: a code to the new address, a new one, verified; the old address stays until then.
  const moved = newEmail('spa-moved')
  await page.fill('#change-email-input', moved)
  await page.fill('#change-email-password', PASSWORD)
  await page.click('#change-email button')
  await until(page, '#verify-email', { text: moved })
  t.equal(await focused(page), '#verify-email-code', 'the focus moves to the code')
  t.match(await page.textContent('#profile-summary'), email, 'the old address stays the sign-in email until the new one is verified')
  t.same(await filledFields(page), [], 'the change-email form emptied itself: no password stays in the page')
  await page.click('#resend-email-code')
  await until(page, '#notice', { text: 'A new code was sent to' })
  t.equal((await mailbox(app, moved)).length, 2, 'a second code went to the new address')
  await page.click('#verify-email [data-mailbox]')
  await page.waitForFunction(() => /^\d{6}$/.test((globalThis as unknown as { document: { querySelector: (s: string) => { value: string } } }).document.querySelector('#verify-email-code').value))
  await page.click('#verify-email button.primary')
  await until(page, '#notice', { text: 'Email verified' })
  await until(page, '#verify-email', { hidden: true })
  t.match(await page.textContent('#profile-summary'), new RegExp(`${moved.replace(/\./g, '\\.')}\\s*Verified`), 'the new address, verified')
  t.equal(await signInOutcome(origin, email, PASSWORD), 'INVALID_CREDENTIALS', 'the old address signs in no more')

  // 360 px wide: nothing wider than the screen; light and dark.
  await page.setViewportSize({ width: 360, height: 800 })
  t.equal(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), true, 'at 360 px nothing scrolls sideways')
  await screenshot(t, page, 'account-360px')
  const light = await page.evaluate(() => getComputedStyle((globalThis as unknown as { document: { body: unknown } }).document.body).backgroundColor)
  await page.emulateMedia({ colorScheme: 'dark' })
  const dark = await page.evaluate(() => getComputedStyle((globalThis as unknown as { document: { body: unknown } }).document.body).backgroundColor)
  t.not(dark, light, `dark mode has its own colours (${light} → ${dark})`)
  await screenshot(t, page, 'account-360px-dark')
  await page.emulateMedia({ colorScheme: 'light' })
  await page.setViewportSize({ width: 900, height: 1000 })

  // Typed but not sent, then signed out: every field empties.
  for (const selector of ['#profile-name-input', '#change-email-input', '#change-email-password', '#change-password-current', '#change-password-new', '#setup-totp-password', '#delete-password']) {
    await page.fill(selector, selector.includes('email-input') ? 'left@example.com' : 'left-behind')
  }
  await page.check('#delete-account [name=sure]')
  t.equal((await filledFields(page)).length, 8, 'the signed-in forms hold what was typed')
  await signOut(page)
  t.same(await filledFields(page), [], 'after the sign-out every field is empty')

  // Delete the account: the password and a ticked box; every session ends.
  await signInToAccount(page, moved)
  t.match(await page.textContent('#profile-summary'), 'Ada Byron', 'the new address signs in to the same account')
  await page.fill('#delete-password', PASSWORD)
  await page.check('#delete-account [name=sure]')
  await page.click('#delete-account button')
  await until(page, '#notice', { text: 'Your account is deleted' })
  await until(page, '#page-sign-in')
  t.same((await context.cookies(origin)).filter((cookie) => SESSION_COOKIES.includes(cookie.name)), [], 'no session cookie is left')
  t.same(await filledFields(page), [], 'and no field holds anything')
  t.equal(await signInOutcome(origin, moved, PASSWORD), 'INVALID_CREDENTIALS', 'the account is gone')
  await checkWording(t, page, 'the sign-in page after the deletion')
  t.same(problems, [], 'no script error and no console error')
})
