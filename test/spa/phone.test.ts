// The example SPA in Chromium: the Profile's phone number. Added with the current password, a code
// texted to it (and a new one on the way), verified; the section shows the number and its state,
// and empties itself at sign-out.
//
// Without /usr/bin/chromium (CHROMIUM_PATH to use another) the file says so and skips.
import { browserJourney, checkWording, filledFields, focused, mailbox, openSpa, PASSWORD, registered, signInToAccount, signOut, spaServer, until, untilError } from './helpers.ts'

browserJourney('the profile\'s phone number: added with the password, verified by the texted code', async (t, browser) => {
  const { app, origin, url } = await spaServer(t)
  const email = await registered(app, origin, 'spa-phone')
  const { page, problems } = await openSpa(t, browser, url)
  await signInToAccount(page, email)
  await until(page, '#phone-status', { text: 'No phone number' })

  const phone = `+49151${String(Date.now()).slice(-8)}`
  await page.fill('#phone-input', '0151 1234')
  await page.fill('#phone-password', PASSWORD)
  await page.click('#phone-save')
  t.equal((await untilError(page)).code, 'BAD_USER_INPUT', 'a number without its country code is refused in the page')

  await page.fill('#phone-input', `${phone.slice(0, 3)} ${phone.slice(3, 6)} ${phone.slice(6)}`)
  await page.fill('#phone-password', PASSWORD)
  await page.click('#phone-save')
  await until(page, '#notice', { text: `We texted a code to ${phone}` })
  await until(page, '#phone-status', { text: 'Not verified' })
  t.match(await page.textContent('#phone-status'), phone, 'the new number, normalised')
  t.equal(await focused(page), '#phone-code', 'the focus moves to the code')
  t.same(await filledFields(page), [], 'no password stays in the page')
  t.equal((await mailbox(app, phone)).length, 1, 'a code was texted to the number')

  await page.click('#phone-resend')
  await until(page, '#notice', { text: `A new code was sent to +*******${phone.slice(-4)}` })
  const codes = await mailbox(app, phone)
  t.equal(codes.length, 2, 'a second code')
  await page.fill('#phone-code', codes[0] as string)
  await page.click('#phone-verify')
  await until(page, '#notice', { text: 'Phone number verified' })
  await until(page, '#phone-status', { text: 'Verified' })
  t.notMatch(await page.textContent('#phone-status'), /Not verified/, 'verified')
  t.equal(await page.locator('#phone-code').count(), 0, 'no code field once verified')
  await checkWording(t, page, 'the phone section')

  await signOut(page)
  t.equal(await page.locator('#phone-input').count(), 0, 'signed out: the phone section is gone')
  t.same(problems, [], 'no script or console error')
})
