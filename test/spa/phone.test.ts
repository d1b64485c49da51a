// The example SPA in Chromium: the Profile's phone number. Added with the current password, a code
// texted to it (and a new one on the way), verified; the section shows the number and its state,
// and empties itself at sign-out. And on a pool that signs in by phone number: sign-up, the texted
// code, sign-in and a reset, each by the number typed where the email goes.
//
// Without /usr/bin/chromium (CHROMIUM_PATH to use another) the file says so and skips.
import { withAwsCredentials } from '../helper.ts'
import { startTestEmulator } from '../dev/pool.ts'
import { createApiPool } from '../dev/pools.ts'
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

browserJourney('on a pool that signs in by phone number: sign up, confirm, sign in and reset the password by phone', async (t, browser) => {
  const test = await startTestEmulator(t)
  withAwsCredentials(t, test.emulator.credentials)
  const pool = await createApiPool(test.cognito, {
    pool: { UsernameAttributes: ['phone_number'], AutoVerifiedAttributes: ['phone_number'] },
    client: { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], PreventUserExistenceErrors: 'ENABLED', EnableTokenRevocation: true }
  })
  const { url } = await spaServer(t, { env: { COGNITO_USER_POOL_ID: pool.userPoolId, COGNITO_CLIENT_ID: pool.clientId, COGNITO_ENDPOINT: test.emulator.endpoint } })
  const { page, problems } = await openSpa(t, browser, url)
  const code = (to: string): string => test.lastMessage(to)?.code ?? ''
  const phone = `+49152${String(Date.now()).slice(-8)}`

  await page.click('a[href="#sign-up"]')
  await until(page, '#page-sign-up')
  await page.fill('#sign-up-email', phone)
  await page.fill('#sign-up-password', PASSWORD)
  await page.click('#sign-up button.primary')
  await until(page, '#confirm-sign-up-help', { text: `We sent a code to +*******${phone.slice(-4)}` })
  t.equal(test.lastMessage(phone)?.medium, 'SMS', 'the code went by SMS')
  await page.fill('#confirm-sign-up-code', code(phone))
  await page.click('#confirm-sign-up button.primary')
  await until(page, '#notice', { text: 'Phone number confirmed' })
  await until(page, '#page-sign-in')

  await page.click('#sign-in-email button')
  await until(page, '#sign-in-password')
  await page.fill('#sign-in-password-input', PASSWORD)
  await page.click('#sign-in-password button')
  await until(page, '#page-account')
  await until(page, '#phone-status', { text: 'Verified' })
  t.match(await page.textContent('#profile-summary'), /Email\s*Not set/, 'no email: said in words')
  t.match(await page.textContent('#phone-status'), phone, 'the number the account signs in with')
  await signOut(page)

  await page.goto(`${url}#forgot-password`)
  await until(page, '#page-forgot-password')
  await page.fill('#forgot-email', phone)
  await page.click('#forgot-password button.primary')
  await until(page, '#reset-password-help', { text: `we sent a code to +*******${phone.slice(-4)}` })
  await page.fill('#reset-code', code(phone))
  await page.fill('#reset-password [name=newPassword]', 'Battery-Staple-42')
  await page.click('#reset-password button.primary')
  await until(page, '#notice', { text: 'Password reset' })
  t.equal(await page.inputValue('#sign-in-email-input'), phone, 'the sign-in page has the number')

  await page.fill('#sign-in-email-input', 'someone@example.com')
  await page.click('#sign-in-email button')
  await until(page, '#sign-in-password')
  await page.fill('#sign-in-password-input', PASSWORD)
  await page.click('#sign-in-password button')
  t.equal((await untilError(page)).code, 'BAD_USER_INPUT', 'an email where the pool signs in by phone number: refused, in words')
  t.same(problems, [], 'no script or console error')
})
