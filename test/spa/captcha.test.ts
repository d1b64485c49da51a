// The example SPA in Chromium with a CAPTCHA: development's Turnstile stand-in (CAPTCHA_PROVIDER
// alone, the test keys and the dev plugin's siteverify). The sign-up form shows the widget from
// the start and its token passes; wrong passwords turn the sign-in into CAPTCHA_REQUIRED, in
// words, with the widget; ticked, the sign-in passes; so does a password reset from that address.
// Without the tick the server refuses.
//
// Without /usr/bin/chromium (CHROMIUM_PATH to use another) the file says so and skips.
import { browserJourney, checkWording, focused, freePort, mailbox, openSpa, PASSWORD, newEmail, screenshot, signOut, spaServer, until, untilError } from './helpers.ts'

browserJourney('a CAPTCHA: on sign-up from the start, on sign-in once the server asks', async (t, browser) => {
  const port = await freePort()
  const { app, url } = await spaServer(t, { env: { NODE_ENV: 'development', PORT: String(port), CAPTCHA_PROVIDER: 'turnstile' } })
  const { page, problems } = await openSpa(t, browser, url)
  t.equal(await page.isHidden('#sign-in-captcha'), true, 'no widget on the sign-in page before the server asks')

  // Sign-up: the widget is there; without its tick the server refuses, with it the account is made.
  const email = newEmail('spa-captcha')
  await page.click('a[href="#sign-up"]')
  await until(page, '#sign-up-captcha', { text: 'I am not a robot' })
  t.match(await page.textContent('#sign-up-captcha'), 'Cloudflare Turnstile', 'the stand-in says what it stands in for')
  await page.fill('#sign-up-email', email)
  await page.fill('#sign-up-password', PASSWORD)
  await page.click('#sign-up button.primary')
  const refused = await untilError(page)
  t.equal(refused.code, 'CAPTCHA_REQUIRED', 'unticked: the server asks for the check')
  t.equal(refused.sentence, 'Please show that you are not a robot, then try again.', 'in words')
  await checkWording(t, page, 'the sign-up page with the widget')
  await screenshot(t, page, 'sign-up-captcha')
  await page.check('#sign-up-captcha-check')
  await page.click('#sign-up button.primary')
  await until(page, '#confirm-sign-up')
  const [code = ''] = await mailbox(app, email)
  await page.fill('#confirm-sign-up-code', code)
  await page.click('#confirm-sign-up button.primary')
  await until(page, '#notice', { text: 'Email confirmed' })

  // Three wrong passwords from this address: the next sign-in needs the check.
  await until(page, '#sign-in-email')
  await page.fill('#sign-in-email-input', email)
  await page.click('#sign-in-email button')
  await until(page, '#sign-in-password')
  for (let attempt = 1; attempt <= 3; attempt++) {
    await page.fill('#sign-in-password-input', `Wrong-Guess-${attempt}!`)
    await page.click('#sign-in-password button')
    t.equal((await untilError(page)).code, 'INVALID_CREDENTIALS', `wrong password ${attempt}`)
  }
  t.equal(await page.isHidden('#sign-in-captcha'), true, 'no widget yet')
  await page.fill('#sign-in-password-input', PASSWORD)
  await page.click('#sign-in-password button')
  t.equal((await untilError(page)).code, 'CAPTCHA_REQUIRED', 'the fourth attempt, the right password, needs the check')
  await page.waitForSelector('#sign-in-captcha-check', { state: 'visible' })
  t.match(await page.textContent('#sign-in-captcha'), 'I am not a robot', 'the widget appears, beside the error')
  t.equal(await focused(page), '#sign-in-captcha-check', 'the focus on its box')
  await checkWording(t, page, 'the sign-in page with the widget')
  await screenshot(t, page, 'sign-in-captcha')
  await page.check('#sign-in-captcha-check')
  await page.fill('#sign-in-password-input', PASSWORD)
  await page.click('#sign-in-password button')
  await until(page, '#profile-summary', { text: email })
  t.pass('ticked: signed in')
  const metrics = (await app.inject('/metrics')).body
  t.match(metrics, /abuse_checks_total\{check="captcha",outcome="passed"\} 2/, 'two tokens verified by the stand-in siteverify (sign-up, sign-in)')

  // A reset from this address, which has failed: the same widget on the reset form.
  await signOut(page)
  await page.goto(`${url}#forgot-password`)
  await until(page, '#forgot-password')
  await page.fill('#forgot-email', email)
  await page.click('#forgot-password button.primary')
  t.equal((await untilError(page)).code, 'CAPTCHA_REQUIRED', 'a reset code from an address that failed needs the check')
  await page.waitForSelector('#forgot-password-captcha-check', { state: 'visible' })
  await page.check('#forgot-password-captcha-check')
  await page.click('#forgot-password button.primary')
  await until(page, '#reset-password')
  t.pass('ticked: the reset code is sent')
  t.same(problems, [], 'no script error and no console error')
})
